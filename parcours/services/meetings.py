"""After a meeting: what follows a contact request accepted with a date.

- The date is set (or changed) → the user gets a calendar file (`meeting_calendar`, one
  outbox row holding the .ics, so that it survives restarts and the web channel can serve it).
- The day before, at MEETING_MESSAGE_TIME (TIMEZONE) → a reminder, unless the request was
  cancelled, the user forgotten (their rows are gone) or the date changed meanwhile.
- MEETING_FOLLOW_UP_DAYS after an ambassador meeting (MINISTAGE_FOLLOW_UP_DAYS after a
  mini-stage's first day), at the same time → a one-tap "c'était utile ?" to the user, and a
  line in the coordinator's topic asking for the report-back the ambassadors' charter asks for.

Each of these is queued once: a compare-and-set UPDATE (`_claim_step`) writes the step's time
only if nobody wrote it first, in the same transaction as the outbox row, so two bot replicas
running the job (or a restart in the middle of one) never queue it twice. Functions take
`now` so that tests and the scheduler control the clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from parcours.models import Ambassador, Commune, Company, Metier, MinistageOffer, OutboxMessage
from parcours.models.contact_request import ContactRequest, RequestStatus
from parcours.repositories import users
from parcours.services import meeting_calendar
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings

R = RequestStatus
FOLLOW_UP_ANSWERS = ("oui", "moyen", "non")
#: A reminder or follow-up that could not be queued in time (the bot was down) is dropped
#: after this long: a "c'était utile ?" weeks later would puzzle more than help.
FOLLOW_UP_WINDOW = timedelta(days=14)
#: How far back the job looks for meetings (follow-ups come at most 30 days + the window after).
_LOOK_BACK = timedelta(days=30) + FOLLOW_UP_WINDOW


@dataclass(frozen=True)
class Meeting:
    """What the calendar file and the messages say about a meeting (no data on the user)."""

    request_id: int
    target_type: str  # ambassador | ministage
    who: str  # "Julie M. (démo), ambassadeur métier (boulanger)" / "Boulangerie X (démo)"
    day: date
    at: time | None
    place: str
    sequence: int


def _label(session: Session, metier: str | None) -> str:
    row = session.get(Metier, metier) if metier else None
    return row.libelle if row is not None else ""


def who(session: Session, request: ContactRequest) -> str:
    """Whom (or where) the user meets: the public name of the card they asked for."""
    if request.target_type == "ambassador":
        ambassador = session.get(Ambassador, request.target_key)
        if ambassador is None:
            return "un ambassadeur métier"
        label = _label(session, ambassador.metier) or ambassador.formation
        kind = "ambassadeur formation" if ambassador.kind == "formation" else "ambassadeur métier"
        return f"{ambassador.display_name}, {kind}" + (f" ({label})" if label else "")
    offer = session.get(MinistageOffer, request.target_key)
    company = session.get(Company, offer.company) if offer is not None else None
    if offer is None or company is None:
        return "l'entreprise du mini-stage"
    label = _label(session, offer.metier)
    return company.name + (f" ({label})" if label else "")


def default_place(session: Session, request: ContactRequest) -> str:
    """Where a mini-stage happens when the coordinator named no place: the company's town."""
    if request.target_type != "ministage":
        return ""
    offer = session.get(MinistageOffer, request.target_key)
    company = session.get(Company, offer.company) if offer is not None else None
    commune = session.get(Commune, company.commune) if company is not None else None
    return f"{company.name}, {commune.nom}" if company is not None and commune else ""


def meeting_of(session: Session, request: ContactRequest) -> Meeting | None:
    """The meeting of an accepted request (None: no date)."""
    if request.proposed_date is None:
        return None
    return Meeting(
        request_id=request.id,
        target_type=request.target_type,
        who=who(session, request),
        day=request.proposed_date,
        at=request.meeting_time,
        place=request.meeting_place,
        sequence=request.meeting_sequence,
    )


def event_uid(settings: Settings, request_id: int) -> str:
    """The calendar event's UID: the same for every version of a request's meeting (a
    calendar updates the event), nothing about the user in it."""
    name = f"parcours-metier:{settings.region}:demande:{request_id}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, name)}@parcours-metier"


def schedule(
    session: Session,
    settings: Settings,
    request: ContactRequest,
    *,
    day: date,
    at: time | None,
    place: str,
    now: datetime,
) -> None:
    """Set (or change) the meeting's date and queue the calendar file for the user.

    A changed date gets a new reminder (its own, the old one no longer applies) and a new
    version of the same calendar event."""
    request.proposed_date = day
    request.meeting_time = at
    request.meeting_place = (place.strip() or default_place(session, request))[:256]
    request.meeting_set_at = now
    request.meeting_sequence = (request.meeting_sequence or 0) + 1
    request.meeting_reminded_at = None
    request.follow_up_sent_at = None
    request.follow_up_answer = None
    request.follow_up_answered_at = None
    session.flush()
    meeting = meeting_of(session, request)
    assert meeting is not None
    user = users.get(session, user_id=request.user_id)
    register = user.register if user is not None else "tu"
    content = meeting_calendar.calendar_file(
        meeting,
        uid=event_uid(settings, request.id),
        tz=settings.timezone,
        register=register,
        now=now,
    )
    session.add(
        OutboxMessage(
            user_id=request.user_id,
            kind=OutboxKind.MEETING_CALENDAR,
            payload={
                "request_id": request.id,
                "sequence": request.meeting_sequence,
                "document": {
                    "filename": f"rendez-vous-demande-{request.id}.ics",
                    "mime": meeting_calendar.MIME,
                    "content": content.decode("utf-8"),
                },
            },
        )
    )


# -- when --------------------------------------------------------------------------------


