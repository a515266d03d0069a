"""The directory of coordinators: the table, the COORDINATORS setting and BACKUP_COORDINATOR.

The ``coordinators`` table is imported from knowledge/coordinators.csv; the setting (format
in :mod:`parcours.services.coordinator_setting`) wins for the same id, except for the
*absence* flag, which always lives in the table. In production, rows marked demo are ignored
(their Telegram ids are fictional). Callers own the unit of work: nothing here commits.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import Coordinator
from parcours.search.normalize import fold
from parcours.services.coordinator_setting import (
    CoordinatorInfo,
    default_name,
    parse_coordinators_entries,
)
from parcours.settings import Settings, get_settings

__all__ = ["all_coordinators", "is_coordinator", "set_absent"]


def _from_row(row: Coordinator) -> CoordinatorInfo:
    return CoordinatorInfo(
        telegram_id=row.telegram_id,
        name=row.name,
        departements=tuple(row.departements.split()),
        epcis=tuple(row.epcis.split()),
        backup=row.backup,
        absent=row.absent,
    )


def all_coordinators(session: Session, settings: Settings) -> list[CoordinatorInfo]:
    """Every coordinator (absent ones included), by name."""
    rows = {row.telegram_id: row for row in session.scalars(select(Coordinator))}
    people = {
        telegram_id: _from_row(row)
        for telegram_id, row in rows.items()
        if not (settings.production and row.demo)
    }
    for info, named in parse_coordinators_entries(settings.coordinators):
        row = rows.get(info.telegram_id)
        people[info.telegram_id] = replace(
            info,
            name=info.name if named or row is None else row.name,
            absent=row.absent if row is not None else False,
        )
    backup_id = settings.backup_coordinator
    if backup_id is not None:
        known = people.get(backup_id)
        row = rows.get(backup_id)
        people[backup_id] = (
            replace(known, backup=True)
            if known is not None
            else CoordinatorInfo(
                backup_id, default_name(backup_id), backup=True, absent=bool(row and row.absent)
            )
        )
    return sorted(people.values(), key=lambda c: (fold(c.name), c.telegram_id))


def is_coordinator(session: Session, settings: Settings, telegram_id: int) -> bool:
    """Whether this Telegram user has staff rights (absent or not)."""
    return any(c.telegram_id == telegram_id for c in all_coordinators(session, settings))


def set_absent(
    session: Session, telegram_id: int, absent: bool, *, settings: Settings | None = None
) -> bool:
    """Mark a coordinator absent or back; False for an unknown id.

    The flag lives in the table, so a coordinator known only from the settings gets a row
    (a copy of their setting entry) the first time.
    """
    row = session.get(Coordinator, telegram_id)
    if row is None:
        known = {c.telegram_id: c for c in all_coordinators(session, settings or get_settings())}
        info = known.get(telegram_id)
        if info is None:
            return False
        row = Coordinator(
            telegram_id=telegram_id,
            name=info.name,
            departements=" ".join(info.departements),
            epcis=" ".join(info.epcis),
            backup=info.backup,
            demo=False,
        )
        session.add(row)
    row.absent = absent
    session.flush()
    return True
