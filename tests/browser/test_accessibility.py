"""Accessibility and self-containment of the web chat in a real Chromium: keyboard-only use with
a visible focus, axe-core (WCAG 2.0/2.1 A and AA) with no violation on a desktop and on a phone,
a phone layout without horizontal scrolling, and no request to any host but the app (no CDN,
no Google Fonts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, run_axe
from tests.browser.chat import ChatPage, focus_is_visible, shadow_active
from tests.browser.conftest import PageRecord, WebStack

pytestmark = pytest.mark.browser
MAX_TABS = 40


def tab_until(page: Any, wanted: Any, *, backwards: bool = False) -> dict[str, Any]:
    """Press Tab (Shift+Tab) until the focused element satisfies `wanted`; every element
    reached on the way must show a visible focus indicator."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = shadow_active(page)
        if focused.get("tag") in (None, "body", "html", "deep-chat"):
            continue  # the document itself or the component's host between two stops
        assert (
            focus_is_visible(focused)
            or focused.get("role") == "textbox"
            or (focused.get("tag") == "div" and "text-input" in str(focused.get("id")))
        ), f"focus not visible on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached with {MAX_TABS} × {key}; last focus: {shadow_active(page)}")


def is_input(focused: dict[str, Any]) -> bool:
    return focused.get("id") == "text-input" or focused.get("role") == "textbox"


def test_keyboard_alone_types_sends_and_activates_a_button(page: Any) -> None:
    chat = ChatPage(page).open()
    page.locator("body").focus()
    shortcut = tab_until(page, lambda f: f.get("id") == "pm-human")
    assert focus_is_visible(shortcut), f"the shortcut's focus is not visible: {shortcut}"

    tab_until(page, is_input)
    before = chat.count("ai")
    page.keyboard.type("je cherche un stage")
    send = tab_until(page, lambda f: f.get("role") == "button" or f.get("tag") == "button")
    assert "envoyer" in (send["label"] + send["text"]).lower(), send
    assert focus_is_visible(send), f"the send button's focus is not visible: {send}"
    page.keyboard.press("Enter")
    chat.bubble_with("je cherche un stage", role="user")
    chat.wait_turn(before)
    expect(chat.chat.locator(".pm-button").last).to_be_visible()

    tab_until(page, is_input, backwards=True)  # back in the input; further back: the bubbles
    button = tab_until(page, lambda f: "pm-button" in str(f.get("cls")), backwards=True)
    assert focus_is_visible(button), f"a bubble button's focus is not visible: {button}"
    before = chat.count("ai")
    page.keyboard.press("Enter")
    chat.bubble_with(button["text"], role="user")  # its title is shown as the user's choice
    assert chat.wait_turn(before), chat.transcript()


@pytest.mark.parametrize("browser_context", ["desktop", "mobile"], indirect=True)
def test_axe_finds_no_wcag_a_or_aa_violation(page: Any, browser_context: Any) -> None:
    chat = ChatPage(page).open()
    chat.say("Mon fils de 17 ans a arrêté le lycée, on habite à Lisieux, où aller ?")
    expect(chat.chat.locator("a.pm-map").last).to_be_visible()  # links and buttons on screen
    expect(chat.chat.locator(".pm-button").last).to_be_visible()
    chat.say("je cherche un stage")
    result = run_axe(page)
    assert result["violations"] == [], describe(result["violations"])
    assert result["passes"] > 10, "axe ran its WCAG rules"


@pytest.mark.parametrize("browser_context", ["mobile"], indirect=True)
def test_the_phone_layout_fits_the_screen(page: Any) -> None:
    chat = ChatPage(page).open()
    chat.say("c'est quoi un ambassadeur métier ?")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"
    for locator in (chat.input(), page.locator("#pm-human"), chat.bubbles("ai").last):
        expect(locator).to_be_in_viewport()
        box = locator.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390, f"{locator} overflows: {box}"


def test_the_page_reaches_no_other_host_than_the_app(
    page: Any, page_record: PageRecord, web_stack: WebStack
) -> None:
    chat = ChatPage(page).open()
    chat.say("Mon fils de 17 ans a arrêté le lycée, on habite à Lisieux, où aller ?")
    chat.say("je cherche un stage")
    assert page_record.foreign == [], "requests to other hosts (blocked by the test)"
    hosts = {urlsplit(u).netloc for u in page_record.requests if u.startswith("http")}
    assert hosts == {web_stack.host}
    scripts = page.evaluate(
        """() => [...document.querySelectorAll('script[src], link[href]')]
                 .map(e => e.src || e.href)"""
    )
    foreign = [u for u in scripts if urlsplit(u).netloc not in ("", web_stack.host)]
    assert foreign == [], "the page links scripts or styles from elsewhere"
    assert page_record.errors == [], "JavaScript errors in the page"
    assert page_record.sockets == [f"ws://{web_stack.host}/ws"], "one WebSocket, to the app"
