"""The staff relay never blocks: a refused row is retried with backoff and parked, a long
message is split, another user's urgent hand-off gets through, a rate-limited group pauses and
its user's messages are coalesced (issue 11, item 1)."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete
from telegram.error import BadRequest, RetryAfter

from bot.observability import STAFF_PARKED
from bot.staff_delivery import batches
from bot.staff_relay import StaffRelay
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import OutboxMessage, User
from parcours.repositories import outbox, users
from parcours.services import handoff, staff_outbox
from parcours.services.outbox import OutboxKind
from parcours.services.staff_outbox import Row
from parcours.settings import Settings

STAFF = -1009876543210


class FakeBot:
    """Just enough of telegram.Bot, refusing what Telegram refuses."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, int | None, str]] = []
        self.refuse: str | None = None  # a text containing this is refused
        self.flood: int = 0  # the next sends get RetryAfter
        self.deleted: list[tuple[int, int]] = []
        self._ids = iter(range(1, 10_000))

    async def create_forum_topic(self, chat_id: int, name: str) -> Any:
        return SimpleNamespace(message_thread_id=next(self._ids))

    async def send_message(
        self, chat_id: int, text: str, message_thread_id: int | None = None, **_: Any
    ) -> Any:
        if self.flood:
            self.flood -= 1
            raise RetryAfter(30)
        shown = html.unescape(re.sub(r"<[^>]+>", "", text))
        if len(shown.encode("utf-16-le")) // 2 > 4096:
            raise BadRequest("Message is too long")
        if self.refuse is not None and self.refuse in text:
            raise BadRequest("Can't find end tag corresponding to start tag i")
        self.sent.append((chat_id, message_thread_id, text))
        return SimpleNamespace(message_id=next(self._ids))

    async def delete_forum_topic(self, chat_id: int, thread_id: int) -> None:
        self.deleted.append((chat_id, thread_id))

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def pin_chat_message(self, *args: Any, **kwargs: Any) -> None:
        return None


class NoRasa:
    async def tracker(self, user_id: str) -> dict[str, Any]:
        raise ConnectionError("no Rasa in unit tests")


@pytest.fixture
def relay(settings: Settings) -> StaffRelay:
    return StaffRelay(settings.model_copy(update={"staff_chat_id": STAFF}), NoRasa())  # type: ignore[arg-type]


def _queue(user_id: str, kind: OutboxKind, **payload: Any) -> None:
    with session_scope() as session:
        users.get_or_create(session, user_id=user_id)
        outbox.add(session, user_id=user_id, kind=kind, payload=payload)


def _texts(bot: FakeBot) -> list[str]:
    return [text for _, _, text in bot.sent]


def test_a_4096_character_message_is_split_and_another_users_urgent_handoff_gets_through(
    relay: StaffRelay,
) -> None:
    bot = FakeBot()
    _queue("u1", OutboxKind.USER_MESSAGE, text='"' * 4096)
    with session_scope() as session:
        users.get_or_create(session, user_id="u2")
        handoff.request(session, user_id="u2", reason="safeguarding", urgent=True)
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    texts = _texts(bot)
    assert any("URGENT" in text and "Nouvelle demande" in text for text in texts)
    parts = [text for text in texts if text.startswith("👤")]
    assert len(parts) >= 2, "the prefix and the escapes make it longer than one message"
    assert sum(html.unescape(part).count('"') for part in parts) == 4096, "nothing lost"
    assert staff_outbox.unsent(10) == []


