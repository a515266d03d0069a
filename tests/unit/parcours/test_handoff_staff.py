"""Coordinator actions on hand-off episodes: take, transfer, notes, satisfaction, queue."""

from __future__ import annotations

from datetime import timedelta

from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import Handoff, HandoffState, User
from parcours.services import handoff
from tests.factories import add_communes

S = HandoffState


def _state(user_id: str) -> S:
    with session_scope() as session:
        return handoff.current_state(session, user_id=user_id)


def test_taking_a_waiting_chat_records_who_and_when(db_url: str) -> None:
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
    with session_scope() as session:
        episode = handoff.take(session, user_id="u1", coordinator_id=42)
        assert (episode.coordinator_id, episode.state) == (42, S.HUMAN)
        assert episode.taken_at is not None
        assert [e.to_state for e in episode.events] == [S.WAITING, S.HUMAN]
    assert _state("u1") is S.HUMAN


def test_a_coordinator_can_step_in_on_their_own(db_url: str) -> None:
    with session_scope() as session:
        episode = handoff.take(session, user_id="u2", coordinator_id=7)
        assert episode.reason == "coordinator"
    assert _state("u2") is S.HUMAN


def test_taking_over_from_a_colleague_keeps_the_first_take_time(db_url: str) -> None:
    with session_scope() as session:
        first = handoff.take(session, user_id="u3", coordinator_id=1)
        taken_at = first.taken_at
    with session_scope() as session:
        second = handoff.take(session, user_id="u3", coordinator_id=2)
        assert (second.id, second.coordinator_id, second.taken_at) == (first.id, 2, taken_at)


def test_transfer_puts_a_held_chat_back_in_the_queue(db_url: str) -> None:
    with session_scope() as session:
        handoff.take(session, user_id="u4", coordinator_id=1)
    with session_scope() as session:
        episode = handoff.transfer(session, user_id="u4", actor="coordinator:1")
        assert episode is not None
        assert episode.coordinator_id is None
    assert _state("u4") is S.WAITING
    with session_scope() as session:
        assert handoff.transfer(session, user_id="nobody", actor="x") is None


def test_the_episode_records_the_users_department(db_url: str) -> None:
    with session_scope() as session:
        add_communes(session, [("14366", "Lisieux", "14100", "14", "200069532")])
        session.add(User(id="u5", town_code="14366"))
        session.flush()
        assert handoff.request(session, user_id="u5", reason="user_request").departement == "14"


def test_notes_attach_to_the_latest_episode_and_need_one(db_url: str) -> None:
    with session_scope() as session:
        assert handoff.add_note(session, user_id="u6", author_id=1, text="x") is None
        handoff.request(session, user_id="u6", reason="user_request")
        note = handoff.add_note(session, user_id="u6", author_id=1, text="  rappeler lundi ")
        assert note is not None
        assert note.text == "rappeler lundi"


def test_satisfaction_only_after_closing_and_first_answer_counts(db_url: str) -> None:
    with session_scope() as session:
        handoff.take(session, user_id="u7", coordinator_id=1)
        assert not handoff.rate(session, user_id="u7", score=3)  # still open
        handoff.transition(session, user_id="u7", target=S.CLOSED, actor="coordinator:1")
        assert not handoff.rate(session, user_id="u7", score=9)
        assert handoff.rate(session, user_id="u7", score=3)
        assert handoff.rate(session, user_id="u7", score=1)
        latest = handoff.latest(session, user_id="u7")
        assert latest is not None
        assert latest.satisfaction == 3


def test_queue_is_urgent_first_and_reannounce_waits_for_the_delay(db_url: str) -> None:
    with session_scope() as session:
        handoff.request(session, user_id="old", reason="user_request")
        handoff.request(session, user_id="urgent", reason="safeguarding", urgent=True)
        session.flush()
        old = handoff.open_handoff(session, user_id="old")
        assert old is not None
        old.created_at = utcnow() - timedelta(minutes=20)
        assert [h.user_id for h in handoff.waiting(session)] == ["urgent", "old"]
        due = handoff.due_for_reannounce(session, now=utcnow(), minutes=15)
        assert [h.user_id for h in due] == ["old"]
        old.reannounced_at = utcnow()
        assert handoff.due_for_reannounce(session, now=utcnow(), minutes=15) == []
        assert session.query(Handoff).count() == 2
