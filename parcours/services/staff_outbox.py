"""What the staff relay reads and writes while it delivers to the coordinators' group.

For `bot/staff_relay.py` and `bot/staff_topics.py`, which do not open database sessions:
the due staff rows in order and a claim on each while it is sent (SKIP LOCKED, so that bot
replicas never send a row twice; a failure is retried with backoff, then parked), the user ↔
forum topic mapping with its pinned card and its staff group (per territory), and what the
announcements name (coordinators to mention, the contact request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm.exc import StaleDataError

from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import ContactRequest, OutboxMessage
from parcours.repositories import outbox, staff_topics, users
from parcours.repositories.outbox import Row as Row  # what the relay is handed
from parcours.repositories.staff_topics import Topic as Topic  # what the relay is handed
from parcours.services import meetings, routing, staff_card, staff_groups
from parcours.services.coordinator_setting import CoordinatorInfo
from parcours.services.outbox import STAFF_KINDS
from parcours.settings import Settings

#: Failed deliveries after which a row is parked (about 40 minutes of backoff in all).
MAX_ATTEMPTS = 8


class Claim:
    """An outbox row held by this process while it is delivered."""

    def __init__(self, row: OutboxMessage) -> None:
        self._row = row

    def delivered(self) -> None:
        """Telegram took it: the row is sent when the claim ends."""
        outbox.mark_sent(self._row)

    def failed(self, error: str) -> bool:
        """Telegram refused it: retried later with backoff; True when it is parked now."""
        return outbox.mark_failed(self._row, error=error, now=utcnow(), max_attempts=MAX_ATTEMPTS)


def unsent(limit: int) -> list[Row]:
    """Staff rows not delivered yet (parked ones aside), oldest first."""
    with session_scope() as session:
        return outbox.unsent(session, kinds=STAFF_KINDS, limit=limit)


def due(limit: int) -> list[Row]:
    """Staff rows to try now: undelivered, not parked, their backoff over; oldest first."""
    with session_scope() as session:
        return outbox.unsent(session, kinds=STAFF_KINDS, limit=limit, now=utcnow())


@contextmanager
def claim(outbox_id: int) -> Iterator[Claim | None]:
    """Hold the row while the block delivers it; None when it was sent meanwhile or another
    replica is sending it. Unless the block raises, the claim ends with a commit."""
    try:
        with session_scope() as session:
            row = outbox.claim(session, outbox_id=outbox_id)
            yield None if row is None else Claim(row)
    except StaleDataError:
        pass  # the row went while it was sent (its user was forgotten): nothing to record


def topic(user_id: str) -> Topic | None:
    """The user's forum topic, if one was created."""
    with session_scope() as session:
        return staff_topics.get(session, user_id=user_id)


def group_of(settings: Settings, user_id: str) -> int | None:
    """The staff group a new topic of the user opens in: their territory's, else the
    region-wide one (`parcours.services.staff_groups`)."""
    if not settings.staff_chats:
        return settings.staff_chat_id
    with session_scope() as session:
        user = users.get(session, user_id=user_id)
        route = routing.route_user(session, settings, town_code=user.town_code if user else None)
    return staff_groups.group_for(
        settings.staff_chats,
        settings.staff_chat_id,
        departement=route.departement,
        epci=route.epci,
    )


def move_topic(user_id: str, *, chat_id: int, thread_id: int, name: str) -> None:
    """The user's topic is now this one (another group's, after /transferer): its card is to
    be posted there."""
    with session_scope() as session:
        staff_topics.delete(session, user_id=user_id)
        session.flush()
        staff_topics.save(
            session, user_id=user_id, chat_id=chat_id, thread_id=thread_id, name=name
        )


def topic_name(user_id: str, first_name: str) -> str:
    """A new topic's name: the user's first name and territory."""
    with session_scope() as session:
        user = users.get(session, user_id=user_id)
        return staff_card.topic_name(first_name, session, user.town_code if user else None)


def save_topic(user_id: str, *, chat_id: int, thread_id: int, name: str) -> bool:
    """Map the user to a topic just created; False when the user was forgotten meanwhile
    (the topic must then be deleted)."""
    with session_scope() as session:
        if users.get(session, user_id=user_id) is None:
            return False
        staff_topics.save(
            session, user_id=user_id, chat_id=chat_id, thread_id=thread_id, name=name
        )
    return True


def forget_topic(user_id: str) -> None:
    """Drop the mapping of a topic deleted by hand; the next message recreates it."""
    with session_scope() as session:
        staff_topics.delete(session, user_id=user_id)


@dataclass(frozen=True)
class CardUpdate:
    """A card whose text changed (or was never posted)."""

    chat_id: int
    thread_id: int
    card_message_id: int | None
    text: str


def card_update(
    settings: Settings, user_id: str, exchanges: list[staff_card.Exchange]
) -> CardUpdate | None:
    """The card's new text; None when the user has no topic or the card is up to date."""
    with session_scope() as session:
        found = staff_topics.get(session, user_id=user_id)
        if found is None:
            return None
        text = staff_card.card_text(
            session,
            settings,
            user_id=user_id,
            first_name=found.name.split(" · ")[0],
            exchanges=exchanges,
            now=utcnow(),
        )
    if found.card_text == text and found.card_message_id is not None:
        return None
    return CardUpdate(found.chat_id, found.thread_id, found.card_message_id, text)


def store_card(user_id: str, message_id: int, text: str) -> None:
    """The card now shows `text`, in message `message_id`."""
    with session_scope() as session:
        staff_topics.store_card(session, user_id=user_id, message_id=message_id, text=text)


def to_mention(
    settings: Settings, user_id: str, *, backups: bool = False
) -> list[CoordinatorInfo]:
    """Who to notify about the user: their territory's coordinators, or the backups."""
    with session_scope() as session:
        user = users.get(session, user_id=user_id)
        route = routing.route_user(session, settings, town_code=user.town_code if user else None)
    return route.backups if backups else route.targets


@dataclass(frozen=True)
class RequestSummary:
    """What a staff notice says about a contact request."""

    message: str
    availability: str | None
    target_key: str
    due_at: datetime


def request_summary(request_id: int) -> RequestSummary | None:
    """The contact request a notice is about (None: deleted meanwhile)."""
    with session_scope() as session:
        request = session.get(ContactRequest, request_id)
        if request is None:
            return None
        return RequestSummary(
            request.message, request.availability, request.target_key, request.due_at
        )


@dataclass(frozen=True)
class MeetingSummary:
    """What the report-back line says about a meeting."""

    target_type: str
    target_key: str
    who: str
    day: date
    reported: bool


def meeting_summary(request_id: int) -> MeetingSummary | None:
    """The meeting a report-back line is about (None: gone, or no date)."""
    with session_scope() as session:
        request = session.get(ContactRequest, request_id)
        if request is None or request.proposed_date is None:
            return None
        return MeetingSummary(
            request.target_type,
            request.target_key,
            meetings.who(session, request),
            request.proposed_date,
            request.report_at is not None,
        )
