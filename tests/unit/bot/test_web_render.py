"""Replies → the web chat's HTML: everything escaped, only our own tags (bot/web_render.py)."""

from __future__ import annotations

from html.parser import HTMLParser

from bot.render import Reply
from bot.web_render import bubble_html, bubbles, message, text_html
from parcours.services.web_transcript import Entry
from tests.hostile_inputs import INJECTIONS, RTL_TEXT, URLS

OWN_TAGS = {"p", "br", "a", "button", "div"}
OWN_ATTRIBUTES = {
    "class",
    "href",
    "target",
    "rel",
    "type",
    "data-payload",
    "data-command",
    "download",
}


class Tags(HTMLParser):
    """Every start tag and attribute name of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


ATTACKS = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    'https://x.example/"onmouseover=alert(1)',
]


def test_hostile_text_never_makes_tags_of_its_own() -> None:
    for text in [*ATTACKS, *INJECTIONS, *URLS, *RTL_TEXT]:
        html = bubble_html({"text": text, "buttons": [{"title": text, "payload": "/menu"}]})
        for tag, attributes in tags(html):
            assert tag in OWN_TAGS, (text, html)
            assert set(attributes) <= OWN_ATTRIBUTES, (text, html)
            assert not any(
                (v or "").lower().startswith("javascript:") for v in attributes.values()
            )


def test_urls_become_links_and_the_rest_stays_text() -> None:
    html = text_html("Voir https://www.onisep.fr/metiers. Et <b>ça</b> ?")
    assert (
        '<a class="pm-link" href="https://www.onisep.fr/metiers" target="_blank" '
        'rel="noopener noreferrer">https://www.onisep.fr/metiers</a>.' in html
    )
    assert "&lt;b&gt;ça&lt;/b&gt;" in html


def test_paragraphs_and_line_breaks_keep_long_answers_readable() -> None:
    html = text_html("Premier paragraphe.\nsuite\n\n• point 1\n• point 2")
    assert html == (
        '<p class="pm-p">Premier paragraphe.<br>suite</p>'
        '<p class="pm-p">• point 1<br>• point 2</p>'
    )


def test_buttons_payload_url_and_forged() -> None:
    html = bubble_html(
        {
            "text": "Tu es… ?",
            "buttons": [
                {"title": "Parent", "payload": '/set_role{"role":"parent"}'},
                {"title": "Site", "url": "https://www.destination-metier.fr"},
                {"title": "Piège", "url": "javascript:alert(1)"},
                {"title": "Forgé", "payload": "/not_an_intent"},
            ],
        }
    )
    found = tags(html)
    buttons = [a for t, a in found if t == "button"]
    assert buttons == [
        {"type": "button", "class": "pm-button", "data-payload": '/set_role{"role":"parent"}'}
    ]
    links = [a["href"] for t, a in found if t == "a"]
    assert links == ["https://www.destination-metier.fr"]
    assert "Piège" not in html
    assert "Forgé" not in html


def test_a_location_is_an_openstreetmap_link() -> None:
    location = {"latitude": 49.14567891, "longitude": 0.2261, "title": "CIO", "address": "2 rue X"}
    html = bubble_html({"text": "CIO", "location": location})
    href = next(a["href"] for t, a in tags(html) if t == "a")
    assert (
        href == "https://www.openstreetmap.org/?mlat=49.14568&mlon=0.22610#map=17/49.14568/0.22610"
    )
    assert "CIO — 2 rue X" in html
    assert bubble_html({"text": "", "location": {"title": "x", "latitude": "nan?"}}) == ""


def test_the_consent_notice_offers_its_commands_as_buttons() -> None:
    html = bubble_html({"text": "… /mes_donnees pour les voir, /oubli pour tout effacer."})
    commands = [a["data-command"] for t, a in tags(html) if t == "button"]
    assert commands == ["/mes_donnees", "/oubli"]


def test_a_file_is_a_link_to_this_server_only() -> None:
    entry = Entry(42, "web:x", "ai", {"text": "Voici tes données"}, "mes données.json")
    shown = message(entry)
    link = next(a for t, a in tags(shown["html"]) if t == "a")
    assert link["href"] == "/files/42/mes%20donn%C3%A9es.json"
    assert link["class"] == "pm-file"


def test_user_bubbles_are_text_never_html() -> None:
    shown = message(Entry(1, "web:x", "user", {"text": "<img src=x onerror=alert(1)>"}))
    assert shown == {"role": "user", "text": "<img src=x onerror=alert(1)>", "id": 1}


def test_empty_replies_are_not_bubbles() -> None:
    stored = bubbles([Reply(""), Reply("ok"), Reply("", document=("a.ics", b"x"))])
    assert [b.body.get("text") for b in stored] == ["ok", ""]
    assert stored[1].document == ("a.ics", b"x")
