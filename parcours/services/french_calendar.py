"""French public holidays of a place, and French wording of days, dates and times.

The holidays come from the ``holidays`` package: the eleven of metropolitan France (Code du
travail, art. L3133-1), plus a subdivision's own days when one is given (Alsace-Moselle's
"6AE": Good Friday and 26 December). Which subdivision applies to a department is region
data (knowledge/regions/<region>/region.yml, `holidays`): no region code lives here.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import holidays

__all__ = [
    "FRENCH_DAYS",
    "FRENCH_MONTHS",
    "Subdivision",
    "french_date",
    "french_public_holidays",
    "french_time",
    "french_when",
]

#: A ``holidays`` subdivision of France ("6AE", "57"…); None: metropolitan France only.
Subdivision = str | None

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
def _holidays(year: int, subdivision: Subdivision) -> tuple[tuple[date, str], ...]:
    days = holidays.country_holidays("FR", subdiv=subdivision, years=year, language="fr")
    return tuple(sorted(days.items()))


def french_public_holidays(year: int, subdivision: Subdivision = None) -> dict[date, str]:
    """The public holidays of ``year`` (with a subdivision's own days), in date order, with
    their French names."""
    return dict(_holidays(year, subdivision))


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
