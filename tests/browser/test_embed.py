"""The widget on the agency's own site: one `<script src=".../embed.js">` tag on a page of
another origin (tests/browser/agency.py, on another port of 127.0.0.1) adds a launcher button
that opens the chat in an iframe, with the keyboard too; the chat works inside it. A cross-site
embed needs TLS (the cookie is `SameSite=None; Secure; Partitioned` only behind HTTPS), which
this test stack does not have."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, run_axe
from tests.browser.conftest import WebStack

pytestmark = pytest.mark.browser


@pytest.fixture
def agency_page(page: Any, web_stack: WebStack) -> Any:
    """A page of the agency's site embedding the widget."""
    page.goto(f"{web_stack.agency.origin}/orientation")
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
    assert frame.get_attribute("title") == "Assistant Parcours Métier"  # Normandy pack

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
