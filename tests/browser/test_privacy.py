"""The visitor's data from the page's own buttons: "Mes données" gives a download of what is
kept, "Effacer mes données" (confirmed) erases the conversation for good — the page, a reload
and the old cookie show nothing of it any more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.chat import ChatPage

pytestmark = pytest.mark.browser


def test_mes_donnees_downloads_what_is_kept(page: Any) -> None:
    chat = ChatPage(page).open()
    chat.say("Mon fils de 17 ans a arrêté le lycée, on habite à Lisieux, où aller ?")
    before = chat.count("ai")
    page.locator("#pm-my-data").click()
    chat.wait_turn(before)
    link = chat.chat.locator("a.pm-file").last
    expect(link).to_be_visible()
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == "mes_donnees.json"
    kept = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert "Lisieux" in json.dumps(kept, ensure_ascii=False), "the export shows what is kept"


def erase(chat: ChatPage) -> None:
    """ "Effacer mes données", then "Oui, tout effacer"; waits for the confirmation."""
    context = chat.page.context
    old = {c["value"] for c in context.cookies() if c["name"] == "pm_session"}
    before = chat.count("ai")
    chat.page.locator("#pm-forget").click()
    chat.wait_turn(before)
    # The page is cleared and shows only the confirmation: fewer bubbles than before, so
    # no "wait for new bubbles" here, only for the confirmation itself.
    chat.button("Oui, tout effacer").click()
    expect(chat.bubbles("ai").filter(has_text="effac").last).to_be_visible()
    # The page then asks for a new session (POST /session): wait until its cookie changed
    # (HttpOnly: not visible to the page's scripts, so polled from the browser context).
    for _ in range(100):
        if {c["value"] for c in context.cookies() if c["name"] == "pm_session"} - old:
            break
        chat.page.wait_for_timeout(100)
    expect(chat.page.locator("html")).to_have_attribute("data-pm-state", "ready")


def test_effacer_mes_donnees_erases_the_conversation_for_good(page: Any) -> None:
    chat = ChatPage(page).open()
    chat.say("Mon fils de 17 ans a arrêté le lycée, on habite à Lisieux, où aller ?")
    old_cookie = next(c for c in page.context.cookies() if c["name"] == "pm_session")
    erase(chat)

    page.reload()
    chat.ready()
    assert not any("Lisieux" in text for text in chat.texts()), chat.transcript()
    new_cookie = next(c for c in page.context.cookies() if c["name"] == "pm_session")
    assert new_cookie["value"] != old_cookie["value"]

    page.context.clear_cookies()
    page.context.add_cookies([old_cookie])  # the old cookie finds nothing any more
    page.reload()
    chat.ready()
    assert not any("Lisieux" in text for text in chat.texts()), chat.transcript()


def test_the_erased_conversation_leaves_the_open_page_at_once(page: Any) -> None:
    chat = ChatPage(page).open()
    chat.say("Mon fils de 17 ans a arrêté le lycée, on habite à Lisieux, où aller ?")
    erase(chat)
    expect(chat.bubbles().filter(has_text="Lisieux")).to_have_count(0)
