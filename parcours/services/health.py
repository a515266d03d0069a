"""Database health for the bot's ops endpoints: reachability, outage errors, backlog counts.

`OUTAGE` are the errors a database restart raises (the bot retries whole turns on them);
`ping` backs `/health`; `backlog` backs the gauges `/metrics` refreshes at each scrape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from parcours.db.engine import get_engine, session_scope
from parcours.models import ContactRequest, Handoff, HandoffState, RequestStatus
from parcours.repositories import pending

#: Errors of an unreachable database (refused or broken connections), as opposed to bugs.
OUTAGE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def ping() -> None:
    """Run `SELECT 1`; raises when the database is unreachable."""
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


@dataclass(frozen=True)
class Backlog:
    """What the database gauges show."""

    handoffs_waiting: int
    oldest_wait_seconds: float
    requests_past_due: int
    requests_expired: int
    pending_messages: int


def backlog(*, now: datetime) -> Backlog:
    """Count waiting hand-offs, overdue requests and kept messages (a few COUNT queries)."""
    with session_scope() as session:
        return _backlog(session, now)


def _backlog(session: Session, now: datetime) -> Backlog:
    waiting, oldest = session.execute(
        select(func.count(Handoff.id), func.min(Handoff.created_at)).where(
            Handoff.state == HandoffState.WAITING
        )
    ).one()
    past_due = session.scalar(
        select(func.count(ContactRequest.id)).where(
            ContactRequest.status == RequestStatus.SENT, ContactRequest.due_at <= now
        )
    )
    expired = session.scalar(
        select(func.count(ContactRequest.id)).where(ContactRequest.status == RequestStatus.EXPIRED)
    )
    oldest_seconds = 0.0
    if oldest is not None:
        # SQLite returns the aggregate as a naive datetime or a string: normalise to UTC.
        if isinstance(oldest, str):
            oldest = datetime.fromisoformat(oldest)
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        oldest_seconds = max((now - oldest).total_seconds(), 0.0)
    return Backlog(
        int(waiting), oldest_seconds, past_due or 0, expired or 0, pending.count(session)
    )
