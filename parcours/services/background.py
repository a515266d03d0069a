"""The database side of the bot's periodic jobs, one unit of work per call.

For `bot/notifier.py`, which does not open database sessions: the hourly request deadlines,
the meetings' reminders and follow-ups, waiting chats to announce again, the retention purge,
the second deletion of forgotten users. (What users are told: `user_outbox`.)
"""

from __future__ import annotations

from datetime import datetime

from parcours.db.engine import session_scope
from parcours.repositories import outbox
from parcours.services import (
    contact_requests,
    conversations,
    handoff,
    meetings,
    privacy,
    retention,
)
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings


def request_deadlines(now: datetime) -> dict[str, int]:
    """Reminders before a request's deadline, expiry and escalation after it: the counts."""
    with session_scope() as session:
        return contact_requests.tick(session, now=now)


def meeting_messages(settings: Settings, *, now: datetime) -> dict[str, int]:
    """Queue the meetings' reminders (the day before) and follow-ups (after): the counts."""
    with session_scope() as session:
        return meetings.tick(session, settings, now=now)


def reannounce_waiting(*, now: datetime, minutes: int) -> int:
    """Queue a second announcement (to the backups) of each chat nobody took within
    `minutes`; how many."""
    with session_scope() as session:
        due = handoff.due_for_reannounce(session, now=now, minutes=minutes)
        for episode in due:
            episode.reannounced_at = now
            waited = int((now - episode.created_at).total_seconds() // 60)
            outbox.add(
                session,
                user_id=episode.user_id,
                kind=OutboxKind.HANDOFF_REANNOUNCE,
                payload={"minutes": waited},
            )
        return len(due)


def purge(settings: Settings, *, now: datetime) -> dict[str, int]:
    """Forget what is older than RETENTION_DAYS; what was deleted, by kind."""
    with session_scope() as session:
        return retention.purge(session, settings, now=now).counts()


def finish_forgetting(settings: Settings, *, now: datetime) -> int:
    """The second deletion of users forgotten long enough ago that no turn of theirs can
    still be in flight; how many."""
    with session_scope() as session:
        done = privacy.finish_forgetting(session, settings, now=now)
    if done:
        conversations.scrub_files(settings)
    return done
