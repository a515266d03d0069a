"""Users' forum topics in the staff group, and their pinned summary cards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import StaffTopic


@dataclass(frozen=True)
class Topic:
    """Where a user's staff conversation lives, detached from its session."""

    user_id: str
    chat_id: int
    thread_id: int
    name: str
    card_message_id: int | None
    card_text: str | None


def _topic(row: StaffTopic) -> Topic:
    return Topic(
        row.user_id, row.chat_id, row.thread_id, row.name, row.card_message_id, row.card_text
    )


def get(session: Session, *, user_id: str) -> Topic | None:
    """The user's topic, if one was created."""
    row = session.get(StaffTopic, user_id)
    return None if row is None else _topic(row)


def owner(session: Session, *, chat_id: int, thread_id: int) -> str | None:
    """The user whose topic this thread is."""
    row = session.scalars(
        select(StaffTopic).where(StaffTopic.chat_id == chat_id, StaffTopic.thread_id == thread_id)
    ).first()
    return None if row is None else row.user_id


def save(session: Session, *, user_id: str, chat_id: int, thread_id: int, name: str) -> None:
    """Map the user to a (new) topic."""
    session.merge(StaffTopic(user_id=user_id, chat_id=chat_id, thread_id=thread_id, name=name))


def delete(session: Session, *, user_id: str) -> None:
    """Drop the mapping (the topic was deleted by hand)."""
    row = session.get(StaffTopic, user_id)
    if row is not None:
        session.delete(row)


def store_card(session: Session, *, user_id: str, message_id: int, text: str) -> None:
    """Remember the pinned card's message and what it says."""
    row = session.get(StaffTopic, user_id)
    if row is not None:
        row.card_message_id, row.card_text = message_id, text
