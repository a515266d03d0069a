"""Web chat transcript rows: add, read back (history, pushes, documents), delete old ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from parcours.models import WebMessage


def add(
    session: Session,
    *,
    user_id: str,
    role: str,
    body: dict[str, Any],
    pushed: bool = False,
    document: tuple[str, bytes] | None = None,
) -> WebMessage:
    """Store one bubble (flushed: its id is known)."""
    row = WebMessage(
        user_id=user_id,
        role=role,
        body=body,
        pushed=pushed,
        document_name=document[0][:128] if document else None,
        document=document[1] if document else None,
    )
    session.add(row)
    session.flush()
    return row


def latest(session: Session, *, user_id: str, limit: int) -> list[WebMessage]:
    """The user's last `limit` bubbles, oldest first."""
    rows = session.scalars(
        select(WebMessage)
        .where(WebMessage.user_id == user_id)
        .order_by(WebMessage.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def pushed_after(session: Session, *, after_id: int, limit: int) -> Sequence[WebMessage]:
    """Pushed bubbles with an id above `after_id`, oldest first (every user)."""
    return session.scalars(
        select(WebMessage)
        .where(WebMessage.pushed.is_(True), WebMessage.id > after_id)
        .order_by(WebMessage.id)
        .limit(limit)
    ).all()


def last_id(session: Session) -> int:
    """The highest id so far (0 for an empty table)."""
    return int(session.scalar(select(func.max(WebMessage.id))) or 0)


def document(session: Session, *, user_id: str, message_id: int) -> tuple[str, bytes] | None:
    """The file of one of the user's bubbles (None if not theirs or none)."""
    row = session.get(WebMessage, message_id)
    if row is None or row.user_id != user_id or row.document is None:
        return None
    return row.document_name or "document", row.document


def of_user(session: Session, *, user_id: str) -> Sequence[WebMessage]:
    """Every bubble of the user, oldest first (/mes_donnees)."""
    return session.scalars(
        select(WebMessage).where(WebMessage.user_id == user_id).order_by(WebMessage.id)
    ).all()


def delete_older(
    session: Session, *, cutoff: datetime, skip: Sequence[str] = (), dry_run: bool = False
) -> int:
    """Delete (or only count) bubbles created before `cutoff`, but those of `skip`'s users;
    how many."""
    older = and_(WebMessage.created_at < cutoff, WebMessage.user_id.not_in(skip))
    count = int(session.scalar(select(func.count()).select_from(WebMessage).where(older)) or 0)
    if count and not dry_run:
        session.execute(delete(WebMessage).where(older))
    return count
