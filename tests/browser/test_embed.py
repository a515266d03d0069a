"""The widget on the agency's own site: one `<script src=".../embed.js">` tag on a page of
another origin (served by the test at https://www.agence.example/) adds a launcher button that
opens the chat in an iframe, with the keyboard too; the chat works inside it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, run_axe
from tests.browser.conftest import AGENCY_ORIGIN, WebStack

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Agence (test)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Le site de l'agence</h1><p>Une page de son site.</p></main>
<script src="{app}/embed.js" defer></script></body></html>"""


@pytest.fixture
def agency_page(page: Any, web_stack: WebStack) -> Any:
    """A page of the agency's site embedding the widget."""
    html = HOST_PAGE.format(app=web_stack.url)
    page.route(
        f"{AGENCY_ORIGIN}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto(f"{AGENCY_ORIGIN}/orientation")
    return page


def test_the_launcher_opens_the_chat_in_an_iframe_with_the_keyboard(agency_page: Any) -> None:
    page = agency_page
    launcher = page.locator("#parcours-launcher")
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert (launcher.get_attribute("aria-controls") or "") == "parcours-frame"

    launcher.focus()
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    frame = page.locator("#parcours-frame")
    expect(frame).to_be_visible()
    assert frame.get_attribute("title") == "Assistant Parcours Métier"

    chat = page.frame_locator("#parcours-frame")
    expect(chat.locator("html")).to_have_attribute("data-pm-state", "ready")
    field = chat.get_by_role("textbox").first
    field.click()
    field.fill("c'est quoi un mini-stage ?")
    field.press("Enter")
    answer = chat.locator("#parcours-chat .message-bubble.ai-message").filter(has_text="jours")
    expect(answer.last).to_be_visible()

    result = run_axe(page)  # the agency's page with the launcher and the open iframe
    assert result["violations"] == [], describe(result["violations"])