def message_time(settings: Settings) -> time:
    """MEETING_MESSAGE_TIME as a time of day."""
    hour, minute = settings.meeting_message_time.split(":")
    return time(int(hour), int(minute))


def starts_at(day: date, at: time | None, tz: ZoneInfo) -> datetime:
    """When the meeting starts (an all-day meeting: when its day starts)."""
    return datetime.combine(day, at or time(0, 0), tz)


def reminder_at(settings: Settings, day: date) -> datetime:
    """The day before the meeting, at MEETING_MESSAGE_TIME."""
    tz = ZoneInfo(settings.timezone)
    return datetime.combine(day - timedelta(days=1), message_time(settings), tz)


def follow_up_at(settings: Settings, target_type: str, day: date, at: time | None) -> datetime:
    """Some days after the meeting (after a mini-stage's last day), at MEETING_MESSAGE_TIME,
    and never before the meeting has begun."""
    tz = ZoneInfo(settings.timezone)
    days = (
        settings.ministage_follow_up_days
        if target_type == "ministage"
        else settings.meeting_follow_up_days
    )
    moment = datetime.combine(day + timedelta(days=days), message_time(settings), tz)
    return max(moment, starts_at(day, at, tz) + timedelta(hours=1))


def reminder_due(settings: Settings, request: ContactRequest, now: datetime) -> bool:
    """The reminder is to be sent now: accepted, date set before the reminder's day (a
    user told that day already knows), not reminded yet, the meeting not begun."""
    if request.status != R.ACCEPTED or request.proposed_date is None:
        return False
    if request.meeting_reminded_at is not None:
        return False
    tz = ZoneInfo(settings.timezone)
    remind = reminder_at(settings, request.proposed_date)
    set_at = request.meeting_set_at or request.answered_at
    if set_at is not None and set_at.astimezone(tz).date() >= remind.date():
        return False
    return remind <= now < starts_at(request.proposed_date, request.meeting_time, tz)


def follow_up_due(settings: Settings, request: ContactRequest, now: datetime) -> bool:
    """The follow-up is to be sent now: the meeting took place (accepted or done), not asked
    yet, and not so long ago that asking would puzzle."""
    if request.status not in (R.ACCEPTED, R.DONE) or request.proposed_date is None:
        return False
    if request.follow_up_sent_at is not None:
        return False
    moment = follow_up_at(
        settings, request.target_type, request.proposed_date, request.meeting_time
    )
    return moment <= now < moment + FOLLOW_UP_WINDOW


# -- the periodic job --------------------------------------------------------------------


def _claim_step(
    session: Session,
    request: ContactRequest,
    column: Any,
    now: datetime,
    *statuses: RequestStatus,
) -> bool:
    """Write `now` into the step's column if nobody did (same date version, same status
    family): True for the one caller that did. The row lock held until commit makes a
    concurrent replica's UPDATE match nothing."""
    conditions: list[ColumnElement[bool]] = [
        ContactRequest.id == request.id,
        column.is_(None),
        ContactRequest.meeting_sequence == request.meeting_sequence,
        ContactRequest.status.in_(statuses),
    ]
    result = session.execute(
        update(ContactRequest).where(*conditions).values({column.key: now}),
        execution_options={"synchronize_session": False},
    )
    won = bool(getattr(result, "rowcount", 0) == 1)
    if won:
        session.refresh(request)
    return won


def tick(session: Session, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Queue the reminders and follow-ups that are due; the counts."""
    counts = {"reminders": 0, "follow_ups": 0, "reports_asked": 0}
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    candidates = session.scalars(
        select(ContactRequest)
        .where(
            ContactRequest.status.in_((R.ACCEPTED, R.DONE)),
            ContactRequest.proposed_date.is_not(None),
            ContactRequest.proposed_date >= today - _LOOK_BACK,
            ContactRequest.proposed_date <= today + timedelta(days=2),
            or_(
                ContactRequest.meeting_reminded_at.is_(None),
                ContactRequest.follow_up_sent_at.is_(None),
            ),
        )
        .order_by(ContactRequest.id)
    ).all()
    for request in candidates:
        base = {"request_id": request.id, "sequence": request.meeting_sequence}
        if reminder_due(settings, request, now) and _claim_step(
            session, request, ContactRequest.meeting_reminded_at, now, R.ACCEPTED
        ):
            _queue(session, request.user_id, OutboxKind.MEETING_REMINDER, base)
            counts["reminders"] += 1
        if follow_up_due(settings, request, now) and _claim_step(
            session, request, ContactRequest.follow_up_sent_at, now, R.ACCEPTED, R.DONE
        ):
            _queue(session, request.user_id, OutboxKind.MEETING_FOLLOW_UP, base)
            counts["follow_ups"] += 1
            if request.report_at is None:
                _queue(session, request.user_id, OutboxKind.MEETING_REPORT_DUE, base)
                counts["reports_asked"] += 1
    session.flush()
    return counts


def _queue(session: Session, user_id: str, kind: OutboxKind, payload: dict[str, Any]) -> None:
    session.add(OutboxMessage(user_id=user_id, kind=kind, payload=dict(payload)))


# -- answers -------------------------------------------------------------------------------


def answer_follow_up(
    session: Session, *, user_id: str, request_id: int, answer: str, now: datetime
) -> bool:
    """The user's one-tap answer (the latest one counts); False when the request is not
    theirs, was never followed up, or the answer is not one of the buttons."""
    request = session.get(ContactRequest, request_id)
    if (
        request is None
        or request.user_id != user_id
        or request.follow_up_sent_at is None
        or answer not in FOLLOW_UP_ANSWERS
    ):
        return False
    request.follow_up_answer = answer
    request.follow_up_answered_at = now
    return True
