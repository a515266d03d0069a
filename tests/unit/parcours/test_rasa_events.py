"""Reads and deletions on Rasa's events table (parcours.services.rasa_events)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from parcours.services import rasa_events
from parcours.settings import Settings
from tests.factories import tracker_store

ROWS = [  # sender, type, timestamp, intent, data
    ("u1", "user", 100.0, "greet", '{"text": "bonjour"}'),
    ("u1", "bot", 101.0, None, '{"text": "Salut !"}'),
    ("u2", "user", 200.0, None, "not json"),
    ("u1", "user", 300.0, "faq", None),
]


def tracker(tmp_path: Path, settings: Settings) -> Settings:
    """A tracker table shaped like Rasa's, with the rows above."""
    path = tmp_path / "tracker.db"
    engine = tracker_store(path)
    with engine.begin() as conn:
        for sender, kind, at, intent, data in ROWS:
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                    "VALUES (:s, :k, :t, :i, :d)"
                ),
                {"s": sender, "k": kind, "t": at, "i": intent, "d": data},
            )
    engine.dispose()
    return settings.model_copy(update={"rasa_tracker_db": str(path)})


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_reads_parse_the_json_and_tolerate_bad_or_empty_data(
    tmp_path: Path, settings: Settings
) -> None:
    settings = tracker(tmp_path, settings)
    events = rasa_events.events_of(settings, "u1")
    assert [(e.type_name, e.data.get("text")) for e in events] == [
        ("user", "bonjour"),
        ("bot", "Salut !"),
        ("user", None),
    ]
    assert events[0].at == at(100.0)
    users = rasa_events.user_events(settings, since=at(150.0), until=at(400.0))
    assert users is not None
    assert [(e.sender_id, e.data) for e in users] == [("u2", {}), ("u1", {})]
    assert rasa_events.last_user_event_at(settings) == {"u1": at(300.0), "u2": at(200.0)}
    assert rasa_events.count_older(settings, at(250.0)) == {"u1": 2, "u2": 1}


def test_deletions_remove_old_events_or_one_conversation(
    tmp_path: Path, settings: Settings
) -> None:
    settings = tracker(tmp_path, settings)
    rasa_events.delete_older(settings, at(150.0))
    assert rasa_events.count_older(settings, at(1000.0)) == {"u1": 1, "u2": 1}
    rasa_events.delete_conversation(settings, "u2")
    assert rasa_events.count_older(settings, at(1000.0)) == {"u1": 1}


def test_without_a_tracker_nothing_is_read_deleted_or_created(
    tmp_path: Path, settings: Settings
) -> None:
    missing = settings.model_copy(update={"rasa_tracker_db": str(tmp_path / "absent.db")})
    assert rasa_events.tracker_missing(missing)
    assert rasa_events.events_of(missing, "u1") == []
    assert rasa_events.user_events(missing, since=at(0.0), until=at(1.0)) is None
    assert rasa_events.last_user_event_at(missing) == {}
    rasa_events.delete_older(missing, at(1.0))
    rasa_events.delete_conversation(missing, "u1")
    assert not (tmp_path / "absent.db").exists()
    no_table = tmp_path / "empty.db"
    engine = create_engine(f"sqlite:///{no_table}")
    engine.connect().close()  # the file exists, without Rasa's table
    engine.dispose()
    empty = settings.model_copy(update={"rasa_tracker_db": str(no_table)})
    assert rasa_events.user_events(empty, since=at(0.0), until=at(1.0)) is None
    rasa_events.delete_conversation(empty, "u1")
