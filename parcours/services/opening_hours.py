"""When humans are available (the OPENING_HOURS setting), and what to tell a user meanwhile.

Spec grammar (case and accents ignored), clauses separated by ``;`` or new lines::

    clause := days times
    days   := day | day "-" day | days "," days      (English or French names, short or long)
    times  := range ("," range)*                      (ranges may also be separated by spaces)
    range  := time "-" time                           (start < end; "24:00" closes at midnight)
    time   := "09:00" | "9:00" | "9h" | "9h30" | "9"

Examples: ``"mon-fri 09:00-17:00"``, ``"mon-thu 09:00-12:30,13:30-17:00; fri 09:00-16:00"``,
``"lun-ven 9h-17h"``, ``"du lundi au vendredi 9h-12h 14h-17h"``. A day named in no clause is
closed; the public holidays are always closed (with a ``holidays`` subdivision's own days
when the region's pack gives one, e.g. Alsace-Moselle's). A day range may wrap (``"fri-mon"``).

Times are wall-clock times in the configured zone, so a schedule keeps its hours across the
daylight-saving changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parcours.search.normalize import fold
from parcours.services.french_calendar import (
    FRENCH_DAYS,
    Subdivision,
    french_public_holidays,
    french_time,
    french_when,
)

__all__ = [
    "OpeningHours",
    "Register",
    "Subdivision",
    "expected_wait_text",
    "french_public_holidays",
    "french_when",
    "zone",
]

Register = Literal["tu", "vous"]
#: (start, end) in minutes since midnight, start < end ≤ 1440.
Interval = tuple[int, int]

_DAY_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("mon", "monday", "lun", "lundi"),
        ("tue", "tues", "tuesday", "mar", "mardi"),
        ("wed", "wednesday", "mer", "mercredi"),
        ("thu", "thur", "thurs", "thursday", "jeu", "jeudi"),
        ("fri", "friday", "ven", "vendredi"),
        ("sat", "saturday", "sam", "samedi"),
        ("sun", "sunday", "dim", "dimanche"),
    ]
):
    _DAY_NAMES.update(dict.fromkeys(_names, _number))

_ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LETTERS = re.compile(r"[^\W\d_]+")
_TIME = re.compile(r"(\d{1,2})(?::(\d{2})|h(\d{2})?)?")
#: Search this far for the next opening: enough for any valid spec, even a Thursday-only one
#: when 1 May, 8 May and Ascension are three Thursdays in a row (2042).
_HORIZON_DAYS = 29


def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``, or a ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (expected e.g. 'Europe/Paris')") from error


def _plain(text: str) -> str:
    """Words folded (lower case, no accents), digits and punctuation kept, single spaces."""
    composed = unicodedata.normalize("NFKC", text)
    return " ".join(_LETTERS.sub(lambda word: fold(word[0]), composed).split())


def _parse_days(text: str, clause: str) -> list[int]:
    """Day numbers (Monday = 0) of the days part of a clause."""
    text = re.sub(r"\b(?:du|le|les)\b", " ", text)
    text = re.sub(r"\b(?:au|a)\b", "-", text)
    text = re.sub(r"\bet\b", ",", text)
    text = re.sub(r"\s*([,-])\s*", r"\1", text).replace(".", "")
    days: list[int] = []
    for item in (part for part in re.split(r"[,\s]+", text) if part):
        names = item.split("-")
        if len(names) > 2 or not all(names):
            raise ValueError(f"bad day range {item!r} in {clause!r} (expected e.g. 'mon-fri')")
        numbers = []
        for name in names:
            if name not in _DAY_NAMES:
                raise ValueError(
                    f"unknown day {name!r} in {clause!r} (expected mon…sun or lun…dim)"
                )
            numbers.append(_DAY_NAMES[name])
        first, last = numbers[0], numbers[-1]
        days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    if not days:
        raise ValueError(f"no day in {clause!r} (expected e.g. 'mon-fri 09:00-17:00')")
    return days


def _parse_time(text: str, clause: str) -> int:
    """Minutes since midnight of one time of a clause."""
    match = _TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"bad time {text!r} in {clause!r} (expected e.g. '09:00' or '9h30')")
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise ValueError(f"time out of range {text!r} in {clause!r}")
    return hour * 60 + minute


def _parse_ranges(text: str, clause: str) -> list[Interval]:
    """The time ranges of the times part of a clause."""
    text = re.sub(r"\s*(?:-|\ba\b)\s*", "-", text)
    text = re.sub(r"\bet\b", ",", text)
    ranges: list[Interval] = []
    for item in (part for part in re.split(r"[,\s]+", text) if part):
        bounds = item.split("-")
        if len(bounds) != 2:
            raise ValueError(
                f"bad time range {item!r} in {clause!r} (expected e.g. '09:00-17:00')"
            )
        start, end = (_parse_time(bound, clause) for bound in bounds)
        if start >= end:
            raise ValueError(f"time range {item!r} in {clause!r} ends before it starts")
        ranges.append((start, end))
    if not ranges:
        raise ValueError(f"no opening time in {clause!r} (expected e.g. 'mon-fri 09:00-17:00')")
    return ranges


def _french_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} et {items[-1]}"


def _french_days(days: list[int]) -> str:
    """« du lundi au vendredi », « le samedi », « du lundi au mercredi et le vendredi »."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"du {FRENCH_DAYS[run[0]]} au {FRENCH_DAYS[run[-1]]}")
        else:
            parts.extend(f"le {FRENCH_DAYS[day]}" for day in run)
    return _french_list(parts)


