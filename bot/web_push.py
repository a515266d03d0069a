"""Telling a web user something outside their turns: a coordinator's reply, the staff's
commands' notices (taken, handed back, closed…), answers to messages kept while Rasa was
down. Stored as pushed transcript bubbles (shown on return if the page is closed); the web
server of this process is woken to push them to the open page at once (another process's
web server finds them within a second: `bot/web_hub.py`)."""

from __future__ import annotations

from collections.abc import Callable

from bot.render import Reply
from bot.web_render import bubbles
from parcours.services import web_transcript
from parcours.services.web_transcript import Bubble, Entry, is_web_user

__all__ = ["is_web_user", "on_push", "tell", "tell_text"]

_listeners: list[Callable[[], None]] = []


def on_push(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after each push of this process (the web hub's wake-up); returns
    what removes it."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def _woken(entries: list[Entry]) -> list[Entry]:
    if entries:
        for listener in list(_listeners):
            listener()
    return entries


def tell(user_id: str, replies: list[Reply], role: str = "ai") -> list[Entry]:
    """Push replies to a web user; what was stored."""
    return _woken(web_transcript.push(user_id, bubbles(replies, role)))


def tell_text(user_id: str, text: str, role: str = "coordinateur") -> list[Entry]:
    """Push one plain text bubble (a coordinator's message) to a web user."""
    return _woken(web_transcript.push(user_id, [Bubble(role, {"text": text})]))