def test_a_row_refused_every_time_is_retried_with_backoff_then_parked_with_a_notice(
    relay: StaffRelay,
) -> None:
    bot = FakeBot()
    bot.refuse = "POISON"
    _queue("u1", OutboxKind.USER_MESSAGE, text="POISON")
    _queue("u2", OutboxKind.USER_MESSAGE, text="bonjour")
    parked_before = STAFF_PARKED.labels(kind="user_message")._value.get()
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    assert "👤 bonjour" in _texts(bot), "the row after a refused one is delivered"
    [row] = staff_outbox.unsent(10)
    assert row.attempts == 1
    assert staff_outbox.due(10) == [], "not retried before its backoff"
    for attempt in range(2, staff_outbox.MAX_ATTEMPTS + 1):
        with session_scope() as session:
            stored = session.get(OutboxMessage, row.id)
            assert stored is not None
            assert stored.next_try_at is not None
            assert stored.next_try_at - utcnow() <= outbox.backoff(attempt - 1)
            stored.next_try_at = utcnow() - timedelta(seconds=1)
        asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    assert staff_outbox.unsent(10) == [], "parked: never tried again"
    assert any("mise de côté" in text for text in _texts(bot)), "the staff group is told"
    assert STAFF_PARKED.labels(kind="user_message")._value.get() == parked_before + 1


def test_a_rate_limited_group_pauses_then_gets_one_message_per_user(relay: StaffRelay) -> None:
    bot = FakeBot()
    bot.flood = 1
    for text in ("un", "deux", "trois"):
        _queue("u1", OutboxKind.USER_MESSAGE, text=text)
    assert asyncio.run(relay.flush(bot)) == 0  # type: ignore[arg-type]
    assert not relay.gates.open(STAFF), "the group waits for Telegram's retry_after"
    assert asyncio.run(relay.flush(bot)) == 0  # type: ignore[arg-type]
    relay.gates.until.clear()  # 30 s later
    assert asyncio.run(relay.flush(bot)) == 3  # type: ignore[arg-type]
    assert [text for text in _texts(bot) if text.startswith("👤")] == ["👤 un\ndeux\ntrois"]
    assert staff_outbox.unsent(10) == []


def test_batches_put_urgent_handoffs_first_and_merge_only_consecutive_messages() -> None:
    def row(row_id: int, user: str, kind: OutboxKind, **payload: Any) -> Row:
        return Row(row_id, user, kind, payload)

    rows = [
        row(1, "a", OutboxKind.USER_MESSAGE),
        row(2, "b", OutboxKind.USER_MESSAGE),
        row(3, "a", OutboxKind.USER_MESSAGE),
        row(4, "a", OutboxKind.STAFF_CARD),
        row(5, "a", OutboxKind.USER_MESSAGE),
        row(6, "c", OutboxKind.HANDOFF_REQUESTED, urgent=True),
    ]
    assert [[r.id for r in b.rows] for b in batches(rows)] == [[6], [1, 3], [2], [4], [5]]


class ForgettingBot(FakeBot):
    """The user runs /oubli while their topic is being created."""

    async def create_forum_topic(self, chat_id: int, name: str) -> Any:
        created = await super().create_forum_topic(chat_id, name)
        with session_scope() as session:
            session.execute(delete(User).where(User.id == "u1"))
        return created


def test_a_user_forgotten_while_their_topic_is_created_leaves_no_topic(
    relay: StaffRelay,
) -> None:
    bot = ForgettingBot()
    _queue("u1", OutboxKind.USER_MESSAGE, text="bonjour")
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    assert bot.deleted == [(STAFF, 1)], "the topic is deleted at once"
    assert staff_outbox.topic("u1") is None
    assert _texts(bot) == []


class UrgentMeanwhileBot(FakeBot):
    """Another user's urgent hand-off is queued while the group's backlog is being sent."""

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
        if text == "👤 first":
            with session_scope() as session:
                users.get_or_create(session, user_id="u9")
                handoff.request(session, user_id="u9", reason="safeguarding", urgent=True)
        return await super().send_message(chat_id, text, **kwargs)


def test_an_urgent_handoff_queued_during_a_backlog_is_sent_next(relay: StaffRelay) -> None:
    bot = UrgentMeanwhileBot()
    for user, text in (("u1", "first"), ("u2", "second"), ("u3", "third")):
        _queue(user, OutboxKind.USER_MESSAGE, text=text)
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    texts = [text for text in _texts(bot) if not text.startswith("🗂")]  # cards aside
    assert texts[0] == "👤 first"
    assert "URGENT" in texts[1], texts
    assert texts[2:] == ["👤 second", "👤 third"]
