"""Activity report for the agency: conversations, FAQ, fallbacks, hand-offs, requests.

Figures cover the period [since, until). Conversation figures come from Rasa's tracker
store; the rest from the app database. Which date places a row in the period:
- hand-offs: created_at (their wait time, reason, whether a coordinator took them);
  satisfaction: ended_at (the user answers after the closing);
- contact requests: created_at for the statuses; due_at for the answer deadline (SLA), so
  that a request filed yesterday does not count as "on time" before its deadline has come;
  after the meetings: follow_up_sent_at (the follow-up, its answer, the report-back asked).
A department filter keeps hand-offs of that department, requests and conversations of
users whose town is in it (users with no known town are then left out).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import (
    Commune,
    ContactRequest,
    ContactRequestEvent,
    Handoff,
    HandoffState,
    RequestStatus,
    User,
)
from parcours.services import stats_tracker
from parcours.services.meetings import FOLLOW_UP_ANSWERS
from parcours.services.stats_report import (
    UNKNOWN_DEPARTEMENT,
    AfterMeetings,
    Handoffs,
    Report,
    Requests,
    Satisfaction,
    Territory,
)
from parcours.settings import Settings

__all__ = ["as_dict", "build_report", "last_days"]

SCORES = (1, 2, 3)


def _users_in(session: Session, departement: str) -> set[str]:
    return set(
        session.scalars(
            select(User.id)
            .join(Commune, Commune.insee == User.town_code)
            .where(Commune.departement == departement)
        )
    )


def _nearest_rank(ordered: Sequence[float], q: float) -> float:
    return ordered[max(math.ceil(q * len(ordered)), 1) - 1]


def _handoff_place(departement: str | None) -> ColumnElement[bool]:
    return true() if departement is None else Handoff.departement == departement


def _handoffs(
    session: Session, *, since: datetime, until: datetime, departement: str | None
) -> tuple[Handoffs, Counter[str]]:
    place = _handoff_place(departement)
    rows = session.scalars(
        select(Handoff).where(place, Handoff.created_at >= since, Handoff.created_at < until)
    ).all()
    waits = sorted(
        (h.taken_at - h.created_at).total_seconds() for h in rows if h.taken_at is not None
    )
    waiting_now = session.scalar(
        select(func.count(Handoff.id)).where(place, Handoff.state == HandoffState.WAITING)
    )
    reasons = Counter(h.reason for h in rows)
    figures = Handoffs(
        total=len(rows),
        by_reason=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        urgent=sum(1 for h in rows if h.urgent),
        waiting_now=waiting_now or 0,
        taken=len(waits),
        not_taken=sum(1 for h in rows if h.taken_at is None and h.state != HandoffState.WAITING),
        wait_median=timedelta(seconds=statistics.median(waits)) if waits else None,
        wait_p90=timedelta(seconds=_nearest_rank(waits, 0.9)) if waits else None,
    )
    territories = Counter(h.departement or UNKNOWN_DEPARTEMENT for h in rows)
    return figures, territories


def _satisfaction(
    session: Session, *, since: datetime, until: datetime, departement: str | None
) -> Satisfaction:
    scores = [
        h.satisfaction
        for h in session.scalars(
            select(Handoff).where(
                _handoff_place(departement),
                Handoff.ended_at >= since,
                Handoff.ended_at < until,
                Handoff.satisfaction.in_(SCORES),
            )
        )
        if h.satisfaction is not None
    ]
    counts = Counter(scores)
    return Satisfaction(
        by_score={str(score): counts[score] for score in SCORES},
        answers=len(scores),
        mean=round(statistics.fmean(scores), 2) if scores else None,
    )


def _requests_with_place(
    session: Session, departement: str | None, *period: ColumnElement[bool]
) -> list[tuple[ContactRequest, str | None]]:
    """Requests in the period, with the department of the user's town (None: unknown)."""
    rows = session.execute(
        select(ContactRequest, Commune.departement)
        .join(User, User.id == ContactRequest.user_id)
        .outerjoin(Commune, Commune.insee == User.town_code)
        .where(true() if departement is None else Commune.departement == departement, *period)
        .order_by(ContactRequest.id)
    )
    return [(request, place) for request, place in rows]


