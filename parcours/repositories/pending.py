"""Messages kept while Rasa was down: a queue answered oldest first once it is back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parcours.models import PendingMessage


@dataclass(frozen=True)
class Kept:
    """A kept message, detached from its session."""

    id: int
    user_id: str
    message_key: str
    text: str


def keep(session: Session, *, user_id: str, message_key: str, text: str) -> None:
    """Keep the message once per key; a redelivered one counts another attempt."""
    exists = session.scalars(
        select(PendingMessage).where(
            PendingMessage.user_id == user_id, PendingMessage.message_key == message_key
        )
    ).first()
    if exists is None:
        session.add(PendingMessage(user_id=user_id, message_key=message_key, text=text))
    else:
        exists.attempts += 1


def oldest(session: Session, *, limit: int) -> list[Kept]:
    """The first `limit` kept messages, in the order they arrived."""
    rows = session.scalars(select(PendingMessage).order_by(PendingMessage.id).limit(limit))
    return [Kept(row.id, row.user_id, row.message_key, row.text) for row in rows]


def drop(session: Session, *, pending_id: int) -> None:
    """Forget an answered message (already gone is fine)."""
    row = session.get(PendingMessage, pending_id)
    if row is not None:
        session.delete(row)


def count(session: Session) -> int:
    """How many messages wait for Rasa."""
    return session.scalar(select(func.count(PendingMessage.id))) or 0
