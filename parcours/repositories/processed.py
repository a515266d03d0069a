"""Inputs already answered, with their answer: a redelivered input gets it again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import ProcessedMessage


def answer_to(session: Session, *, user_id: str, message_key: str) -> list[dict[str, Any]] | None:
    """The replies given to this input (replay wire format), or None if it is new."""
    row = session.scalars(
        select(ProcessedMessage).where(
            ProcessedMessage.user_id == user_id, ProcessedMessage.message_key == message_key
        )
    ).first()
    return None if row is None else list(row.replies)


def remember(
    session: Session, *, user_id: str, message_key: str, replies: list[dict[str, Any]]
) -> None:
    """Store the answer to an input (unique per user and key)."""
    session.add(ProcessedMessage(user_id=user_id, message_key=message_key, replies=replies))
