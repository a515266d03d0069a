"""French public holidays of the region, and French wording of days, dates and times.

The holidays come from the ``holidays`` package: the eleven of metropolitan France (Code du
travail, art. L3133-1), and in Grand Est (REGION=grand-est) Alsace-Moselle's two more, Good
Friday and 26 December (subdivision "6AE", the same days as Moselle's "57").
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Literal

import holidays

__all__ = [
    "FRENCH_DAYS",
    "FRENCH_MONTHS",
    "Region",
    "french_date",
    "french_public_holidays",
    "french_time",
    "french_when",
]

#: The REGION setting.
Region = Literal["normandie", "grand-est"]
#: The ``holidays`` subdivision of each region (None: metropolitan France only).
_SUBDIVISIONS: dict[Region, str | None] = {"normandie": None, "grand-est": "6AE"}

#: Day names, Monday first (``date.weekday()`` order).
FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
#: Month names, January first.
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@lru_cache(maxsize=32)
def _holidays(year: int, region: Region) -> tuple[tuple[date, str], ...]:
    days = holidays.country_holidays("FR", subdiv=_SUBDIVISIONS[region], years=year, language="fr")
    return tuple(sorted(days.items()))


def french_public_holidays(year: int, region: Region = "normandie") -> dict[date, str]:
    """The public holidays of ``region`` in ``year``, in date order, with their French names."""
    return dict(_holidays(year, region))


def french_time(hour: int, minute: int = 0) -> str:
    """« 9 h », « 12 h 30 », « 0 h »; 24:00 (end of day) is « minuit »."""
    if hour == 24 and minute == 0:
        return "minuit"
    return f"{hour} h" if minute == 0 else f"{hour} h {minute:02d}"


def french_date(day: date, *, with_year: bool = False) -> str:
    """« lundi 30 novembre », « vendredi 1er mai » (« … 2027 » with ``with_year``)."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{FRENCH_DAYS[day.weekday()]} {number} {FRENCH_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def french_when(moment: datetime, now: datetime) -> str:
    """When ``moment`` is, said from ``now``, in ``moment``'s time zone.

    « aujourd'hui à 14 h », « demain à 9 h », « lundi 30 novembre à 9 h 30 » (the year is
    added when it is not the current one). Both datetimes must be aware.
    """
    if moment.tzinfo is None or now.tzinfo is None:
        raise ValueError("french_when needs aware datetimes")
    local_now = now.astimezone(moment.tzinfo)
    at = f"à {french_time(moment.hour, moment.minute)}"
    days = (moment.date() - local_now.date()).days
    if days == 0:
        return f"aujourd'hui {at}"
    if days == 1:
        return f"demain {at}"
    return f"{french_date(moment.date(), with_year=moment.year != local_now.year)} {at}"
