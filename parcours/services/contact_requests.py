"""Contact requests: filing, answers recorded by coordinators, reminders and deadlines.

The ambassadors' charter sets the deadline: an answer (accept or decline) within 10 days;
the meeting itself may come later. No source sets one for companies' mini-stage offers, so
theirs is the MINISTAGE_ANSWER_DAYS setting. Every change is audited and told to the user
through the outbox; an expired ambassador request is escalated to the coordinator.
Functions take `now` so that tests (and the scheduler) control the clock.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import Ambassador, MinistageOffer, OutboxMessage
from parcours.models.contact_request import ContactRequest, ContactRequestEvent, RequestStatus
from parcours.repositories import users
from parcours.services import meetings
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings, get_settings

R = RequestStatus
AMBASSADOR_ANSWER_DAYS = 10
REMIND_DAYS_BEFORE = 3
OPEN = (R.SENT, R.ACCEPTED)

TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    R.SENT: frozenset({R.ACCEPTED, R.DECLINED, R.EXPIRED, R.CANCELLED}),
    R.ACCEPTED: frozenset({R.DONE, R.CANCELLED}),
    R.DECLINED: frozenset(),
    R.DONE: frozenset(),
    R.EXPIRED: frozenset({R.ACCEPTED, R.DECLINED}),  # a late answer is still welcome
    R.CANCELLED: frozenset(),
}


class RequestError(ValueError):
    """A request that cannot be filed or changed (French message for the user or the CLI)."""


#: A target that no longer takes requests (an ambassador marked unavailable, an offer with
#: no place left), in each register: a forged or stale button gets this, never a request.
UNAVAILABLE = {
    "tu": "cette personne ou cette offre ne prend plus de demande pour le moment, "
    "tu peux chercher un autre contact",
    "vous": "cette personne ou cette offre ne prend plus de demande pour le moment, "
    "vous pouvez chercher un autre contact",
}

#: A request the user cannot cancel, in each register (tu / vous).
NOT_YOURS = {
    "tu": "je ne trouve pas cette demande parmi les tiennes",
    "vous": "je ne trouve pas cette demande parmi les vôtres",
}


def _move(
    session: Session,
    request: ContactRequest,
    target: RequestStatus,
    actor: str,
    note: str = "",
    *,
    quiet: bool = False,
) -> None:
    """Change the status (audited) and queue the user's notice (`quiet`: said already)."""
    current = RequestStatus(request.status)
    if target not in TRANSITIONS[current]:
        raise RequestError(
            f"la demande n°{request.id} est « {current} » : « {target} » impossible"
        )
    request.status = target
    request.events.append(
        ContactRequestEvent(from_status=current, to_status=target, actor=actor, note=note)
    )
    session.add(
        OutboxMessage(
            user_id=request.user_id,
            kind=OutboxKind.REQUEST_UPDATE,
            payload={
                "request_id": request.id,
                "status": target.value,
                "note": note,
                **({"quiet": True} if quiet else {}),
            },
        )
    )


def _target(session: Session, target_type: str, target_key: str) -> Ambassador | MinistageOffer:
    """The row a request goes to; a RequestError if there is none."""
    target: Ambassador | MinistageOffer | None
    if target_type == "ambassador":
        target = session.get(Ambassador, target_key)
    elif target_type == "ministage":
        target = session.get(MinistageOffer, target_key)
    else:
        raise RequestError(f"type de demande inconnu « {target_type} »")
    if target is None:
        raise RequestError("cette fiche n'existe plus")
    return target


def _is_available(target: Ambassador | MinistageOffer) -> bool:
    """An ambassador takes requests while `available`; an offer while it has places."""
    if isinstance(target, Ambassador):
        return target.available
    return target.places > 0


