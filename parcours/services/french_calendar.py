"""French public holidays and French wording of days, dates and times.

The holidays are computed here (Easter by the anonymous Gregorian algorithm) rather than
taken from the ``holidays`` package, so that the opening-hours logic has no data dependency:
the eleven public holidays of metropolitan France are fixed by the Code du travail
(art. L3133-1). Alsace-Moselle's two extra days (Good Friday, 26 December) are left out:
the agency's human availability is the same everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

__all__ = [
    "FRENCH_DAYS",
    "FRENCH_MONTHS",
    "easter_sunday",
    "french_date",
    "french_public_holidays",
    "french_time",
    "french_when",
    "is_public_holiday",
]

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


def easter_sunday(year: int) -> date:
    """Easter Sunday of a Gregorian year (anonymous algorithm, a.k.a. Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=32)
def _holidays(year: int) -> tuple[tuple[date, str], ...]:
    easter = easter_sunday(year)
    days = [
        (date(year, 1, 1), "Jour de l'an"),
        (easter + timedelta(days=1), "Lundi de Pâques"),
        (date(year, 5, 1), "Fête du Travail"),
        (date(year, 5, 8), "Victoire 1945"),
        (easter + timedelta(days=39), "Ascension"),
        (easter + timedelta(days=50), "Lundi de Pentecôte"),
        (date(year, 7, 14), "Fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "Armistice 1918"),
        (date(year, 12, 25), "Noël"),
    ]
    return tuple(sorted(days))


def french_public_holidays(year: int) -> dict[date, str]:
    """The public holidays of metropolitan France in ``year``, in date order, French names."""
    return dict(_holidays(year))


def is_public_holiday(day: date) -> bool:
    """Whether ``day`` is a public holiday in metropolitan France."""
    return any(holiday == day for holiday, _name in _holidays(day.year))


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
