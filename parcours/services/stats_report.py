"""The activity report's figures: what `stats` computes and `stats_text` renders.

The conversation part (`Conversations`, `DayCount`) comes from Rasa's tracker, see
:mod:`parcours.services.stats_tracker`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from parcours.services.stats_tracker import Conversations

#: The department of a hand-off or request whose place is not known.
UNKNOWN_DEPARTEMENT = "?"


@dataclass(frozen=True)
class Handoffs:
    """Hand-offs to a coordinator created in the period."""

    total: int
    by_reason: Mapping[str, int]
    urgent: int
    waiting_now: int  # snapshot at report time, whatever the creation date
    taken: int
    not_taken: int  # ended (handed back or closed) before any coordinator took it
    wait_median: timedelta | None  # created → taken
    wait_p90: timedelta | None  # nearest-rank 90th percentile


@dataclass(frozen=True)
class Satisfaction:
    """One-tap answers (1–3) after hand-offs closed in the period."""

    by_score: Mapping[str, int]  # "1", "2", "3" → count
    answers: int
    mean: float | None


@dataclass(frozen=True)
class Requests:
    """Contact requests filed in the period, and the answer deadline of those due in it."""

    total: int
    by_status: Mapping[str, int]
    due: int  # requests whose deadline fell in the period
    breached: int  # of those: expired, or answered after the deadline


@dataclass(frozen=True)
class AfterMeetings:
    """What followed the meetings whose follow-up went out in the period."""

    follow_ups: int  # "c'était utile ?" sent to users
    answers: Mapping[str, int]  # "oui", "moyen", "non" → count
    reports_asked: int  # report-back lines posted to coordinators
    reports_recorded: int  # of those meetings: the ambassador's or company's report recorded


@dataclass(frozen=True)
class Territory:
    """Activity of one department (`?`: unknown)."""

    departement: str
    handoffs: int
    requests: int


@dataclass(frozen=True)
class Report:
    """Everything `/stats` and `python -m parcours stats` show."""

    since: datetime
    until: datetime
    departement: str | None
    conversations: Conversations
    handoffs: Handoffs
    satisfaction: Satisfaction
    requests: Requests
    territories: tuple[Territory, ...]
    after_meetings: AfterMeetings
