"""The action server refuses to act for a sender being forgotten (their /oubli is final)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from sqlalchemy import func, select

from actions.requests import ActionFileRequest
from actions.session import ActionSessionStart
from parcours.db.engine import session_scope
from parcours.models import ContactRequest, User
from parcours.services import conversations
from parcours.settings import Settings
from tests.factories import tracker

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)


def test_every_action_of_the_package_refuses_senders_being_forgotten() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert len(executor.actions) > 20
    unguarded = [n for n, run in executor.actions.items() if not hasattr(run, "refuses_forgotten")]
    assert unguarded == []


async def test_a_session_start_writes_the_user_back_only_when_not_forgotten(
    settings: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    assert await ActionSessionStart().run(dispatcher, tracker(sender="u2"), {})
    conversations.forget(settings, "u1")
    assert await ActionSessionStart().run(dispatcher, tracker(sender="u1"), {}) == []
    slots = {"request_target": "ambassador:a1", "request_message": "bonjour à vous"}
    assert await ActionFileRequest().run(dispatcher, tracker(sender="u1", slots=slots), {}) == []
    assert dispatcher.messages == []
    with session_scope() as session:
        assert session.get(User, "u1") is None
        assert session.get(User, "u2") is not None
        assert session.scalar(select(func.count()).select_from(ContactRequest)) == 0
