"""Retention: nothing about a conversation is kept longer than RETENTION_DAYS.

- A user inactive for longer than that is forgotten entirely (`privacy.forget_user`: app
  rows and Rasa tracker rows). Their staff forum topic is listed in the result so that the
  Telegram bot deletes it (`deleteForumTopic`): coordinators' transcripts follow the same
  retention, and only the bot can reach Telegram.
- For the others, what is older than the retention goes: tracker events, processed and
  pending messages, delivered outbox rows, ended hand-offs (with their notes and audit
  rows) and finished contact requests.

`User.last_seen_at` alone is not trusted to say who is inactive: it moves when the profile
changes, not on every message. A user's last activity is the latest of that field and of
their newest message (tracker, processed or pending), hand-off and contact request change.
Users with a hand-off in progress are never forgotten. Running it twice changes nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Delete, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from parcours.models import (
    ContactRequest,
    ContactRequestEvent,
    Handoff,
    HandoffEvent,
    HandoffNote,
    HandoffState,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    RequestStatus,
    StaffTopic,
    User,
    WebMessage,
)
from parcours.repositories import web_messages
from parcours.services import privacy, rasa_events
from parcours.settings import Settings

#: Requests that will not move again. An expired request may still get a late answer, but
#: not after the retention period: then it is finished too.
FINISHED_REQUESTS = (
    RequestStatus.DECLINED,
    RequestStatus.DONE,
    RequestStatus.CANCELLED,
    RequestStatus.EXPIRED,
)
ENDED_HANDOFFS = (HandoffState.BOT, HandoffState.CLOSED)
OPEN_HANDOFFS = (HandoffState.WAITING, HandoffState.HUMAN)


@dataclass(frozen=True)
class ForumTopic:
    """A staff forum topic the bot must delete (`deleteForumTopic`)."""

    chat_id: int
    thread_id: int


@dataclass(frozen=True)
class PurgeResult:
    """What was (or, in a dry run, would be) deleted.

    Per-kind counts are the old rows of the users kept; the rows of forgotten users go with
    them and are counted in `forgotten_users` only.
    """

    forgotten_users: int = 0
    topics: tuple[ForumTopic, ...] = ()
    tracker_events: int = 0
    processed_messages: int = 0
    pending_messages: int = 0
    outbox_messages: int = 0
    handoffs: int = 0
    contact_requests: int = 0
    web_messages: int = 0
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """Counts per kind, for the CLI and logs."""
        return {
            "forgotten_users": self.forgotten_users,
            "staff_topics": len(self.topics),
            "tracker_events": self.tracker_events,
            "processed_messages": self.processed_messages,
            "pending_messages": self.pending_messages,
            "outbox_messages": self.outbox_messages,
            "handoffs": self.handoffs,
            "contact_requests": self.contact_requests,
            "web_messages": self.web_messages,
        }


def _as_utc(value: Any) -> datetime | None:
    """Aggregates (MAX) bypass the UTC column type: SQLite returns naive values or text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _last_activity(session: Session, settings: Settings) -> dict[str, datetime]:
    """Each known user's latest sign of life, wherever it was recorded."""
    known = set(session.scalars(select(User.id)))
    latest: dict[str, datetime] = {}

    def merge(rows: Iterable[tuple[Any, Any]]) -> None:
        for user_id, value in rows:
            at = _as_utc(value)
            if user_id not in known or at is None:
                continue
            if user_id not in latest or at > latest[user_id]:
                latest[user_id] = at

    merge(session.execute(select(User.id, User.last_seen_at)).all())
    merge(session.execute(select(User.id, User.created_at)).all())
    for model in (ProcessedMessage, PendingMessage, ContactRequest, WebMessage):
        merge(
            session.execute(
                select(model.user_id, func.max(model.created_at)).group_by(model.user_id)
            ).all()
        )
    merge(
        session.execute(
            select(Handoff.user_id, func.max(Handoff.updated_at)).group_by(Handoff.user_id)
        ).all()
    )
    merge(
        session.execute(
            select(ContactRequest.user_id, func.max(ContactRequestEvent.created_at))
            .select_from(ContactRequestEvent)
            .join(ContactRequest, ContactRequest.id == ContactRequestEvent.request_id)
            .group_by(ContactRequest.user_id)
        ).all()
    )
    merge(rasa_events.last_user_event_at(settings).items())
    return latest


