"""Outbox rows for users, channel-neutral: what to tell them, with buttons or a document.

Every channel delivers the rows of its users: the Telegram bot those of numeric user ids
(`bot/user_delivery.py`), the web channel those of "web:…" ids. A row is claimed while it is
sent (SKIP LOCKED: two bot replicas never send it twice) and marked sent once delivered, or
once it never can be (the user blocked the bot). A row whose news went stale before it was
sent (a reminder for a date that changed, a cancelled request) is marked sent unsaid.
The text is made at delivery, in the user's register of that moment; a calendar file is
kept whole in its row (it survives restarts, and the web channel serves it for download).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from parcours.db.engine import session_scope
from parcours.models import ContactRequest, OutboxMessage, RequestStatus
from parcours.repositories import outbox, users
from parcours.services import meeting_texts, meetings, notifications
from parcours.services.outbox import USER_KINDS, OutboxKind

Channel = Literal["telegram", "web"]
WEB_PREFIX = "web:"


@dataclass(frozen=True)
class Document:
    """A file for the user: name, MIME type, bytes."""

    filename: str
    mime: str
    content: bytes


@dataclass(frozen=True)
class UserMessage:
    """One outbox row as the user is to see it (text in their register)."""

    outbox_id: int
    user_id: str
    kind: OutboxKind
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    document: Document | None = None


class Claim:
    """A user row held by this process while it is delivered."""

    def __init__(self, row: OutboxMessage) -> None:
        self._row = row

    def delivered(self) -> None:
        """The channel took it."""
        outbox.mark_sent(self._row)

    def undeliverable(self) -> None:
        """It never can be (the user blocked the bot, deleted the chat): not tried again."""
        outbox.mark_sent(self._row)


def _channel_filter(channel: Channel) -> ColumnElement[bool]:
    if channel == "web":
        return OutboxMessage.user_id.startswith(WEB_PREFIX)
    return OutboxMessage.user_id.regexp_match("^[0-9]+$")


def _document(payload: dict[str, Any]) -> Document | None:
    data = payload.get("document")
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        return None
    return Document(
        str(data.get("filename") or "document"),
        str(data.get("mime") or "application/octet-stream"),
        data["content"].encode("utf-8"),
    )


def _meeting_of(session: Session, payload: dict[str, Any]) -> tuple[ContactRequest | None, Any]:
    request = session.get(ContactRequest, payload.get("request_id"))
    if request is None or request.meeting_sequence != payload.get("sequence"):
        return None, None  # gone, or its date changed since: a newer row tells the news
    return request, meetings.meeting_of(session, request)


def render(session: Session, row: OutboxMessage) -> UserMessage | None:
    """The message of a user row; None when there is nothing (left) to say."""
    assert row.user_id is not None
    user = users.get(session, user_id=row.user_id)
    register = user.register if user is not None else "tu"
    kind, payload = OutboxKind(row.kind), dict(row.payload)
    if kind is OutboxKind.REQUEST_UPDATE:
        request = session.get(ContactRequest, payload.get("request_id"))
        text = notifications.text_of(payload, request, register)
        return None if text is None else UserMessage(row.id, row.user_id, kind, text)
    request, meeting = _meeting_of(session, payload)
    if request is None or meeting is None:
        return None
    if kind is OutboxKind.MEETING_CALENDAR:
        if request.status != RequestStatus.ACCEPTED:
            return None
        text = meeting_texts.calendar_caption(meeting, register)
        return UserMessage(row.id, row.user_id, kind, text, document=_document(payload))
    if kind is OutboxKind.MEETING_REMINDER:
        if request.status != RequestStatus.ACCEPTED:
            return None
        return UserMessage(row.id, row.user_id, kind, meeting_texts.reminder(meeting, register))
    if kind is OutboxKind.MEETING_FOLLOW_UP:
        if request.status not in (RequestStatus.ACCEPTED, RequestStatus.DONE):
            return None
        text = meeting_texts.follow_up(meeting, register)
        buttons = meeting_texts.follow_up_buttons(request.id)
        return UserMessage(row.id, row.user_id, kind, text, buttons)
    return None


def pending(session: Session, channel: Channel, *, limit: int = 50) -> list[UserMessage]:
    """In the caller's unit of work: the channel's user rows to deliver, oldest first, locked
    (SKIP LOCKED: another replica takes the next ones); rows with nothing left to say are
    marked sent. For a channel that stores what it delivers in the same transaction (the web
    transcript): `mark_sent` then, in that same session."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind.in_(USER_KINDS),
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.parked_at.is_(None),
            _channel_filter(channel),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    messages = []
    for row in rows:
        message = render(session, row)
        if message is None:
            outbox.mark_sent(row)
        else:
            messages.append(message)
    return messages


def mark_sent(session: Session, *, outbox_ids: list[int]) -> None:
    """In the caller's unit of work: these rows were delivered (or never can be)."""
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outbox_ids))):
        outbox.mark_sent(row)


def due(channel: Channel, *, limit: int = 50) -> list[UserMessage]:
    """The channel's user rows to deliver, oldest first (each then sent under a `claim`);
    rows with nothing left to say are marked sent on the way."""
    with session_scope() as session:
        return pending(session, channel, limit=limit)


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


def document(user_id: str, outbox_id: int) -> Document | None:
    """The document of one of the user's rows (None: not theirs, or no document): what the
    web channel serves as a download to that user's session only."""
    with session_scope() as session:
        row = session.get(OutboxMessage, outbox_id)
        if row is None or row.user_id != user_id or row.kind not in USER_KINDS:
            return None
        return _document(dict(row.payload))