def _french_ranges(ranges: tuple[Interval, ...]) -> str:
    """« de 9 h à 12 h 30 et de 13 h 30 à 17 h »."""
    return _french_list(
        [
            f"de {french_time(*divmod(start, 60))} à {french_time(*divmod(end, 60))}"
            for start, end in ranges
        ]
    )


@dataclass(frozen=True)
class OpeningHours:
    """A weekly schedule in a time zone, closed on the public holidays (of a subdivision)."""

    #: Seven tuples of intervals, Monday first, each sorted and without overlaps.
    weekly: tuple[tuple[Interval, ...], ...]
    tz: ZoneInfo
    spec: str = ""
    subdivision: Subdivision = None

    @classmethod
    def parse(
        cls, spec: str, tz: str = "Europe/Paris", subdivision: Subdivision = None
    ) -> OpeningHours:
        """Read an OPENING_HOURS spec (grammar in the module docstring); ValueError if bad."""
        zone_info = zone(tz)
        clauses = [c.strip() for c in re.split(r"[;\n]", spec) if c.strip()]
        if not clauses:
            raise ValueError("OPENING_HOURS is empty (expected e.g. 'mon-fri 09:00-17:00')")
        week: list[list[Interval]] = [[] for _ in range(7)]
        for clause in clauses:
            plain = _plain(clause)
            split = re.search(r"\d", plain)
            if split is None:
                raise ValueError(f"OPENING_HOURS: no opening time in {clause!r}")
            try:
                days = _parse_days(plain[: split.start()].strip(), clause)
                ranges = _parse_ranges(plain[split.start() :].strip(), clause)
            except ValueError as error:
                raise ValueError(f"OPENING_HOURS: {error}") from None
            for day in days:
                week[day].extend(ranges)
        for day, intervals in enumerate(week):
            intervals.sort()
            for (_s1, end1), (start2, _e2) in pairwise(intervals):
                if start2 < end1:
                    raise ValueError(
                        f"OPENING_HOURS: overlapping times on {_ENGLISH_DAYS[day]} in {spec!r}"
                    )
        return cls(tuple(tuple(day) for day in week), zone_info, spec, subdivision)

    # --- questions about a moment ---------------------------------------------------------

    def _local(self, at: datetime) -> datetime:
        if at.tzinfo is None:
            raise ValueError("OpeningHours needs aware datetimes (with a time zone)")
        return at.astimezone(self.tz)

    def _at(self, day: date, minutes: int) -> datetime:
        """The aware moment of a wall-clock time; a time skipped by DST moves forward."""
        naive = datetime.combine(day, time(*divmod(minutes, 60)))
        return naive.replace(tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def holiday(self, day: date) -> str | None:
        """The French name of the public holiday ``day`` is, if it is one."""
        return french_public_holidays(day.year, self.subdivision).get(day)

    def is_holiday(self, day: date) -> bool:
        """Whether the service is closed all day for a public holiday."""
        return self.holiday(day) is not None

    def is_open(self, at: datetime) -> bool:
        """Whether someone is there at ``at`` (aware; compared in the schedule's zone)."""
        local = self._local(at)
        if self.is_holiday(local.date()):
            return False
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return any(start * 60 <= seconds < end * 60 for start, end in self.weekly[local.weekday()])

    def next_opening(self, at: datetime) -> datetime:
        """The next moment someone is there, in the schedule's zone (``at`` itself if open)."""
        local = self._local(at)
        if self.is_open(local):
            return local
        for offset in range(_HORIZON_DAYS):
            day = local.date() + timedelta(days=offset)
            if self.is_holiday(day):
                continue
            for start, _end in self.weekly[day.weekday()]:
                candidate = self._at(day, start)
                if candidate > local:
                    return candidate
        raise RuntimeError(f"no opening within {_HORIZON_DAYS} days of {at} for {self.spec!r}")

    # --- French wording -------------------------------------------------------------------

    def describe(self) -> str:
        """« du lundi au vendredi, de 9 h à 17 h (fermé les jours fériés) »."""
        groups: dict[tuple[Interval, ...], list[int]] = {}
        for day, ranges in enumerate(self.weekly):
            if ranges:
                groups.setdefault(ranges, []).append(day)
        clauses = [
            f"{_french_days(days)}, {_french_ranges(ranges)}" for ranges, days in groups.items()
        ]
        return f"{' ; '.join(clauses)} (fermé les jours fériés)"

    def french_when(self, moment: datetime, now: datetime) -> str:
        """« aujourd'hui à 14 h », « demain à 9 h », « lundi 30 novembre à 9 h 30 »."""
        return french_when(self._local(moment), now)


def expected_wait_text(hours: OpeningHours, now: datetime, *, register: Register = "vous") -> str:
    """What a user asking for a human is told about the wait, in French.

    Open: a conseiller answers as soon as possible. Closed: the hours, when the service
    reopens (« Un conseiller vous répondra dès la réouverture, lundi 30 novembre à 9 h. »),
    and that the question can be written now.
    """
    tu = register == "tu"
    you = "te" if tu else "vous"
    if hours.is_open(now):
        return f"Un conseiller va {you} répondre ici dès que possible."
    local = now.astimezone(hours.tz)
    reopening = hours.next_opening(now)
    sentences = []
    holiday = hours.holiday(local.date())
    if holiday is not None:
        sentences.append(f"Aujourd'hui est un jour férié ({holiday}).")
    sentences.append(f"Nos conseillers sont disponibles {hours.describe()}.")
    sentences.append(
        f"Un conseiller {you} répondra dès la réouverture, {french_when(reopening, now)}."
    )
    if tu:
        sentences.append("Tu peux déjà écrire ta question ici : elle lui sera transmise.")
    else:
        sentences.append("Vous pouvez déjà écrire votre question ici : elle lui sera transmise.")
    return " ".join(sentences)
