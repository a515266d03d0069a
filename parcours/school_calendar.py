"""The official French school-holiday calendar (package vacances-scolaires-france).

The zone (A, B or C) is the SCHOOL_ZONE setting of the deployment. Holiday observation
periods (convention with a chambre consulaire) can only take place during these holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from vacances_scolaires_france import SchoolHolidayDates

#: The one-day bridge is not a holiday period where a mini-stage could fit.
_NOT_A_PERIOD = {"Pont de l'Ascension"}


@dataclass(frozen=True)
class Holidays:
    """One holiday period of a zone."""

    name: str
    start: date
    end: date

    def french(self) -> str:
        """« vacances d'hiver du 13/02 au 01/03/2027 »."""
        return f"{self.name.lower()} du {self.start:%d/%m} au {self.end:%d/%m/%Y}"


@lru_cache(maxsize=4)
def _periods(zone: str) -> tuple[Holidays, ...]:
    """Every holiday period of `zone`, in order (built once from the package's data)."""
    calendar = SchoolHolidayDates()
    key = calendar.zone_key(zone)
    days = sorted(d for d, row in calendar.data.items() if row[key])
    periods: list[Holidays] = []
    for day in days:
        name = calendar.data[day]["nom_vacances"]
        if name in _NOT_A_PERIOD:
            continue
        last = periods[-1] if periods else None
        if last is not None and last.name == name and day - last.end <= timedelta(days=3):
            periods[-1] = Holidays(name, last.start, day)
        else:
            periods.append(Holidays(name, day, day))
    return tuple(periods)


def upcoming(today: date, zone: str = "B", count: int = 2) -> list[Holidays]:
    """The current or next `count` holiday periods (empty past the package's data)."""
    return [p for p in _periods(zone) if p.end >= today][:count]
