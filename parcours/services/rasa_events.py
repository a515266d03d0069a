"""Rasa's tracker store: the one module that reads and deletes rows of its `events` table.

Rasa owns that table (one row per event: `sender_id`, `type_name`, `timestamp` in epoch
seconds, `intent_name`, and `data`, the whole event as JSON). Privacy (export, forget),
retention (purge) and the activity report go through the functions here. Until Rasa has run
there is no table (or no SQLite file): readers then get nothing and deletions do nothing;
connecting to a missing SQLite file is avoided, as it would create the file empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from parcours.db.engine import get_engine, wal_checkpoint
from parcours.db.urls import for_app
from parcours.settings import Settings


@dataclass(frozen=True)
class TrackerEvent:
    """One row of the events table, its JSON `data` parsed ({} when empty or malformed)."""

    sender_id: str
    type_name: str
    timestamp: float  # epoch seconds, as Rasa stores it
    intent_name: str | None
    data: dict[str, Any]

    @property
    def at(self) -> datetime:
        """The event's time, aware (UTC)."""
        return datetime.fromtimestamp(self.timestamp, UTC)


def tracker_url(settings: Settings) -> str:
    """SQLAlchemy URL of Rasa's tracker store (the settings `make up` writes into Rasa's
    endpoints), for this process's driver."""
    return for_app(settings.rasa_tracker_url or f"sqlite:///{settings.rasa_tracker_db}")


def tracker_missing(settings: Settings) -> bool:
    """True when the tracker is a SQLite file that does not exist yet (Rasa never ran)."""
    parsed = make_url(tracker_url(settings))
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database
    return not database or (database != ":memory:" and not Path(database).exists())


def _query(settings: Settings, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]] | None:
    """Rows of a read on the events table; None when Rasa has not created it."""
    if tracker_missing(settings):
        return None
    try:
        with get_engine(tracker_url(settings)).connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    except (OperationalError, ProgrammingError):  # no tracker table yet
        return None


def _delete(settings: Settings, sql: str, params: dict[str, Any]) -> None:
    """Run a DELETE on the events table in its own transaction (nothing without a table)."""
    if tracker_missing(settings):
        return
    try:
        with get_engine(tracker_url(settings)).begin() as conn:
            conn.execute(text(sql), params)
    except (OperationalError, ProgrammingError):
        pass  # no tracker table yet: nothing to delete


def _parse(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _events(rows: list[tuple[Any, ...]]) -> list[TrackerEvent]:
    return [
        TrackerEvent(
            sender_id=str(sender_id),
            type_name=str(type_name),
            timestamp=float(timestamp),
            intent_name=intent_name,
            data=_parse(raw),
        )
        for sender_id, type_name, timestamp, intent_name, raw in rows
    ]


def events_of(settings: Settings, sender_id: str) -> list[TrackerEvent]:
    """Every event of one conversation, oldest first (none without a tracker)."""
    rows = _query(
        settings,
        "SELECT sender_id, type_name, timestamp, intent_name, data FROM events "
        "WHERE sender_id = :id ORDER BY id",
        {"id": sender_id},
    )
    return _events(rows or [])


def user_events(
    settings: Settings, *, since: datetime, until: datetime
) -> list[TrackerEvent] | None:
    """The `user` events in [since, until), oldest first; None when there is no tracker table."""
    rows = _query(
        settings,
        "SELECT sender_id, type_name, timestamp, intent_name, data FROM events "
        "WHERE type_name = 'user' AND timestamp >= :since AND timestamp < :until ORDER BY id",
        {"since": since.timestamp(), "until": until.timestamp()},
    )
    return None if rows is None else _events(rows)


def last_user_event_at(settings: Settings) -> dict[str, datetime]:
    """Each sender's latest `user` event (a message they sent)."""
    rows = _query(
        settings,
        "SELECT sender_id, MAX(timestamp) FROM events WHERE type_name = 'user' GROUP BY sender_id",
        {},
    )
    return {
        str(sender): datetime.fromtimestamp(float(at), UTC)
        for sender, at in rows or []
        if at is not None
    }


def count_older(settings: Settings, cutoff: datetime) -> dict[str, int]:
    """Per sender, how many events are older than `cutoff`."""
    rows = _query(
        settings,
        "SELECT sender_id, COUNT(*) FROM events WHERE timestamp < :cutoff GROUP BY sender_id",
        {"cutoff": cutoff.timestamp()},
    )
    return {str(sender): int(count) for sender, count in rows or []}


def delete_older(settings: Settings, cutoff: datetime) -> None:
    """Delete every event older than `cutoff`."""
    _delete(
        settings, "DELETE FROM events WHERE timestamp < :cutoff", {"cutoff": cutoff.timestamp()}
    )


def senders(settings: Settings) -> set[str]:
    """Every sender id with events (Rasa indexes `sender_id`)."""
    rows = _query(settings, "SELECT DISTINCT sender_id FROM events", {})
    return {str(sender) for (sender,) in rows or []}


def delete_conversation(settings: Settings, sender_id: str) -> None:
    """Delete every event of one conversation."""
    _delete(settings, "DELETE FROM events WHERE sender_id = :id", {"id": sender_id})


def checkpoint(settings: Settings) -> bool:
    """SQLite tracker: empty its write-ahead log after a deletion (see `wal_checkpoint`)."""
    if tracker_missing(settings):
        return False
    return wal_checkpoint(tracker_url(settings))
