"""Contact requests: every status transition, the 10-day deadline, and isolation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from parcours.db.engine import session_scope
from parcours.models import (
    OutboxMessage,
    RequestStatus,
)
from parcours.services import contact_requests as cr
from parcours.settings import Settings
from tests.factories import contact_request, demo_catalogue

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
R = RequestStatus


@pytest.fixture
def catalogue(settings: Settings) -> Settings:
    """One commune, métier, company, ambassador (demo) and offer (demo)."""
    return demo_catalogue(settings)


def file(
    settings: Settings, user: str = "u1", target: str = "a1", kind: str = "ambassador"
) -> int:
    with session_scope() as session:
        request = contact_request(
            session,
            settings,
            now=T0,
            user_id=user,
            kind=kind,
            target_key=target,
            message="Comment devenir boulanger ?",
            availability="mercredi après-midi",
        )
        return request.id


def status(request_id: int) -> str:
    with session_scope() as session:
        request = session.get(cr.ContactRequest, request_id)
        assert request is not None
        return request.status


def outbox_kinds() -> list[str]:
    with session_scope() as session:
        return list(session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))


def test_an_ambassador_request_is_due_in_ten_days_with_a_reminder_before(
    catalogue: Settings,
) -> None:
    request_id = file(catalogue)
    with session_scope() as session:
        request = session.get(cr.ContactRequest, request_id)
        assert request is not None
        assert request.status == R.SENT
        assert request.due_at == T0 + timedelta(days=10)
        assert request.remind_at < request.due_at
    assert outbox_kinds() == ["request_filed"]


def test_a_mini_stage_request_uses_the_configured_delay(
    catalogue: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = catalogue.model_copy(update={"ministage_answer_days": 5})
    request_id = file(settings, target="o1", kind="ministage")
    with session_scope() as session:
        request = session.get(cr.ContactRequest, request_id)
        assert request is not None
        assert request.due_at == T0 + timedelta(days=5)


def test_the_clock_reminds_then_expires_and_escalates(catalogue: Settings) -> None:
    request_id = file(catalogue)
    with session_scope() as session:
        assert cr.tick(session, now=T0 + timedelta(days=6)) == {"reminded": 0, "expired": 0}
    with session_scope() as session:
        assert cr.tick(session, now=T0 + timedelta(days=7)) == {"reminded": 1, "expired": 0}
    with session_scope() as session:
        assert cr.tick(session, now=T0 + timedelta(days=8)) == {"reminded": 0, "expired": 0}
    with session_scope() as session:
        assert cr.tick(session, now=T0 + timedelta(days=10)) == {"reminded": 0, "expired": 1}
    assert status(request_id) == R.EXPIRED
    assert outbox_kinds()[-2:] == ["request_update", "request_escalated"]


def test_an_answer_stops_the_clock(catalogue: Settings) -> None:
    request_id = file(catalogue)
    with session_scope() as session:
        cr.record_answer(
            session,
            request_id=request_id,
            accepted=True,
            actor="coord:1",
            now=T0 + timedelta(days=2),
            proposed_date=date(2026, 3, 25),
        )
    with session_scope() as session:
        assert cr.tick(session, now=T0 + timedelta(days=30)) == {"reminded": 0, "expired": 0}
    assert status(request_id) == R.ACCEPTED


@pytest.mark.parametrize(
    ("steps", "final"),
    [
        (["accept"], R.ACCEPTED),
        (["decline"], R.DECLINED),
        (["accept", "done"], R.DONE),
        (["cancel"], R.CANCELLED),
        (["accept", "cancel"], R.CANCELLED),
        (["expire", "accept"], R.ACCEPTED),
        (["expire", "decline"], R.DECLINED),
    ],
)
def test_allowed_status_paths(catalogue: Settings, steps: list[str], final: str) -> None:
    request_id = file(catalogue)
    for step in steps:
        with session_scope() as session:
            if step in ("accept", "decline"):
                cr.record_answer(
                    session,
                    request_id=request_id,
                    accepted=step == "accept",
                    actor="coord:1",
                    now=T0 + timedelta(days=1),
                )
            elif step == "done":
                cr.mark_done(
                    session,
                    request_id=request_id,
                    actor="coord:1",
                    report="Rencontre faite, très utile",
                )
            elif step == "cancel":
                cr.cancel(session, user_id="u1", request_id=request_id, register="tu")
            else:
                cr.tick(session, now=T0 + timedelta(days=11))
    assert status(request_id) == final


@pytest.mark.parametrize("first", ["decline", "cancel", "done"])
def test_finished_requests_cannot_change(catalogue: Settings, first: str) -> None:
    request_id = file(catalogue)
    with session_scope() as session:
        if first == "decline":
            cr.record_answer(session, request_id=request_id, accepted=False, actor="c", now=T0)
        elif first == "cancel":
            cr.cancel(session, user_id="u1", request_id=request_id, register="tu")
        else:
            cr.record_answer(session, request_id=request_id, accepted=True, actor="c", now=T0)
            cr.mark_done(session, request_id=request_id, actor="c", report="ok")
    with session_scope() as session, pytest.raises(cr.RequestError):
        cr.record_answer(session, request_id=request_id, accepted=True, actor="c", now=T0)


def test_no_user_sees_or_cancels_another_users_requests(catalogue: Settings) -> None:
    mine = file(catalogue, user="u1")
    file(catalogue, user="u2")
    with session_scope() as session:
        assert [r.id for r in cr.for_user(session, user_id="u1")] == [mine]
        with pytest.raises(cr.RequestError, match="parmi les tiennes"):
            cr.cancel(session, user_id="u2", request_id=mine, register="tu")
        with pytest.raises(cr.RequestError, match="parmi les vôtres"):
            cr.cancel(session, user_id="u2", request_id=mine, register="vous")


def test_filing_twice_returns_the_open_request(catalogue: Settings) -> None:
    assert file(catalogue) == file(catalogue)


def test_in_production_demo_rows_are_refused(catalogue: Settings) -> None:
    production = catalogue.model_copy(update={"production": True})
    with pytest.raises(cr.RequestError, match="démonstration"):
        file(production)


def test_coordinators_record_answers_from_the_command_line(
    catalogue: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from parcours.cli import main

    request_id = file(catalogue)
    assert main(["requests", "list", "--status", "sent"]) == 0
    assert f"n°{request_id}\tsent\tambassador:a1" in capsys.readouterr().out
    assert main(["requests", "answer", str(request_id), "accept", "--date", "2099-03-25"]) == 0
    assert status(request_id) == R.ACCEPTED
    assert main(["requests", "answer", str(request_id), "decline"]) == 1
    assert "refusé" in capsys.readouterr().err
    assert main(["requests", "done", str(request_id), "--report", "Rencontre utile"]) == 0
    assert status(request_id) == R.DONE
    assert main(["requests", "tick"]) == 0


def test_users_are_told_each_answer_once_and_replay_users_are_skipped(
    catalogue: Settings,
) -> None:
    from parcours.services import user_outbox

    telegram_user = file(catalogue, user="123456789")
    replay_user = file(catalogue, user="replay-user")
    for request_id in (telegram_user, replay_user):
        with session_scope() as session:
            cr.record_answer(
                session,
                request_id=request_id,
                accepted=True,
                actor="coord",
                now=T0,
                proposed_date=date(2026, 3, 25),
                note="mercredi 14 h",
            )
    notices = user_outbox.due("telegram")
    assert [(n.user_id, n.text) for n in notices][:1] == [
        (
            "123456789",
            f"Bonne nouvelle ✅ ta demande n°{telegram_user} a été acceptée. "
            "Date proposée : 25/03/2026. Message : « mercredi 14 h ».",
        )
    ]
    assert [n.kind for n in notices] == ["request_update", "meeting_calendar"]
    assert notices[1].document is not None
    assert notices[1].document.mime == "text/calendar"
    for notice in notices:
        with user_outbox.claim(notice.outbox_id) as claim:
            assert claim is not None
            claim.delivered()
    assert user_outbox.due("telegram") == []
    assert user_outbox.due("web") == []


def test_a_user_addressed_with_vous_is_told_with_vous(catalogue: Settings) -> None:
    from parcours.repositories import users
    from parcours.services import user_outbox

    request_id = file(catalogue, user="987654321")
    with session_scope() as session:
        users.update_profile(session, user_id="987654321", role="parent")
        cr.record_answer(session, request_id=request_id, accepted=False, actor="c", now=T0)
    [notice] = user_outbox.due("telegram")
    assert notice.text == (
        f"Votre demande n°{request_id} n'a pas pu être acceptée. Vous pouvez chercher un autre "
        "contact, ou demander un conseiller."
    )


def test_a_cancellation_by_the_user_is_not_announced_back(catalogue: Settings) -> None:
    from parcours.services import user_outbox

    request_id = file(catalogue, user="42")
    with session_scope() as session:
        cr.cancel(session, user_id="42", request_id=request_id, register="tu")
    assert user_outbox.due("telegram") == []


async def test_the_bot_s_hourly_job_expires_overdue_requests(catalogue: Settings) -> None:
    from types import SimpleNamespace
    from typing import Any, cast

    from bot.notifier import request_deadlines

    request_id = file(catalogue)  # filed on T0, long before today: overdue
    await request_deadlines(cast(Any, SimpleNamespace()))
    assert status(request_id) == R.EXPIRED