def unavailable_reason(
    session: Session, *, target_type: str, target_key: str, register: str
) -> str | None:
    """Why no request can go to this target (in the user's register), or None if one can."""
    try:
        target = _target(session, target_type, target_key)
    except RequestError as exc:
        return str(exc)
    if not _is_available(target):
        return UNAVAILABLE["vous" if register == "vous" else "tu"]
    return None


def file_request(
    session: Session,
    settings: Settings,
    *,
    user_id: str,
    target_type: str,
    target_key: str,
    message: str,
    availability: str,
    now: datetime,
    register: str = "tu",
) -> ContactRequest:
    """File a request to an ambassador or for a mini-stage offer that takes requests (the
    payload naming it comes from the user: never trusted)."""
    target = _target(session, target_type, target_key)
    if not _is_available(target):
        raise RequestError(UNAVAILABLE["vous" if register == "vous" else "tu"])
    if settings.production and target.demo:
        raise RequestError("cette fiche est une donnée de démonstration : pas de demande réelle")
    duplicate = session.scalars(
        select(ContactRequest).where(
            ContactRequest.user_id == user_id,
            ContactRequest.target_type == target_type,
            ContactRequest.target_key == target_key,
            ContactRequest.status.in_(OPEN),
        )
    ).first()
    if duplicate is not None:
        return duplicate
    days = (
        AMBASSADOR_ANSWER_DAYS if target_type == "ambassador" else settings.ministage_answer_days
    )
    users.get_or_create(session, user_id=user_id)
    request = ContactRequest(
        user_id=user_id,
        target_type=target_type,
        target_key=target_key,
        message=message.strip()[:2000],
        availability=availability.strip()[:256],
        status=R.SENT,
        due_at=now + timedelta(days=days),
        remind_at=now + timedelta(days=max(days - REMIND_DAYS_BEFORE, 1)),
    )
    request.events.append(ContactRequestEvent(from_status=None, to_status=R.SENT, actor="user"))
    session.add(request)
    session.flush()
    session.add(
        OutboxMessage(
            user_id=user_id,
            kind=OutboxKind.REQUEST_FILED,
            payload={
                "request_id": request.id,
                "target_type": target_type,
                "target_key": target_key,
                "due_at": request.due_at.isoformat(),
            },
        )
    )
    return request


def record_answer(
    session: Session,
    *,
    request_id: int,
    accepted: bool,
    actor: str,
    now: datetime,
    proposed_date: date | None = None,
    note: str = "",
    at: time | None = None,
    place: str = "",
    settings: Settings | None = None,
) -> ContactRequest:
    """A coordinator records the ambassador's or company's answer (stops the clock).

    Accepted with a date (and a time, a place when known): the meeting is scheduled
    (`meetings.schedule`: the user gets a calendar file). Accepting an accepted request again
    with a date changes its date."""
    settings = settings or get_settings()
    request = _get(session, request_id)
    if accepted and proposed_date is not None:
        today = now.astimezone(ZoneInfo(settings.timezone)).date()
        if proposed_date < today:
            raise RequestError(
                f"la date {proposed_date:%d/%m/%Y} est passée : vérifiez-la (JJ/MM/AAAA)"
            )
    if accepted and request.status == R.ACCEPTED and proposed_date is not None:
        _reschedule(session, request, actor=actor, note=note)
    else:
        _move(session, request, R.ACCEPTED if accepted else R.DECLINED, actor, note)
        request.answered_at = now
        request.proposed_date = proposed_date if accepted else None
    request.answer_note = note
    if accepted and proposed_date is not None:
        meetings.schedule(
            session, settings, request, day=proposed_date, at=at, place=place, now=now
        )
    return request


def _reschedule(session: Session, request: ContactRequest, *, actor: str, note: str) -> None:
    """An accepted request's meeting moves: audited, and the user told."""
    request.events.append(
        ContactRequestEvent(
            from_status=R.ACCEPTED, to_status=R.ACCEPTED, actor=actor, note=note or "nouvelle date"
        )
    )
    session.add(
        OutboxMessage(
            user_id=request.user_id,
            kind=OutboxKind.REQUEST_UPDATE,
            payload={"request_id": request.id, "status": "rescheduled", "note": note},
        )
    )


