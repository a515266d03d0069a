"""After a meeting: the calendar file, the day-before reminder, the follow-up, the
report-back, and what /stats, /mes_donnees, /oubli and the retention purge do with them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from parcours.db.engine import session_scope
from parcours.models import ContactRequest, OutboxMessage, RequestStatus
from parcours.services import contact_requests as cr
from parcours.services import meetings, privacy, retention, stats, user_outbox
from parcours.settings import Settings
from tests.factories import accept_with_date, contact_request, demo_catalogue

pytestmark = pytest.mark.both_databases

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # filed and accepted then
DAY = date(2026, 12, 10)  # a Thursday, winter time (UTC+1)
USER = "123456789"


@pytest.fixture
def catalogue(settings: Settings) -> Settings:
    return demo_catalogue(settings)


def accepted(
    settings: Settings,
    *,
    user: str = USER,
    kind: str = "ambassador",
    day: date = DAY,
    at: time | None = None,
    place: str = "",
) -> int:
    """A request filed and accepted with a date at T0; its number."""
    with session_scope() as session:
        request = contact_request(
            session,
            settings,
            now=T0,
            user_id=user,
            kind=kind,
            message="Je m'appelle Lucas, 14 ans, je voudrais découvrir",
            availability="mercredi",
        )
        accept_with_date(
            session,
            settings,
            request.id,
            now=T0,
            day=day,
            actor="coord",
            at=at,
            place=place,
            note="apporte tes questions",
        )
        return request.id


def tick(settings: Settings, now: datetime) -> dict[str, int]:
    with session_scope() as session:
        return meetings.tick(session, settings, now=now)


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def kinds(user: str = USER) -> list[str]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(OutboxMessage.kind)
                .where(OutboxMessage.user_id == user)
                .order_by(OutboxMessage.id)
            )
        )


def calendar_of(request_id: int) -> Calendar:
    [message] = [m for m in user_outbox.due("telegram") if m.kind == "meeting_calendar"]
    assert message.document is not None
    assert message.document.filename == f"rendez-vous-demande-{request_id}.ics"
    return Calendar.from_ical(message.document.content)


# -- the calendar file ---------------------------------------------------------------------


def test_a_date_alone_gives_an_all_day_event_without_the_user_s_data(catalogue: Settings) -> None:
    request_id = accepted(catalogue)
    ics = calendar_of(request_id)
    [event] = ics.walk("VEVENT")
    assert event.decoded("dtstart") == DAY
    assert event.decoded("dtend") == DAY + timedelta(days=1)
    assert str(event["summary"]) == ("Rencontre avec Léa B., ambassadeur métier (Boulanger)")
    text = ics.to_ical().decode()
    assert f"Demande n°{request_id}" in text
    for private in ("Lucas", "14 ans", USER, "mercredi", "apporte tes questions"):
        assert private not in text
    assert "VTIMEZONE" not in text


def test_a_time_gives_a_timed_event_in_paris_time(catalogue: Settings) -> None:
    request_id = accepted(catalogue, at=time(14, 30), place="CIO de Caen, 12 rue X")
    ics = calendar_of(request_id)
    [event] = ics.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 10, 13, 30, tzinfo=UTC)  # 14:30 in Paris, winter
    assert str(start.tzinfo) == "Europe/Paris"
    assert "DTSTART;TZID=Europe/Paris:20261210T143000" in ics.to_ical().decode()
    assert event.decoded("dtend") - start == timedelta(hours=1)
    assert str(event["location"]) == "CIO de Caen, 12 rue X"
    assert ics.walk("VTIMEZONE"), "a timed event carries its time zone"


def test_a_new_date_updates_the_same_event_and_the_old_file_is_not_sent(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue)
    with session_scope() as session:
        accept_with_date(
            session,
            catalogue,
            request_id,
            now=T0,
            day=DAY + timedelta(days=2),
            actor="coord",
            at=time(9, 0),
        )
    messages = user_outbox.due("telegram")
    assert [m.kind for m in messages] == ["request_update", "request_update", "meeting_calendar"]
    assert "Nouvelle date" in messages[1].text
    assert "12/12/2026 à 9 h" in messages[1].text
    document = messages[2].document
    assert document is not None
    [event] = Calendar.from_ical(document.content).walk("VEVENT")
    assert event["uid"] == meetings.event_uid(catalogue, request_id)
    assert int(event["sequence"]) == 2


def test_a_mini_stage_is_placed_at_its_company_and_a_past_date_is_refused(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue, kind="ministage")
    [event] = calendar_of(request_id).walk("VEVENT")
    assert str(event["summary"]) == "Mini-stage : Fournil (démo) (Boulanger)"
    assert str(event["location"]) == "Fournil (démo), Caen"
    with session_scope() as session, pytest.raises(cr.RequestError, match="passée"):
        cr.record_answer(
            session,
            request_id=request_id,
            accepted=True,
            actor="coord",
            now=T0,
            proposed_date=date(2026, 11, 30),
            settings=catalogue,
        )


def test_the_register_of_the_user_is_used_in_the_file_and_the_caption(
    catalogue: Settings,
) -> None:
    from parcours.repositories import users

    with session_scope() as session:
        users.get_or_create(session, user_id=USER)
        users.update_profile(session, user_id=USER, role="parent")
    request_id = accepted(catalogue)
    [message] = [m for m in user_outbox.due("telegram") if m.kind == "meeting_calendar"]
    assert message.text.startswith("📅 Votre rendez-vous le jeudi 10 décembre 2026")
    assert message.document is not None
    [event] = Calendar.from_ical(message.document.content).walk("VEVENT")
    assert "Écrivez « où en est ma demande »" in str(event["description"])
    assert user_outbox.document(USER, message.outbox_id) == message.document
    assert user_outbox.document("web:someone-else", message.outbox_id) is None
    assert request_id


# -- the reminder --------------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_at_five_pm_once(catalogue: Settings) -> None:
    accepted(catalogue)
    assert tick(catalogue, paris(date(2026, 12, 9), 16, 59))["reminders"] == 0
    assert tick(catalogue, paris(date(2026, 12, 9), 17, 0))["reminders"] == 1
    assert tick(catalogue, paris(date(2026, 12, 9), 18, 0))["reminders"] == 0  # restart, rerun
    [reminder] = [m for m in user_outbox.due("telegram") if m.kind == "meeting_reminder"]
    assert reminder.text.startswith("⏰ Rappel : ton rendez-vous est le jeudi 10 décembre 2026")


def test_no_reminder_once_the_meeting_has_begun(catalogue: Settings) -> None:
    accepted(catalogue, at=time(10, 0))
    assert tick(catalogue, paris(DAY, 10, 1))["reminders"] == 0


def test_no_reminder_for_a_date_set_on_the_reminder_s_day(catalogue: Settings) -> None:
    with session_scope() as session:
        request = contact_request(session, catalogue, now=T0, user_id=USER)
        accept_with_date(
            session, catalogue, request.id, now=paris(date(2026, 12, 9), 11, 0), day=DAY
        )
    assert tick(catalogue, paris(date(2026, 12, 9), 17, 0))["reminders"] == 0


def test_no_reminder_after_a_cancellation_and_the_coordinator_is_told(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue)
    with session_scope() as session:
        cr.cancel(session, user_id=USER, request_id=request_id, register="tu")
    assert kinds()[-1] == "meeting_cancelled"  # the staff topic: tell the ambassador
    assert tick(catalogue, paris(date(2026, 12, 9), 17, 0)) == {
        "reminders": 0,
        "follow_ups": 0,
        "reports_asked": 0,
    }


def test_a_reminder_queued_before_a_cancellation_is_not_sent(catalogue: Settings) -> None:
    request_id = accepted(catalogue)
    assert tick(catalogue, paris(date(2026, 12, 9), 17, 0))["reminders"] == 1
    with session_scope() as session:
        cr.cancel(session, user_id=USER, request_id=request_id, register="tu")
    assert [m.kind for m in user_outbox.due("telegram")] == ["request_update"]  # the accept


def test_nothing_is_sent_to_a_user_who_was_forgotten(catalogue: Settings) -> None:
    accepted(catalogue)
    with session_scope() as session:
        privacy.forget_user(session, catalogue, user_id=USER, now=T0)
    assert tick(catalogue, paris(date(2026, 12, 9), 17, 0))["reminders"] == 0
    assert tick(catalogue, paris(date(2026, 12, 11), 17, 0))["follow_ups"] == 0
    assert user_outbox.due("telegram") == []


def test_a_changed_date_gets_its_own_reminder_and_the_old_one_is_dropped(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue)
    assert tick(catalogue, paris(date(2026, 12, 9), 17, 0))["reminders"] == 1
    with session_scope() as session:
        accept_with_date(
            session,
            catalogue,
            request_id,
            now=paris(date(2026, 12, 9), 18, 0),
            day=date(2026, 12, 15),
        )
    reminders = [m for m in user_outbox.due("telegram") if m.kind == "meeting_reminder"]
    assert reminders == []  # the one for the 10th is stale
    assert tick(catalogue, paris(date(2026, 12, 10), 17, 0))["reminders"] == 0
    assert tick(catalogue, paris(date(2026, 12, 14), 17, 0))["reminders"] == 1
    [reminder] = [m for m in user_outbox.due("telegram") if m.kind == "meeting_reminder"]
    assert "mardi 15 décembre" in reminder.text


def test_a_replica_that_read_the_request_before_another_queued_the_reminder_queues_none(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue)
    now = paris(date(2026, 12, 9), 17, 0)
    with session_scope() as slow:
        stale = slow.get(ContactRequest, request_id)
        assert stale is not None
        assert meetings.reminder_due(catalogue, stale, now)
        assert tick(catalogue, now)["reminders"] == 1  # the other replica, committed
        column = ContactRequest.meeting_reminded_at
        assert not meetings._claim_step(slow, stale, column, now, RequestStatus.ACCEPTED)
    assert kinds().count("meeting_reminder") == 1


# -- the follow-up and the report-back -----------------------------------------------------


def test_the_follow_up_comes_the_day_after_with_a_report_line_for_the_coordinator(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue)
    assert tick(catalogue, paris(DAY, 23, 0))["follow_ups"] == 0
    assert tick(catalogue, paris(date(2026, 12, 11), 17, 0)) == {
        "reminders": 0,
        "follow_ups": 1,
        "reports_asked": 1,
    }
    assert tick(catalogue, paris(date(2026, 12, 12), 17, 0))["follow_ups"] == 0
    assert kinds()[-2:] == ["meeting_follow_up", "meeting_report_due"]
    [follow_up] = [m for m in user_outbox.due("telegram") if m.kind == "meeting_follow_up"]
    assert "c'était utile ?" in follow_up.text
    assert [b["payload"] for b in follow_up.buttons] == [
        f"/suivi_{request_id}_oui",
        f"/suivi_{request_id}_moyen",
        f"/suivi_{request_id}_non",
    ]


def test_a_mini_stage_is_followed_up_after_its_days(catalogue: Settings) -> None:
    accepted(catalogue, kind="ministage")
    assert tick(catalogue, paris(date(2026, 12, 14), 17, 0))["follow_ups"] == 0
    assert tick(catalogue, paris(date(2026, 12, 15), 17, 0))["follow_ups"] == 1


def test_a_follow_up_weeks_late_is_not_sent(catalogue: Settings) -> None:
    accepted(catalogue)
    assert tick(catalogue, paris(date(2026, 12, 30), 17, 0))["follow_ups"] == 0


def test_answers_and_report_backs_are_stored_and_counted(catalogue: Settings) -> None:
    first = accepted(catalogue)
    second = accepted(catalogue, user="555", kind="ministage")
    tick(catalogue, paris(date(2026, 12, 16), 17, 0))
    with session_scope() as session:
        assert meetings.answer_follow_up(
            session, user_id=USER, request_id=first, answer="oui", now=T0
        )
        assert not meetings.answer_follow_up(
            session, user_id=USER, request_id=second, answer="non", now=T0
        )  # not theirs
        assert meetings.answer_follow_up(
            session, user_id="555", request_id=second, answer="moyen", now=T0
        )
        cr.record_report(
            session,
            request_id=first,
            actor="c",
            note="très motivé",
            now=paris(date(2026, 12, 17), 9),
        )
    with session_scope() as session:
        request = session.get(ContactRequest, first)
        assert request is not None
        assert (request.status, request.follow_up_answer) == (RequestStatus.DONE, "oui")
        assert request.report == "très motivé"
        assert request.report_at is not None
        report = stats.build_report(
            session,
            catalogue,
            since=datetime(2026, 12, 1, tzinfo=UTC),
            until=datetime(2026, 12, 31, tzinfo=UTC),
        )
        exported = privacy.export_user(session, catalogue, user_id=USER)
    after = report.after_meetings
    assert (after.follow_ups, after.reports_asked, after.reports_recorded) == (2, 2, 1)
    assert dict(after.answers) == {"oui": 1, "moyen": 1, "non": 0}
    [mine] = exported["contact_requests"]
    assert mine["follow_up_answer"] == "oui"
    assert mine["report"] == "très motivé"
    assert mine["meeting_date"] == "2026-12-10"
    # the report-back after the follow-up is not announced to the user again
    done = [m for m in user_outbox.due("telegram") if "terminée" in m.text]
    assert done == []


def test_retention_purges_a_meeting_long_past_whose_report_never_came(
    catalogue: Settings,
) -> None:
    request_id = accepted(catalogue)
    later = datetime(2028, 1, 1, tzinfo=UTC)
    with session_scope() as session:
        from parcours.repositories import users

        users.get(session, user_id=USER).last_seen_at = later  # type: ignore[union-attr]
        result = retention.purge(session, catalogue, now=later)
    assert result.contact_requests == 1
    with session_scope() as session:
        assert session.get(ContactRequest, request_id) is None


def test_cancelling_a_request_with_no_meeting_tells_the_staff_nothing(
    catalogue: Settings,
) -> None:
    with session_scope() as session:
        request = contact_request(session, catalogue, now=T0, user_id=USER)
        cr.cancel(session, user_id=USER, request_id=request.id, register="tu")
    assert "meeting_cancelled" not in kinds()


async def test_the_staff_topic_gets_the_report_line_with_its_button_and_the_cancellation(
    catalogue: Settings,
) -> None:
    from bot.staff_relay import StaffRelay
    from tests.unit.bot.test_staff_delivery import STAFF, FakeBot, NoRasa

    request_id = accepted(catalogue)
    tick(catalogue, paris(date(2026, 12, 11), 17, 0))
    other = accepted(catalogue, user="555", day=date(2026, 12, 20))
    with session_scope() as session:
        cr.cancel(session, user_id="555", request_id=other, register="tu")
    relay = StaffRelay(catalogue.model_copy(update={"staff_chat_id": STAFF}), NoRasa())  # type: ignore[arg-type]
    relay.topics.first_names.update({USER: "Lucas", "555": "Inès"})
    bot = FakeBot()
    await relay.flush(bot)  # type: ignore[arg-type]
    texts = [text for _, _, text in bot.sent]
    report = next(t for t in texts if "La charte demande un retour de l'ambassadeur" in t)
    assert f"Demande n°{request_id} (Léa B., ambassadeur métier (Boulanger))" in report
    assert f"/retour {request_id}" in report
    cancelled = next(t for t in texts if "a annulé" in t)
    assert f"demande n°{other}" in cancelled
    assert "rendez-vous du 20/12/2026 annulé. Merci de prévenir l'ambassadeur" in cancelled
