"""Outbox rows: queue one, list the due ones in order, claim one while it is delivered, and
record a failed delivery (retried later with backoff, parked after too many)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import OutboxMessage
from parcours.services.outbox import OutboxKind


@dataclass(frozen=True)
class Row:
    """An outbox row as read, detached from its session."""

    id: int
    user_id: str | None
    kind: OutboxKind
    payload: dict[str, Any]
    attempts: int = 0


def add(
    session: Session, *, user_id: str | None, kind: OutboxKind, payload: dict[str, Any]
) -> None:
    """Queue a row (delivered after the unit of work commits)."""
    session.add(OutboxMessage(user_id=user_id, kind=kind, payload=payload))


def unsent(
    session: Session,
    *,
    kinds: Collection[OutboxKind],
    limit: int,
    now: datetime | None = None,
) -> list[Row]:
    """Rows of these kinds not delivered yet, oldest first: without `now`, all of them but the
    parked ones; with it, only those due (never failed, or their backoff is over)."""
    query = select(OutboxMessage).where(
        OutboxMessage.kind.in_(kinds),
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.parked_at.is_(None),
    )
    if now is not None:
        query = query.where(
            or_(OutboxMessage.next_try_at.is_(None), OutboxMessage.next_try_at <= now)
        )
    rows = session.scalars(query.order_by(OutboxMessage.id).limit(limit))
    return [
        Row(row.id, row.user_id, OutboxKind(row.kind), dict(row.payload), row.attempts)
        for row in rows
    ]


def claim(session: Session, *, outbox_id: int) -> OutboxMessage | None:
    """Lock the row if it is still unsent and nobody else holds it (SKIP LOCKED: another
    bot replica delivering it makes this one skip it); None otherwise."""
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.sent_at.is_(None))
        .with_for_update(skip_locked=True)
    ).first()


def mark_sent(row: OutboxMessage) -> None:
    """The row was delivered (or cannot be, ever)."""
    row.sent_at = utcnow()


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 10 s, 20 s, 40 s… capped at 10 minutes."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 600))


def mark_failed(row: OutboxMessage, *, error: str, now: datetime, max_attempts: int) -> bool:
    """Count a failed delivery: retried after a backoff, or parked once `max_attempts` failed.
    True when the row is parked now."""
    row.attempts = (row.attempts or 0) + 1
    row.last_error = error[:256]
    if row.attempts >= max_attempts:
        row.parked_at = now
        row.next_try_at = None
        return True
    row.next_try_at = now + backoff(row.attempts)
    return False
