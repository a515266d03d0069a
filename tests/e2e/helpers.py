"""A Telegram user seen from the tests: type, press buttons, wait for the bot's bubbles; a
contact request of theirs filed in the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from devstack.botapi import BotApiEmulator
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import Ambassador
from parcours.services import contact_requests
from parcours.settings import Settings
from tests.e2e.conftest import new_user_id

Message = dict[str, Any]
Until = str | Callable[[list[Message]], bool]
TIMEOUT = 30.0


def text_of(message: Message) -> str:
    """What the user reads in a bubble (text, caption or venue title)."""
    venue = message.get("venue") or {}
    return str(message.get("text") or message.get("caption") or venue.get("title") or "")


def texts(messages: list[Message]) -> str:
    """All bubbles, joined."""
    return "\n".join(text_of(m) for m in messages)


def buttons(message: Message) -> list[dict[str, str]]:
    """The inline keyboard buttons of a bubble."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def has_button(title: str) -> Callable[[list[Message]], bool]:
    """`until` predicate: a new bubble carries a button with this title."""
    return lambda new: any(b["text"] == title for m in new for b in buttons(m))


class Chat:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, api: BotApiEmulator, user_id: int | None = None) -> None:
        self.api = api
        self.id = new_user_id() if user_id is None else user_id

    def say(self, text: str, until: Until, *, typing: bool = True) -> list[Message]:
        """Type `text`; returns the new bubbles once `until` holds and the chat is quiet."""
        mark, seen = self.api.mark(), len(self.api.bot_messages(self.id))
        self.api.push_message(self.id, text)
        new = self.wait_new(seen, until)
        if typing:
            self.assert_typing_first(mark)
        return new

    def press(self, title: str, until: Until, *, age: float = 0.0) -> list[Message]:
        """Press the most recent button with this title."""
        for message in reversed(self.api.bot_messages(self.id)):
            for button in buttons(message):
                if button["text"] == title:
                    return self.press_data(button["callback_data"], message, until, age=age)
        raise AssertionError(f"no button {title!r} in {self.api.bot_messages(self.id)}")

    def press_data(
        self, data: str, message: Message, until: Until, *, age: float = 0.0
    ) -> list[Message]:
        """Send a callback query with any data (forged or stale ones included)."""
        seen = len(self.api.bot_messages(self.id))
        query_id = self.api.push_callback(self.id, data, message["message_id"], age=age)
        new = self.wait_new(seen, until)
        answers = [
            c
            for c in self.api.calls("answerCallbackQuery")
            if str(c.params.get("callback_query_id")) == query_id
        ]
        assert answers, "the callback query was never answered (the button keeps spinning)"
        return new

    def last(self) -> Message:
        """The bot's last bubble."""
        return self.api.bot_messages(self.id)[-1]

    def assert_typing_first(self, mark: int) -> None:
        """A typing action was sent before the first answer of the turn."""
        calls = [c for c in self.api.calls_since(mark, self.id) if c.method != "getUpdates"]
        sends = [i for i, c in enumerate(calls) if c.method.startswith("send")]
        assert sends, "nothing was sent"
        first = calls[sends[0]]
        assert first.method == "sendChatAction", [c.method for c in calls]
        assert first.params["action"] == "typing"

    def wait_new(self, seen: int, until: Until, *, timeout: float = TIMEOUT) -> list[Message]:
        """The bubbles after the first `seen` ones, once `until` holds and the chat is quiet."""

        def matches(new: list[Message]) -> bool:
            return until in texts(new) if isinstance(until, str) else until(new)

        self.api.wait_for(
            lambda: True if matches(self.api.bot_messages(self.id)[seen:]) else None,
            timeout,
            f"an answer matching {until!r}",
            self.id,
        )
        self.api.settle(self.id, quiet=0.4)
        return self.api.bot_messages(self.id)[seen:]


def file_ambassador_request(db_url: str, user_id: int, message: str, availability: str) -> int:
    """A contact request of `user_id` to the first available ambassador, filed in the
    database as the request form's action files it; its number."""
    with session_scope(db_url) as session:
        key = session.scalars(
            select(Ambassador.key).where(Ambassador.available.is_(True)).limit(1)
        ).one()
        request = contact_requests.file_request(
            session,
            Settings(database_url=db_url),
            user_id=str(user_id),
            target_type="ambassador",
            target_key=key,
            message=message,
            availability=availability,
            now=utcnow(),
        )
        session.flush()
        return request.id