def mark_done(
    session: Session,
    *,
    request_id: int,
    actor: str,
    report: str,
    now: datetime | None = None,
) -> ContactRequest:
    """The meeting or the mini-stage took place; the report back is kept. Also how the
    charter's report-back is recorded (`record_report`): the user, asked already whether it
    was useful, is not told again."""
    request = _get(session, request_id)
    _move(session, request, R.DONE, actor, report, quiet=request.follow_up_sent_at is not None)
    request.report = report
    request.report_at = now or utcnow()
    return request


def record_report(
    session: Session, *, request_id: int, actor: str, note: str, now: datetime
) -> ContactRequest:
    """The ambassador's or company's report-back after the meeting (the charter's): an
    accepted request is done; a done one gets the note added."""
    request = _get(session, request_id)
    if request.status == R.ACCEPTED:
        return mark_done(session, request_id=request_id, actor=actor, report=note, now=now)
    if request.status != R.DONE:
        raise RequestError(
            f"la demande n°{request.id} est « {request.status} » : pas de rencontre à clore"
        )
    if note:
        request.report = f"{request.report}\n{note}".strip()[:4000]
    request.report_at = request.report_at or now
    request.events.append(
        ContactRequestEvent(from_status=R.DONE, to_status=R.DONE, actor=actor, note=note)
    )
    return request


def cancel(session: Session, *, user_id: str, request_id: int, register: str) -> ContactRequest:
    """The user cancels one of their own requests (an error says so in their register)."""
    request = session.get(ContactRequest, request_id)
    if request is None or request.user_id != user_id:
        raise RequestError(NOT_YOURS["vous" if register == "vous" else "tu"])
    had_meeting = request.status == R.ACCEPTED and request.proposed_date is not None
    _move(session, request, R.CANCELLED, "user")
    if had_meeting:  # the ambassador or company expects them: the coordinator tells them
        session.add(
            OutboxMessage(
                user_id=user_id,
                kind=OutboxKind.MEETING_CANCELLED,
                payload={"request_id": request.id},
            )
        )
    return request


def for_user(session: Session, *, user_id: str) -> list[ContactRequest]:
    """The user's requests, newest first (never anyone else's)."""
    return list(
        session.scalars(
            select(ContactRequest)
            .where(ContactRequest.user_id == user_id)
            .order_by(ContactRequest.id.desc())
        )
    )


def tick(session: Session, *, now: datetime) -> dict[str, int]:
    """Send due reminders and expire overdue requests (run periodically)."""
    counts = {"reminded": 0, "expired": 0}
    pending = session.scalars(select(ContactRequest).where(ContactRequest.status == R.SENT))
    for request in pending:
        if now >= request.due_at:
            _move(session, request, R.EXPIRED, "clock", "pas de réponse dans le délai")
            session.add(
                OutboxMessage(
                    user_id=request.user_id,
                    kind=OutboxKind.REQUEST_ESCALATED,
                    payload={"request_id": request.id, "target_key": request.target_key},
                )
            )
            counts["expired"] += 1
        elif now >= request.remind_at and request.reminded_at is None:
            request.reminded_at = now
            session.add(
                OutboxMessage(
                    user_id=request.user_id,
                    kind=OutboxKind.REQUEST_REMINDER,
                    payload={"request_id": request.id, "due_at": request.due_at.isoformat()},
                )
            )
            counts["reminded"] += 1
    session.flush()
    return counts


def get(session: Session, request_id: int) -> ContactRequest:
    """The request with this number (`RequestError` when there is none)."""
    return _get(session, request_id)


def _get(session: Session, request_id: int) -> ContactRequest:
    request = session.get(ContactRequest, request_id)
    if request is None:
        raise RequestError(f"demande n°{request_id} introuvable")
    return request