def _requests(
    session: Session, *, since: datetime, until: datetime, departement: str | None
) -> tuple[Requests, Counter[str]]:
    filed = _requests_with_place(
        session, departement, ContactRequest.created_at >= since, ContactRequest.created_at < until
    )
    statuses = Counter(request.status for request, _ in filed)
    due = [
        request
        for request, _ in _requests_with_place(
            session, departement, ContactRequest.due_at >= since, ContactRequest.due_at < until
        )
    ]
    ever_expired = set(
        session.scalars(
            select(ContactRequestEvent.request_id).where(
                ContactRequestEvent.to_status == RequestStatus.EXPIRED,
                ContactRequestEvent.request_id.in_([r.id for r in due]),
            )
        )
    )
    breached = [
        r
        for r in due
        if r.status == RequestStatus.EXPIRED
        or r.id in ever_expired
        or (r.answered_at is not None and r.answered_at > r.due_at)
    ]
    figures = Requests(
        total=len(filed),
        by_status={s.value: statuses[s.value] for s in RequestStatus if statuses[s.value]},
        due=len(due),
        breached=len(breached),
    )
    territories = Counter(dep or UNKNOWN_DEPARTEMENT for _, dep in filed)
    return figures, territories


def _after_meetings(
    session: Session, *, since: datetime, until: datetime, departement: str | None
) -> AfterMeetings:
    """Follow-ups sent in the period, the users' answers, and the report-backs asked for
    those meetings (a done request with no report line asked for none) and recorded."""
    followed = [
        request
        for request, _ in _requests_with_place(
            session,
            departement,
            ContactRequest.follow_up_sent_at >= since,
            ContactRequest.follow_up_sent_at < until,
        )
    ]
    answers = Counter(r.follow_up_answer for r in followed if r.follow_up_answer)
    asked = [
        r
        for r in followed
        if r.report_at is None or r.report_at >= r.follow_up_sent_at  # type: ignore[operator]
    ]
    return AfterMeetings(
        follow_ups=len(followed),
        answers={answer: answers[answer] for answer in FOLLOW_UP_ANSWERS},
        reports_asked=len(asked),
        reports_recorded=sum(1 for r in asked if r.report_at is not None),
    )


def _territories(handoffs: Counter[str], requests: Counter[str]) -> tuple[Territory, ...]:
    codes = sorted(set(handoffs) | set(requests), key=lambda c: (c == UNKNOWN_DEPARTEMENT, c))
    return tuple(
        Territory(departement=code, handoffs=handoffs[code], requests=requests[code])
        for code in codes
    )


def build_report(
    session: Session,
    settings: Settings,
    *,
    since: datetime,
    until: datetime,
    departement: str | None = None,
) -> Report:
    """Compute every figure of the period (read only: nothing is written anywhere)."""
    turns = stats_tracker.read_user_turns(settings, since=since, until=until)
    if turns is not None and departement is not None:
        senders = _users_in(session, departement)
        turns = [t for t in turns if t.sender_id in senders]
    conversations = stats_tracker.summarize(
        turns, since=since, until=until, tz=ZoneInfo(settings.timezone)
    )
    handoffs, handoff_places = _handoffs(
        session, since=since, until=until, departement=departement
    )
    requests, request_places = _requests(
        session, since=since, until=until, departement=departement
    )
    return Report(
        since=since,
        until=until,
        departement=departement,
        conversations=conversations,
        handoffs=handoffs,
        satisfaction=_satisfaction(session, since=since, until=until, departement=departement),
        requests=requests,
        territories=_territories(handoff_places, request_places),
        after_meetings=_after_meetings(session, since=since, until=until, departement=departement),
    )


def last_days(days: int, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The period (since, until) covering the `days` days before `now`."""
    until = now or utcnow()
    return until - timedelta(days=days), until


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def as_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-serialisable data (durations in seconds, dates in ISO 8601)."""
    data: dict[str, Any] = _jsonable(report)
    return data
