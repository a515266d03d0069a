"""Prometheus metrics: turns recorded by outcome, fallbacks, and gauges read from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from bot import observability as obs
from parcours.db.engine import reset_engines, session_scope
from parcours.models import ContactRequest, RequestStatus
from parcours.repositories import users
from parcours.services import handoff
from parcours.settings import Settings, get_settings


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_record_turn_counts_the_turn_its_latency_and_a_fallback() -> None:
    turns = sample("parcours_turns_total", channel="telegram", outcome="answered")
    observed = sample("parcours_turn_seconds_count", channel="telegram")
    slow = sample("parcours_turn_seconds_bucket", channel="telegram", le="0.25")
    fallbacks = sample("parcours_fallbacks_total", channel="telegram")
    obs.record_turn(channel="telegram", outcome="answered", seconds=0.4, fallback=True)
    assert sample("parcours_turns_total", channel="telegram", outcome="answered") == turns + 1
    assert sample("parcours_turn_seconds_count", channel="telegram") == observed + 1
    assert sample("parcours_turn_seconds_bucket", channel="telegram", le="0.25") == slow
    assert sample("parcours_fallbacks_total", channel="telegram") == fallbacks + 1


def test_the_french_fallback_replies_are_recognised() -> None:
    assert obs.is_fallback_reply([{"text": "Je n'ai pas bien compris. Tu peux reformuler ?"}])
    assert obs.is_fallback_reply([{"text": "Désolé, je ne comprends toujours pas. Je passe …"}])
    assert obs.is_fallback_reply([{"text": "Désolé, je n'ai toujours pas compris. Un …"}])
    assert not obs.is_fallback_reply([{"text": "Le CIO est gratuit."}, {"custom": {}}])


class FakeDialogue:
    """Stands for `Dialogue`: the decorated entry points note what happened."""

    @obs.observed_turn
    async def handle_text(self, user_id: str, text: str, message_key: str) -> str:
        if text == "relay":
            obs.note_outcome("relayed")
        elif text == "down":
            obs.note_outcome("rasa_unavailable")
        elif text != "/aide":
            obs.note_rasa_reply([{"text": "Je n'ai pas bien compris."}])
        return text


async def test_an_observed_turn_is_recorded_once_with_the_outcome_the_pipeline_noted() -> None:
    dialogue = FakeDialogue()
    before = {o: sample("parcours_turns_total", channel="replay", outcome=o) for o in obs.OUTCOMES}
    fallbacks = sample("parcours_fallbacks_total", channel="replay")
    for text in ("relay", "down", "/aide", "kwa"):
        assert await dialogue.handle_text("u1", text, "k") == text
    for outcome in obs.OUTCOMES:
        got = sample("parcours_turns_total", channel="replay", outcome=outcome)
        assert got == before[outcome] + 1, outcome
    assert sample("parcours_fallbacks_total", channel="replay") == fallbacks + 1
    obs.note_outcome("answered")  # outside a turn: ignored, no error


def test_channels_come_from_the_sender_id() -> None:
    assert obs.channel_of("5123456789") == "telegram"
    assert obs.channel_of("terminal-ab12") == "terminal"
    assert obs.channel_of("probe-7") == "replay"


def test_bot_api_errors_are_counted_by_class() -> None:
    class Forbidden(Exception):
        pass

    before = sample("parcours_bot_api_errors_total", error="Forbidden")
    obs.count_bot_api_error(Forbidden())
    assert sample("parcours_bot_api_errors_total", error="Forbidden") == before + 1


def _request(user_id: str, status: RequestStatus, due: datetime) -> ContactRequest:
    return ContactRequest(
        user_id=user_id,
        target_type="ambassador",
        target_key="a1",
        status=status,
        due_at=due,
        remind_at=due - timedelta(days=3),
    )


def test_database_gauges_show_waiting_handoffs_and_overdue_requests(settings: Settings) -> None:
    now = datetime.now(UTC)
    with session_scope() as session:
        for uid in ("1", "2", "3"):
            users.get_or_create(session, user_id=uid)
        handoff.request(session, user_id="1", reason="user_request")
        handoff.request(session, user_id="2", reason="fallback")
        session.add_all(
            [
                _request("3", RequestStatus.SENT, now - timedelta(hours=2)),  # past due
                _request("3", RequestStatus.SENT, now + timedelta(days=2)),  # on time
                _request("3", RequestStatus.EXPIRED, now - timedelta(days=5)),
                _request("3", RequestStatus.ACCEPTED, now - timedelta(days=5)),  # answered
            ]
        )
    snap = obs.refresh_db_gauges(now=now - timedelta(hours=3))  # before any deadline
    assert snap is not None
    assert (snap.handoffs_waiting, snap.requests_past_due, snap.requests_expired) == (2, 0, 1)
    snap = obs.refresh_db_gauges(now=now + timedelta(minutes=10))
    assert snap is not None
    assert (snap.handoffs_waiting, snap.requests_past_due, snap.requests_expired) == (2, 1, 1)
    assert 590 <= snap.oldest_wait_seconds <= 700
    assert sample("parcours_handoffs_waiting") == 2
    assert sample("parcours_requests_overdue", status="sent") == 1
    assert sample("parcours_requests_overdue", status="expired") == 1
    assert sample("parcours_pending_messages") == 0


def test_an_unreachable_database_leaves_the_gauges_and_counts_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/dir/x.db")
    get_settings.cache_clear()
    reset_engines()
    before = sample("parcours_metrics_db_errors_total")
    try:
        assert obs.refresh_db_gauges() is None
    finally:
        get_settings.cache_clear()
        reset_engines()
    assert sample("parcours_metrics_db_errors_total") == before + 1