def inactive_users(session: Session, settings: Settings, *, now: datetime) -> list[str]:
    """Users with no activity within the retention (never one in a hand-off in progress)."""
    cutoff = now - timedelta(days=settings.retention_days)
    busy = set(session.scalars(select(Handoff.user_id).where(Handoff.state.in_(OPEN_HANDOFFS))))
    return sorted(
        user_id
        for user_id, at in _last_activity(session, settings).items()
        if at < cutoff and user_id not in busy
    )


def _apply(session: Session, statement: Delete, *, where: ColumnElement[bool], dry: bool) -> int:
    """Count the rows `where` selects in the statement's table; delete them unless dry."""
    count = session.scalar(select(func.count()).select_from(statement.table).where(where))
    if count and not dry:
        session.execute(statement.where(where), execution_options={"synchronize_session": False})
    return count or 0


def _purge_tracker(settings: Settings, cutoff: datetime, *, skip: set[str], dry: bool) -> int:
    """Delete tracker events older than the cutoff; count those of senders not in `skip`."""
    per_sender = rasa_events.count_older(settings, cutoff)
    if per_sender and not dry:
        rasa_events.delete_older(settings, cutoff)
    return sum(count for sender, count in per_sender.items() if sender not in skip)


def purge(
    session: Session, settings: Settings, *, now: datetime, dry_run: bool = False
) -> PurgeResult:
    """Forget inactive users, then delete what is older than the retention for the others.

    The caller owns the unit of work (commit); tracker rows are deleted in their own
    transaction, as in `privacy.forget_user`. With `dry_run`, nothing is deleted anywhere.
    """
    cutoff = now - timedelta(days=settings.retention_days)
    inactive = inactive_users(session, settings, now=now)
    # Captured before the rows go: the bot needs them to delete the topics on Telegram.
    topics = tuple(
        ForumTopic(chat_id=t.chat_id, thread_id=t.thread_id)
        for t in session.scalars(
            select(StaffTopic).where(StaffTopic.user_id.in_(inactive)).order_by(StaffTopic.user_id)
        )
    )
    if not dry_run:
        for user_id in inactive:
            privacy.forget_user(session, settings, user_id=user_id)
    kept_users = select(User.id).where(User.id.not_in(inactive))  # dry run: still there

    last_change = (
        select(func.max(ContactRequestEvent.created_at))
        .where(ContactRequestEvent.request_id == ContactRequest.id)
        .scalar_subquery()
    )
    old_requests = list(
        session.scalars(
            select(ContactRequest.id).where(
                ContactRequest.status.in_(FINISHED_REQUESTS),
                func.coalesce(last_change, ContactRequest.created_at) < cutoff,
                ContactRequest.user_id.in_(kept_users),
            )
        )
    )
    old_handoffs = list(
        session.scalars(
            select(Handoff.id).where(
                Handoff.state.in_(ENDED_HANDOFFS),
                func.coalesce(Handoff.ended_at, Handoff.updated_at) < cutoff,
                Handoff.user_id.in_(kept_users),
            )
        )
    )
    if not dry_run:  # children first: bulk deletes do not cascade through the ORM
        for child in (HandoffNote, HandoffEvent):
            session.execute(delete(child).where(child.handoff_id.in_(old_handoffs)))
        session.execute(
            delete(ContactRequestEvent).where(ContactRequestEvent.request_id.in_(old_requests))
        )

    def older(model: type[ProcessedMessage] | type[PendingMessage]) -> int:
        where = and_(model.created_at < cutoff, model.user_id.in_(kept_users))
        return _apply(session, delete(model), where=where, dry=dry_run)

    sent_outbox = and_(
        OutboxMessage.sent_at.is_not(None),
        OutboxMessage.sent_at < cutoff,
        or_(OutboxMessage.user_id.is_(None), OutboxMessage.user_id.in_(kept_users)),
    )
    result = PurgeResult(
        forgotten_users=len(inactive),
        topics=topics,
        tracker_events=_purge_tracker(settings, cutoff, skip=set(inactive), dry=dry_run),
        processed_messages=older(ProcessedMessage),
        pending_messages=older(PendingMessage),
        outbox_messages=_apply(session, delete(OutboxMessage), where=sent_outbox, dry=dry_run),
        handoffs=_apply(session, delete(Handoff), where=Handoff.id.in_(old_handoffs), dry=dry_run),
        contact_requests=_apply(
            session,
            delete(ContactRequest),
            where=ContactRequest.id.in_(old_requests),
            dry=dry_run,
        ),
        # Any user's: a web user's first bubbles may come before their user row.
        web_messages=web_messages.delete_older(
            session, cutoff=cutoff, skip=inactive, dry_run=dry_run
        ),
        dry_run=dry_run,
    )
    session.flush()
    return result
