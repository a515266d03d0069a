"""The COORDINATORS setting: who the coordinators are and which territories they cover.

Format: entries separated by ``;`` (or new lines), each ``<telegram_id>:<territories>[:<name>]``:

- ``telegram_id``: the coordinator's Telegram user id (a positive integer);
- ``territories``: space- or comma-separated department codes (``14``, ``2A``, ``976``),
  EPCI SIREN numbers (9 digits), and ``*`` or ``backup`` for a backup coordinator (who takes
  the chats of territories nobody covers, or whose coordinators are absent);
- ``name`` (optional): how the staff group names them; may contain colons.

Example: ``COORDINATORS="123456789:14 61:Camille;987654321:200023414 247600588:Sam;555:*:Alex"``.

These entries add to the ``coordinators`` table (imported from knowledge/coordinators.csv);
for an id in both, the setting's territories, backup flag and name win, while the *absence*
flag always lives in the table (``/absent`` must survive a restart).

This module is pure (no database) so that :mod:`parcours.settings` can validate the setting
when it is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CoordinatorInfo", "is_departement_code", "is_epci_siren", "parse_coordinators_setting"]

_DEPARTEMENT = re.compile(r"0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6]")
_SIREN = re.compile(r"\d{9}")
_BACKUP_TOKENS = frozenset({"*", "backup"})


def is_departement_code(code: str) -> bool:
    """``"14"``, ``"2A"``, ``"976"``: a department code (upper-case letters for Corsica)."""
    return _DEPARTEMENT.fullmatch(code) is not None


def is_epci_siren(code: str) -> bool:
    """Nine digits: the SIREN number of an EPCI (its existence is not checked)."""
    return _SIREN.fullmatch(code) is not None


@dataclass(frozen=True)
class CoordinatorInfo:
    """A coordinator as routing sees them (from the table, the setting, or both)."""

    telegram_id: int
    name: str
    departements: tuple[str, ...] = ()
    epcis: tuple[str, ...] = ()
    backup: bool = False
    absent: bool = False

    def covers_departement(self, code: str) -> bool:
        """Whether they cover this whole department."""
        return code in self.departements

    def covers_epci(self, siren: str) -> bool:
        """Whether they cover this EPCI."""
        return siren in self.epcis


def default_name(telegram_id: int) -> str:
    """The name shown for a coordinator configured without one."""
    return f"Coordinateur {telegram_id}"


def _entry(raw: str, position: int) -> tuple[CoordinatorInfo, bool]:
    """One entry, and whether it named the coordinator."""
    where = f"COORDINATORS entry {position} {raw!r}"
    parts = raw.split(":", 2)
    if len(parts) < 2:
        raise ValueError(f"{where}: expected '<telegram_id>:<territories>[:<name>]'")
    id_text, territories = parts[0].strip(), parts[1]
    name = parts[2].strip() if len(parts) == 3 else ""
    if not id_text.isdigit() or int(id_text) <= 0:
        raise ValueError(f"{where}: {id_text!r} is not a Telegram user id (a positive integer)")
    departements: list[str] = []
    epcis: list[str] = []
    backup = False
    for token in territories.replace(",", " ").split():
        code = token.upper()
        if token.lower() in _BACKUP_TOKENS:
            backup = True
        elif is_epci_siren(code):
            epcis.append(code)
        elif is_departement_code(code.zfill(2)):
            departements.append(code.zfill(2))
        else:
            raise ValueError(
                f"{where}: {token!r} is neither a department code (14, 2A, 976), "
                "an EPCI SIREN (9 digits) nor '*'/'backup'"
            )
    if not (departements or epcis or backup):
        raise ValueError(f"{where}: no territory (give department codes, EPCI SIREN or '*')")
    telegram_id = int(id_text)
    info = CoordinatorInfo(
        telegram_id=telegram_id,
        name=name or default_name(telegram_id),
        departements=tuple(dict.fromkeys(departements)),
        epcis=tuple(dict.fromkeys(epcis)),
        backup=backup,
    )
    return info, bool(name)


def parse_coordinators_setting(value: str) -> list[CoordinatorInfo]:
    """The coordinators of a COORDINATORS value (format in the module docstring).

    Raises ValueError naming the bad entry: malformed, not an id, unknown territory token,
    no territory, or the same id twice. An empty value means no coordinator.
    """
    return [info for info, _named in parse_coordinators_entries(value)]


def parse_coordinators_entries(value: str) -> list[tuple[CoordinatorInfo, bool]]:
    """Like :func:`parse_coordinators_setting`, with whether each entry gave a name."""
    entries: list[tuple[CoordinatorInfo, bool]] = []
    seen: set[int] = set()
    raws = [raw.strip() for raw in re.split(r"[;\n]", value)]
    for position, raw in enumerate((r for r in raws if r), start=1):
        info, named = _entry(raw, position)
        if info.telegram_id in seen:
            raise ValueError(f"COORDINATORS entry {position}: id {info.telegram_id} is repeated")
        seen.add(info.telegram_id)
        entries.append((info, named))
    return entries
