"""PostgreSQL specifics: migrations both ways, Rasa's table beside the app's, concurrent writers.

Generated only when TEST_DATABASE_URL / TEST_REDIS_URL are set (tests/postgres.py); each test
works in a fresh database of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from parcours.db import migrate
from parcours.db.engine import reset_engines, session_scope
from parcours.models import User
from parcours.repositories import users
from parcours.services import handoff, privacy
from parcours.settings import Settings, get_settings
from tests import postgres

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres.ENABLED, reason=postgres.SKIP_REASON),
]

#: What Rasa 3.6's SQLTrackerStore creates on PostgreSQL (compiled from its model).
RASA_EVENTS_DDL = [
    "CREATE TABLE events (id SERIAL NOT NULL, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
    "action_name VARCHAR(255), data TEXT, PRIMARY KEY (id))",
    "CREATE INDEX ix_events_sender_id ON events (sender_id)",
]


@pytest.fixture
def fresh_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty PostgreSQL database, made the default DATABASE_URL for this test."""
    url = postgres.create_database("parcours_unit")
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engines()
    try:
        yield url
    finally:
        reset_engines()
        get_settings.cache_clear()
        postgres.drop_database(url)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_go_up_down_and_up_again_and_match_the_models(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    migrate.check(fresh_url)
    assert {"users", "handoffs", "contact_requests", "pending_messages"} <= _tables(fresh_url)
    command.downgrade(migrate.alembic_config(fresh_url), "base")
    assert _tables(fresh_url) == {"alembic_version"}
    migrate.upgrade(fresh_url)
    migrate.check(fresh_url)


def test_rasa_s_events_table_in_the_app_database_is_left_to_rasa_and_forgotten_per_user(
    fresh_url: str,
) -> None:
    migrate.upgrade(fresh_url)
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        for statement in RASA_EVENTS_DDL:
            conn.execute(text(statement))
        for sender in ("u1", "u1", "u2"):
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', 1.0, '{\"text\": \"bonjour\"}')"
                ),
                {"s": sender},
            )
    migrate.check(fresh_url)  # Alembic does not want to drop Rasa's table
    settings: Settings = get_settings().model_copy(update={"rasa_tracker_url": fresh_url})
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
    with session_scope() as session:
        assert len(privacy.export_user(session, settings, user_id="u1")["conversation"]) == 2
        privacy.forget_user(session, settings, user_id="u1")
    with engine.connect() as conn:
        senders = conn.execute(text("SELECT sender_id FROM events")).scalars().all()
    engine.dispose()
    assert senders == ["u2"]
    with session_scope() as session:
        assert session.get(User, "u1") is None


def test_concurrent_first_contacts_of_one_user_create_one_row(fresh_url: str) -> None:
    """The bot and the action server (or two replicas) may see a new user at once."""
    migrate.upgrade(fresh_url)
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def first_contact() -> None:
        try:
            start.wait(5)
            with session_scope() as session:
                users.mark_consent_shown(session, user_id="new-user")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_contact) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    with session_scope() as session:
        assert session.get(User, "new-user") is not None
