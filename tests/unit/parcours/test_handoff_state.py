"""Hand-off state machine and its persistence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from parcours.db.engine import session_scope
from parcours.models import Handoff, HandoffEvent, HandoffState, OutboxMessage
from parcours.services import handoff

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

S = HandoffState


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.BOT, S.WAITING),
        (S.WAITING, S.HUMAN),
        (S.HUMAN, S.BOT),
        (S.HUMAN, S.CLOSED),
        (S.WAITING, S.BOT),
        (S.CLOSED, S.BOT),
        (S.BOT, S.HUMAN),
        (S.HUMAN, S.WAITING),  # transferred to another coordinator
    ],
)
def test_allowed_transitions_return_the_target(current: S, target: S) -> None:
    assert handoff.next_state(current, target) is target


@pytest.mark.parametrize(("current", "target"), [(S.BOT, S.CLOSED), (S.WAITING, S.WAITING)])
def test_forbidden_transitions_raise(current: S, target: S) -> None:
    with pytest.raises(handoff.InvalidTransitionError):
        handoff.next_state(current, target)


def test_a_request_puts_the_user_in_waiting_with_an_audit_row_and_a_staff_notice(
    db_url: str,
) -> None:
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
    with session_scope() as session:
        assert handoff.current_state(session, user_id="u1") is S.WAITING
        episode = session.scalars(select(Handoff)).one()
        assert episode.reason == "user_request"
        assert [(e.from_state, e.to_state) for e in session.scalars(select(HandoffEvent))] == [
            ("bot", "waiting")
        ]
        assert session.scalars(select(OutboxMessage.kind)).all() == ["handoff_requested"]


def test_asking_twice_keeps_one_episode_but_keeps_urgency(db_url: str) -> None:
    with session_scope() as session:
        first = handoff.request(session, user_id="u1", reason="user_request")
        second = handoff.request(session, user_id="u1", reason="distress", urgent=True)
        assert first.id == second.id
        assert second.urgent


def test_taken_then_handed_back_returns_to_the_bot_and_ends_the_episode(db_url: str) -> None:
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
        handoff.transition(session, user_id="u1", target=S.HUMAN, actor="coord:1")
        episode = handoff.transition(session, user_id="u1", target=S.BOT, actor="coord:1")
        assert episode is not None
        assert episode.ended_at is not None
        assert handoff.current_state(session, user_id="u1") is S.BOT
        assert handoff.open_handoff(session, user_id="u1") is None


def test_unknown_users_are_with_the_bot(db_url: str) -> None:
    with session_scope() as session:
        assert handoff.current_state(session, user_id="nobody") is S.BOT
