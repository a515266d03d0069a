"""Rasa REST messages → channel-neutral replies (plain text, buttons, locations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Button = dict[str, str]


@dataclass
class Reply:
    """One bubble: plain text, optional buttons (payload or url), optional location."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    location: dict[str, Any] | None = None
    document: tuple[str, bytes] | None = None  # (file name, content): Telegram only
    ask_location: bool = False  # Telegram only: offer a "share my location" keyboard

    def as_dict(self) -> dict[str, Any]:
        """Wire format of DESIGN.md (`replay`)."""
        data: dict[str, Any] = {"text": self.text}
        if self.buttons:
            data["buttons"] = self.buttons
        if self.location:
            data["location"] = self.location
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """Inverse of `as_dict`."""
        return cls(str(data.get("text", "")), list(data.get("buttons", [])), data.get("location"))


def _button(raw: dict[str, Any]) -> Button | None:
    title = str(raw.get("title", "")).strip()
    if not title:
        return None
    if raw.get("url"):
        return {"title": title, "url": str(raw["url"])}
    if raw.get("payload"):
        return {"title": title, "payload": str(raw["payload"])}
    return None


def render_messages(messages: list[dict[str, Any]]) -> list[Reply]:
    """Convert Rasa's messages; buttons without text are attached to the previous bubble."""
    replies: list[Reply] = []
    for message in messages:
        buttons = [b for b in (_button(raw) for raw in message.get("buttons") or []) if b]
        custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
        if custom and custom.get("ask_location") and replies:
            replies[-1].ask_location = True
            continue
        location = custom.get("location") if custom else None
        text = str(message.get("text") or (location or {}).get("title") or "").strip()
        if not text and buttons and replies:
            replies[-1].buttons.extend(buttons)
            continue
        if text or location:
            replies.append(Reply(text, buttons, location))
    return replies
