"""Staff groups per territory: the STAFF_CHATS setting (one forum supergroup per department or
group of EPCI), with the region-wide STAFF_CHAT_ID as fallback.

Telegram lets a bot post about 20 messages a minute in a group: with a dozen hand-offs at once,
one region-wide group queues for minutes, one group per territory does not.

Format: entries separated by ``;`` (or new lines), each ``<territories>:<chat id>``, where
``territories`` are space- or comma-separated department codes (``14``, ``2A``) and EPCI SIREN
numbers (9 digits), and ``chat id`` the forum supergroup (``-100…``). An EPCI's group wins over
its department's. Example: ``STAFF_CHATS="14 50:-1001111111111;200065597:-1002222222222"``.

Pure (no database), so that :mod:`parcours.settings` validates the setting when it loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parcours.services.coordinator_setting import is_departement_code, is_epci_siren

_CHAT = re.compile(r"-100\d{5,}")


@dataclass(frozen=True)
class StaffGroup:
    """A territory's staff group."""

    chat_id: int
    departements: tuple[str, ...] = ()
    epcis: tuple[str, ...] = ()


def parse_staff_chats(value: str) -> list[StaffGroup]:
    """The groups of a STAFF_CHATS value; ValueError (naming the entry) when malformed."""
    groups: list[StaffGroup] = []
    seen: set[str] = set()
    for position, raw in enumerate(re.split(r"[;\n]", value), start=1):
        entry = raw.strip()
        if not entry:
            continue
        territories, _, chat = entry.rpartition(":")
        chat = chat.strip()
        if not territories.strip() or _CHAT.fullmatch(chat) is None:
            raise ValueError(
                f"STAFF_CHATS entry {position} ({entry!r}): expected "
                "'<departments or EPCI SIREN>:<supergroup id -100…>'"
            )
        codes = [code.upper() for code in re.split(r"[\s,]+", territories.strip()) if code]
        bad = [c for c in codes if not (is_departement_code(c) or is_epci_siren(c))]
        if bad:
            raise ValueError(f"STAFF_CHATS entry {position}: unknown territory {bad[0]!r}")
        twice = seen.intersection(codes)
        if twice:
            raise ValueError(f"STAFF_CHATS: territory {sorted(twice)[0]} has two groups")
        seen.update(codes)
        groups.append(
            StaffGroup(
                int(chat),
                tuple(c for c in codes if is_departement_code(c)),
                tuple(c for c in codes if is_epci_siren(c)),
            )
        )
    return groups


def group_for(
    value: str, fallback: int | None, *, departement: str | None, epci: str | None
) -> int | None:
    """The group of a territory: its EPCI's, else its department's, else `fallback`."""
    groups = parse_staff_chats(value)
    for group in groups:
        if epci and epci in group.epcis:
            return group.chat_id
    for group in groups:
        if departement and departement in group.departements:
            return group.chat_id
    return fallback


def all_groups(value: str, fallback: int | None) -> list[int]:
    """Every staff group: the region-wide one first, then the territories' (no repeats)."""
    chats = [] if fallback is None else [fallback]
    for group in parse_staff_chats(value):
        if group.chat_id not in chats:
            chats.append(group.chat_id)
    return chats
