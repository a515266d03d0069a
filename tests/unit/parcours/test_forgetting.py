"""Forgetting is final: tombstones, the second deletion, and nothing left in SQLite files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import (
    ForgottenUser,
    PendingMessage,
)
from parcours.repositories import users
from parcours.services import background, conversations, forgetting
from parcours.settings import Settings
from tests.factories import app_rows_of, tracker_store

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

SECRET = "mon-secret-tres-personnel-4242"


def with_tracker(tmp_path: Path, settings: Settings, *senders: str) -> Settings:
    """A SQLite tracker shaped like Rasa's, one user event per sender (saying SECRET)."""
    path = tmp_path / "tracker.db"
    tracker_store(path).dispose()
    settings = settings.model_copy(update={"rasa_tracker_db": str(path)})
    write_events(settings, *senders)
    return settings


def write_events(settings: Settings, *senders: str) -> None:
    """What Rasa's tracker store does when it saves a turn (its own connection)."""
    engine = create_engine(f"sqlite:///{settings.rasa_tracker_db}")
    with engine.begin() as conn:
        for sender in senders:
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', 1.0, :d)"
                ),
                {"s": sender, "d": f'{{"text": "{SECRET}"}}'},
            )
    engine.dispose()


def tracker_senders(settings: Settings) -> list[str]:
    engine = create_engine(f"sqlite:///{settings.rasa_tracker_db}")
    with engine.connect() as conn:
        senders = conn.execute(text("SELECT sender_id FROM events ORDER BY id")).scalars().all()
    engine.dispose()
    return list(senders)


def written_back(user_id: str) -> None:
    """What a turn in flight writes without looking at tombstones (an action started
    before /oubli, say)."""
    with session_scope() as session:
        users.get_or_create(session, user_id=user_id)
        session.flush()
        session.add(PendingMessage(user_id=user_id, message_key="late", text=SECRET))


def test_nothing_is_written_for_a_user_being_forgotten(settings: Settings) -> None:
    conversations.keep_for_later("u1", "k0", "avant")
    conversations.forget(settings, "u1")
    conversations.keep_for_later("u1", "k1", SECRET)
    conversations.relay_text("u1", SECRET)
    conversations.remember("u1", "k2", [{"text": "réponse"}])
    conversations.start_over("u1")
    conversations.request_handoff("u1", reason="user_request", urgent=True)
    assert app_rows_of("u1") == 0


def test_the_tombstone_keeps_a_keyed_hash_not_the_id(settings: Settings) -> None:
    conversations.forget(settings, "123456789")
    with session_scope() as session:
        (row,) = session.scalars(select(ForgottenUser))
        assert "123456789" not in row.user_hash
        assert row.user_hash == forgetting.user_hash("123456789")
        assert forgetting.user_hash("123456789") != forgetting.user_hash("123456780")
        salted = settings.model_copy(update={"log_salt": "un sel secret"})
        assert forgetting.user_hash("123456789", salted) != row.user_hash


def test_the_second_deletion_removes_what_turns_in_flight_wrote_back(
    settings: Settings, tmp_path: Path
) -> None:
    settings = with_tracker(tmp_path, settings, "u1", "u2")
    conversations.keep_for_later("u2", "k", "rester")
    conversations.forget(settings, "u1")
    written_back("u1")  # the in-flight turn's action and Rasa's save of the whole turn
    write_events(settings, "u1")
    now = utcnow()
    assert background.finish_forgetting(settings, now=now) == 0  # turns may be in flight
    assert app_rows_of("u1") > 0
    later = now + forgetting.window(settings) + timedelta(seconds=1)
    assert background.finish_forgetting(settings, now=later) == 1
    assert app_rows_of("u1") == 0
    assert tracker_senders(settings) == ["u2"]
    assert app_rows_of("u2") == 2  # the other user and their kept message stay
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ForgottenUser)) == 0
    assert background.finish_forgetting(settings, now=later) == 0


def test_sqlite_files_no_longer_hold_what_was_deleted(
    settings: Settings, tmp_path: Path, database: str
) -> None:
    """Deleted rows stayed readable in `app.db-wal` (and in free pages): secure_delete and
    a WAL checkpoint after the deletion, for the app and the tracker databases."""
    if database != "sqlite":
        pytest.skip("SQLite files only")
    settings = with_tracker(tmp_path, settings, "u1")
    conversations.keep_for_later("u1", "k1", SECRET)
    conversations.relay_text("u1", SECRET)
    app_db = Path(settings.database_url.removeprefix("sqlite:///"))
    tracker_db = Path(settings.rasa_tracker_db)
    files = [app_db, Path(f"{app_db}-wal"), tracker_db, Path(f"{tracker_db}-wal")]
    assert any(SECRET.encode() in p.read_bytes() for p in files if p.exists())
    conversations.forget(settings, "u1")
    for path in files:
        if path.exists():
            assert SECRET.encode() not in path.read_bytes(), f"{path.name} still holds it"
