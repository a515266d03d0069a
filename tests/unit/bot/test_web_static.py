"""The web chat's front-end files: the vendored component unchanged, nothing fetched from
another origin at run time, the accessibility fixes in place (docs/WEB_EMBED.md)."""

from __future__ import annotations

import hashlib
import re

import pytest

from bot.web_server import STATIC, STATIC_FILES

#: sha256 of deep-chat 2.4.2's dist/deepChat.bundle.js (the tarball's sha512 is checked by
#: scripts/fetch_deep_chat.sh when it is fetched again).
BUNDLE_SHA256 = "4be8e65b12c0678ccc06fd157a402be4dc7c01f910056166518781f1de2d6ad7"
OWN_FILES = ("index.html", "chat.js", "chat.css", "embed.js")


def test_the_vendored_bundle_is_deep_chat_2_4_2_unchanged() -> None:
    bundle = (STATIC / "deepChat.bundle.js").read_bytes()
    assert hashlib.sha256(bundle).hexdigest() == BUNDLE_SHA256
    licence = (STATIC / "LICENSE.deep-chat.txt").read_text()
    assert "MIT License" in licence
    assert set(STATIC_FILES) | {"index.html", "embed.js"} == {
        p.name for p in STATIC.iterdir() if p.is_file()
    }


def test_our_files_load_nothing_from_another_origin() -> None:
    for name in OWN_FILES:
        text = (STATIC / name).read_text()
        code = re.sub(r"^\s*//.*$", "", text, flags=re.M)  # comments may show examples
        assert not re.search(r"https?://", code), name
        assert "googleapis" not in text
    page = (STATIC / "index.html").read_text()
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["/static/chat.css", "/static/chat.js"]


def test_the_page_fixes_what_the_research_found() -> None:
    page = (STATIC / "index.html").read_text()
    widget = (STATIC / "chat.js").read_text()
    # inline font-family on the element itself: otherwise deep-chat loads Google Fonts
    assert re.search(r'<deep-chat id="parcours-chat" style="font-family:', page)
    assert 'aria-live="polite"' in page
    assert 'lang="fr"' in page
    assert 'name="viewport"' in page
    assert 'setAttribute("aria-label", "Envoyer")' in widget
    assert "MutationObserver" in widget
    assert 'backgroundColor: "#1f4e8c", color: "#ffffff"' in widget  # the darker user bubble
    for ident in ("pm-human", "pm-my-data", "pm-forget", "pm-typing", "pm-live"):
        assert f'id="{ident}"' in page


def test_user_text_is_never_given_to_deep_chat_as_html() -> None:
    widget = (STATIC / "chat.js").read_text()
    # the only html deep-chat receives is the server's (escaped by bot/web_render.py)
    assert re.findall(r"html: ([\w.]+)", widget) == ["m.html"]


@pytest.mark.parametrize("region", ["normandie", "grand-est"])
def test_the_page_and_the_embed_script_speak_for_the_region(region: str) -> None:
    from bot.web_server import filled
    from parcours import regions

    page, embed = filled("index.html", region), filled("embed.js", region)
    assert "%%" not in page
    assert "%%" not in embed
    other = next(code for code in regions.available() if code != region)
    for word in regions.region(other).own_words:
        assert word.lower() not in (page + embed).lower(), word
    assert regions.region(region).placeholders()["of_org"] in page.replace("&#x27;", "'")
