"""Export and deletion of a user's data (app database and Rasa's tracker table)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from parcours import regions
from parcours.db.engine import session_scope
from parcours.models import Handoff, OutboxMessage, User
from parcours.repositories import users
from parcours.services import handoff, privacy
from parcours.settings import Settings
from tests.factories import tracker_store

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)


def tracker_db(tmp_path: Path, settings: Settings) -> Settings:
    """A tracker table shaped like Rasa's, with rows for two senders."""
    path = tmp_path / "tracker.db"
    engine = tracker_store(path)
    with engine.begin() as conn:
        for sender in ("u1", "u2"):
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', 1.0, '{\"text\": \"bonjour\"}')"
                ),
                {"s": sender},
            )
    engine.dispose()
    return settings.model_copy(update={"rasa_tracker_db": str(path)})


def test_export_contains_profile_handoffs_and_conversation(
    settings: Settings, tmp_path: Path
) -> None:
    settings = tracker_db(tmp_path, settings)
    with session_scope() as session:
        users.update_profile(session, user_id="u1", role="eleve", age_band="15_17")
        handoff.request(session, user_id="u1", reason="user_request")
    with session_scope() as session:
        data = privacy.export_user(session, settings, user_id="u1")
    assert data["user"]["role"] == "eleve"
    assert data["controller"] == regions.region(settings.region).privacy_controller
    assert data["handoffs"][0]["state"] == "waiting"
    assert data["conversation"] == [{"type": "user", "timestamp": 1.0, "text": "bonjour"}]


def test_forgetting_removes_app_rows_and_tracker_rows_of_that_user_only(
    settings: Settings, tmp_path: Path
) -> None:
    settings = tracker_db(tmp_path, settings)
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
        users.get_or_create(session, user_id="u2")
    with session_scope() as session:
        privacy.forget_user(session, settings, user_id="u1")
    with session_scope() as session:
        assert session.get(User, "u1") is None
        assert session.get(User, "u2") is not None
        for model in (Handoff, OutboxMessage):
            assert session.scalar(select(func.count()).select_from(model)) == 0
    engine = create_engine(f"sqlite:///{settings.rasa_tracker_db}")
    with engine.connect() as conn:
        senders = conn.execute(text("SELECT sender_id FROM events")).scalars().all()
    engine.dispose()
    assert senders == ["u2"]
