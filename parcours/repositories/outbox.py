"""Outbox rows: queue one, list the unsent ones in order, claim one while it is delivered."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
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


def add(
    session: Session, *, user_id: str | None, kind: OutboxKind, payload: dict[str, Any]
) -> None:
    """Queue a row (delivered after the unit of work commits)."""
    session.add(OutboxMessage(user_id=user_id, kind=kind, payload=payload))


def unsent(session: Session, *, kinds: Collection[OutboxKind], limit: int) -> list[Row]:
    """Rows of these kinds not delivered yet, oldest first."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind.in_(kinds), OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return [Row(row.id, row.user_id, OutboxKind(row.kind), dict(row.payload)) for row in rows]


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
