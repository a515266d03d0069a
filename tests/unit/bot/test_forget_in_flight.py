"""/oubli confirmed while a turn of the same user is in flight: the front end writes nothing
back, asks Rasa nothing for that user until the deletion is final, and drops their kept
messages (the real-Rasa race is tests/integration/test_forget_race.py)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from bot import texts
from bot.dialogue import Dialogue
from bot.rasa_client import RasaClient
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import (
    ForgottenUser,
    PendingMessage,
    User,
)
from parcours.services import conversations, forgetting
from parcours.settings import Settings
from tests.factories import app_rows_of

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)


def dialogue_with(
    settings: Settings, on_turn: object = None, *, handoff: bool = False
) -> tuple[Dialogue, list[str]]:
    """A pipeline whose scripted Rasa runs `on_turn()` while it answers (mid-turn), and
    asks for a human with `handoff`."""
    asked: list[str] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if callable(on_turn):
            on_turn()
        signal = [{"custom": {"handoff": {"reason": "user_request"}}}] if handoff else []
        return httpx.Response(200, json=[{"text": "Voici"}, *signal])

    client = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
    return Dialogue(RasaClient("http://rasa", "t", client=client), settings), asked


async def test_a_turn_in_flight_when_oubli_is_confirmed_writes_nothing_back(
    settings: Settings,
) -> None:
    dialogue, _ = dialogue_with(settings)
    await dialogue.handle_text("u1", "bonjour", "k0")
    assert app_rows_of("u1") > 0
    in_flight, asked = dialogue_with(
        settings, lambda: conversations.forget(settings, "u1"), handoff=True
    )
    await in_flight.handle_text("u1", "je veux parler à quelqu'un", "k1")
    assert asked, "the turn went to Rasa"
    assert app_rows_of("u1") == 0, "the answer, the hand-off and the user came back"


async def test_no_rasa_turn_until_the_deletion_is_final_then_a_fresh_start(
    settings: Settings,
) -> None:
    conversations.forget(settings, "u1")
    dialogue, asked = dialogue_with(settings)
    waiting = await dialogue.handle_text("u1", "bonjour", "k1")
    assert [r.text for r in waiting.replies] == [texts.BEING_FORGOTTEN["tu"]]
    assert asked == []
    assert app_rows_of("u1") == 0
    with session_scope() as session:  # the window has passed
        key = forgetting.user_hash("u1")
        tombstone = session.get(ForgottenUser, key)
        assert tombstone is not None
        tombstone.forgotten_at -= forgetting.window(settings) + timedelta(seconds=1)
    again = await dialogue.handle_text("u1", "bonjour", "k2")
    assert again.replies[0].text == "Voici"
    assert asked == ["/webhooks/parcours/webhook"]
    with session_scope() as session:
        assert not forgetting.is_forgotten(session, "u1")


async def test_a_message_kept_for_a_user_being_forgotten_is_dropped_not_answered(
    settings: Settings,
) -> None:
    with session_scope() as session:  # kept by a turn that began before /oubli
        forgetting.mark(session, "u1", now=utcnow())
        session.add(User(id="u1"))
        session.flush()
        session.add(PendingMessage(user_id="u1", message_key="k1", text="une question"))
    dialogue, asked = dialogue_with(settings)
    assert await dialogue.retry_pending() == []
    assert asked == []
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(PendingMessage)) == 0
