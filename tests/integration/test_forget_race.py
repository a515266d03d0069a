"""/oubli confirmed while a turn of the same user is in flight, through the real stack.

Rasa saves a turn's events when the turn ends, counting what its store already holds: after
the deletion it wrote the whole conversation back (36 rows after "C'est fait", issue 11),
and the turn's actions and front end wrote app rows. Here a second front end (another
replica, or the pending-messages job) has a search turn in flight while the first one
carries out /forget_confirm, 0 to 200 ms after it started; once everything has settled and
the bot's periodic second deletion has run, nothing of those users is left anywhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import texts
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import (
    ContactRequest,
    ForgottenUser,
    Handoff,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    StaffTopic,
    User,
)
from parcours.services import background, forgetting, rasa_events
from parcours.settings import Settings
from tests.integration.conftest import Replay, new_user, texts_of

pytestmark = pytest.mark.rasa

DELAYS_MS = (0, 25, 50, 100, 150, 200)
#: A turn with a form and database searches in the action server (the slow kind).
SLOW_TURN = "je cherche un stage de 3eme en boulangerie vers caen"


@pytest.fixture(scope="module")
def other_front_end(stack_env: dict[str, str]) -> Iterator[Replay]:
    """A second front end on the same stack."""
    process = Replay(stack_env)
    yield process
    process.close()


def left_of(settings: Settings, user: str) -> dict[str, int]:
    """What is still stored about `user`: tracker events and app rows, by table."""
    counts = {"events": len(rasa_events.events_of(settings, user))}
    with session_scope() as session:
        counts["users"] = int(session.get(User, user) is not None)
        for model in (
            ProcessedMessage,
            PendingMessage,
            OutboxMessage,
            Handoff,
            ContactRequest,
            StaffTopic,
        ):
            counts[model.__tablename__] = (
                session.scalar(
                    select(func.count()).select_from(model).where(model.user_id == user)
                )
                or 0
            )
    return {table: count for table, count in counts.items() if count}


def test_a_turn_in_flight_never_brings_a_forgotten_user_back(
    replay: Replay, other_front_end: Replay, stack_settings: Settings
) -> None:
    forgotten: list[str] = []
    in_flight: dict[str, dict[str, Any]] = {}
    for delay in DELAYS_MS:
        user = new_user()
        replay.say(user, "c'est quoi cleor")  # a conversation, a user row, the consent
        turn = threading.Thread(
            target=lambda u=user: in_flight.__setitem__(u, other_front_end.say(u, SLOW_TURN))
        )
        turn.start()
        time.sleep(delay / 1000)
        done = replay.press(user, "/forget_confirm")
        assert texts_of(done) == texts.FORGOTTEN["tu"]
        turn.join(timeout=60)
        assert user in in_flight, "the turn in flight got an answer"
        forgotten.append(user)
    time.sleep(2)  # Rasa has saved every turn it was running
    came_back = {user: left_of(stack_settings, user) for user in forgotten}
    print("written back before the second deletion:", came_back)
    later = utcnow() + forgetting.window(stack_settings) + timedelta(seconds=1)
    background.finish_forgetting(stack_settings, now=later)  # the bot's periodic job
    assert {user: left_of(stack_settings, user) for user in forgotten} == {
        user: {} for user in forgotten
    }
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ForgottenUser)) == 0
    fresh = replay.say(forgotten[0], "bonjour")  # starts afresh, privacy notice included
    assert "/oubli" in texts_of(fresh)
