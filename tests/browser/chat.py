"""The web chat as a user sees it (the DOM contract of /work/coord/CONTRACTS.md, "Web channel
runtime contract"): deep-chat's bubbles in its open shadow root, buttons and links inside them,
the shortcuts bar, the typing indicator. Playwright's CSS and role locators pierce open shadow
roots, so every query here reads what is on screen; waits are conditions, never sleeps."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

#: deep-chat's bubble classes: `message-bubble` plus `<role>-message`.
BUBBLE = "#parcours-chat .message-bubble"
ROLES = ("ai", "user", "coordinateur")

_COUNT = """(role) => {
    const root = document.querySelector('#parcours-chat');
    if (!root || !root.shadowRoot) return 0;
    return root.shadowRoot.querySelectorAll('.message-bubble.' + role + '-message').length;
}"""


class ChatPage:
    """One browser tab on the web chat."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.chat = page.locator("#parcours-chat")

    # ------------------------------------------------------------------ opening

    def open(self, path: str = "/") -> ChatPage:
        """Load the chat and wait until its socket is open and the history shown."""
        self.page.goto(path)
        return self.ready()

    def ready(self) -> ChatPage:
        """Wait for `html[data-pm-state=ready]` and for the greeting of a new visitor (the page
        asks for it, typing indicator on, as soon as an empty history arrives)."""
        expect(self.page.locator("html")).to_have_attribute("data-pm-state", "ready")
        self.idle()
        return self

    # ------------------------------------------------------------------ reading

    def bubbles(self, role: str | None = None) -> Locator:
        """The message bubbles shown, of one role ("ai", "user", "coordinateur") or all."""
        return self.page.locator(BUBBLE + (f".{role}-message" if role else ""))

    def count(self, role: str) -> int:
        """How many bubbles of `role` are shown now."""
        return int(self.page.evaluate(_COUNT, role))

    def texts(self, role: str | None = None) -> list[str]:
        """The visible texts of the bubbles (of one role)."""
        return [text.strip() for text in self.bubbles(role).all_inner_texts()]

    def transcript(self) -> str:
        """Every bubble's text, in order (for assertion messages)."""
        return "\n---\n".join(self.texts())

    def bubble_with(self, needle: str, role: str = "ai") -> Locator:
        """The last bubble of `role` containing `needle`, once it is visible."""
        bubble = self.bubbles(role).filter(has_text=needle).last
        expect(bubble).to_be_visible()
        return bubble

    def input(self) -> Locator:
        """deep-chat's text input (a contenteditable textbox with an accessible name)."""
        return self.page.get_by_role("textbox").first

    def button(self, title: str) -> Locator:
        """A button inside the last bot bubble offering it, by its visible title."""
        return self.chat.locator(".pm-button", has_text=title).last

    # ------------------------------------------------------------------ acting

    def wait_turn(self, before: int, role: str = "ai") -> list[str]:
        """Wait until bubbles of `role` were added after `before` and the typing indicator is
        hidden again; the new bubbles' texts."""
        self.page.wait_for_function(
            """([role, before]) => {
                const root = document.querySelector('#parcours-chat');
                const typing = document.querySelector('#pm-typing');
                const shown = root.shadowRoot.querySelectorAll(
                    '.message-bubble.' + role + '-message').length;
                return shown > before && (!typing || typing.hidden);
            }""",
            arg=[role, before],
        )
        return self.texts(role)[before:]

    def send(self, text: str) -> None:
        """Type `text` and press Enter; wait until it is shown as the user's bubble."""
        field = self.input()
        field.click()
        field.fill(text)
        field.press("Enter")
        self.bubble_with(text, role="user")

    def idle(self) -> None:
        """Wait until no turn is running (the typing indicator is hidden)."""
        expect(self.page.locator("#pm-typing")).to_be_hidden()

    def say(self, text: str) -> str:
        """Send `text`; the bot's answer (its new bubbles, joined)."""
        before = self.count("ai")
        self.send(text)
        return "\n".join(self.wait_turn(before))

    def press(self, title: str, *, locator: Locator | None = None) -> str:
        """Click a button shown in a bot bubble; the bot's answer."""
        before = self.count("ai")
        (locator or self.button(title)).click()
        return "\n".join(self.wait_turn(before))

    def payload_buttons(self, fragment: str) -> Locator:
        """Buttons whose payload contains `fragment` (`data-payload` of the DOM contract), for
        offers whose titles come from the data."""
        return self.chat.locator(f'.pm-button[data-payload*="{fragment}"]')


def shadow_active(page: Page) -> dict[str, Any]:
    """The focused element, looking into open shadow roots: tag, classes, role, label, text,
    and its computed outline/box-shadow (to check that focus is visible)."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) {
                el = el.shadowRoot.activeElement;
            }
            if (!el) return {};
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(), id: el.id || '', cls: el.className || '',
                role: el.getAttribute('role') || '', label: el.getAttribute('aria-label') || '',
                text: (el.innerText || el.textContent || '').trim().slice(0, 80),
                payload: el.getAttribute('data-payload') || '',
                outline: style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor,
                outlineWidth: parseFloat(style.outlineWidth) || 0,
                outlineStyle: style.outlineStyle, boxShadow: style.boxShadow,
            };
        }"""
    )
    return result


def focus_is_visible(focused: dict[str, Any]) -> bool:
    """A focus indicator is drawn: an outline (not none, width > 0) or a box shadow."""
    outline = focused.get("outlineStyle") not in (None, "", "none") and focused["outlineWidth"] > 0
    shadow = focused.get("boxShadow") not in (None, "", "none")
    return bool(outline or shadow)
