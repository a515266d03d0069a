"""Rasa's tracker store as the app sees it: privacy deletion and the app's schema beside it
(on SQLite, and on PostgreSQL where both share one database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from bot import texts
from parcours.db import migrate
from parcours.db.base import utcnow
from parcours.db.urls import for_app
from parcours.services import background, forgetting
from parcours.settings import Settings
from tests.integration.conftest import Replay, new_user, texts_of

pytestmark = pytest.mark.rasa


def tracker_rows(env: dict[str, str], user: str) -> int:
    """Rows of `user` in Rasa's `events` table, read straight from the tracker database."""
    url = for_app(env["RASA_TRACKER_URL"] or f"sqlite:///{env['RASA_TRACKER_DB']}")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :id"), {"id": user}
            ).scalar_one()
    finally:
        engine.dispose()
    return int(count)


def test_oubli_deletes_the_conversation_from_rasa_s_tracker_store(
    replay: Replay, stack_env: dict[str, str], stack_settings: Settings
) -> None:
    user = new_user()
    replay.say(user, "c'est quoi cleor")
    assert tracker_rows(stack_env, user) > 0
    replay.say(user, "/oubli")
    done = replay.press(user, "/forget_confirm")
    assert texts_of(done)
    assert tracker_rows(stack_env, user) == 0
    wait = replay.say(user, "bonjour")  # no Rasa turn until the deletion is final
    assert texts_of(wait) == texts.BEING_FORGOTTEN["tu"]
    assert tracker_rows(stack_env, user) == 0
    later = utcnow() + forgetting.window(stack_settings) + timedelta(seconds=1)
    background.finish_forgetting(stack_settings, now=later)  # the bot's periodic job
    again = replay.say(user, "bonjour")
    assert "/oubli" in texts_of(again), "a forgotten user starts over, privacy notice included"


def test_the_app_schema_matches_its_migrations_beside_rasa_s_tables(
    replay: Replay, stack_env: dict[str, str]
) -> None:
    replay.say(new_user(), "bonjour")  # Rasa has written its events
    migrate.check(stack_env["DATABASE_URL"])
