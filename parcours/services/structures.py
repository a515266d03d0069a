"""Where to go: the structures near a user's commune, and why each one fits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import Commune, Structure
from parcours.search.communes import CommuneMatch
from parcours.services.catalogue_search import find_town

#: Why a kind of structure fits, said to the user (facts from the sources and DESIGN.md).
WHY = {
    "mission_locale": "accompagne les 16–25 ans sortis de l'école vers un emploi ou une formation",
    "psad": "plateforme de suivi et d'appui aux décrocheurs : aide les jeunes sortis de l'école "
    "sans solution",
    "cio": "centre d'information et d'orientation : conseils sur les études et l'orientation",
    "info_jeunes": "informe les 11–30 ans et leurs parents",
    "transitions_pro": "aide les salariés qui veulent changer de métier",
}
# A lookahead, so that matches overlap: in "mon fils de 17 ans à Lisieux", "de" must not
# swallow "à Lisieux".
_TRIGGER = re.compile(
    r"(?=\b(?:habite|vis|suis|reste|pres de|près de|vers|sur|dans|a|à|de)\s+(?:a\s+|à\s+)?"
    r"((?:[\w'’-]+\s*){1,4}))",
    re.IGNORECASE,
)
#: Bodies with one office for the whole region.
REGIONAL_KINDS = frozenset({"transitions_pro"})
_POSTAL = re.compile(r"\b\d{5}\b")
_MIN_SCORE = 90.0


@dataclass(frozen=True)
class Nearby:
    """A structure to suggest, with its town and why it fits."""

    name: str
    town: str
    address: str
    why: str


def town_in_text(text: str, region: str) -> CommuneMatch | None:
    """A commune named in free text ("j'habite à Lisieux", "14100"), if clearly one."""
    for code in _POSTAL.findall(text):
        match = find_town(code, region)
        if match is not None:
            return match
    for phrase in _TRIGGER.findall(text):
        words = phrase.split()
        for size in range(len(words), 0, -1):
            candidate = " ".join(words[:size]).strip(" ,.;!?")
            if len(candidate) < 2:
                continue
            match = find_town(candidate, region)
            if match is not None and match.score >= _MIN_SCORE:
                return match
    return None


def nearest(session: Session, *, insee: str, kinds: list[str]) -> list[Nearby]:
    """For each kind, the structure in the same EPCI, else the same department (else, for a
    regional body, the same region: a local one elsewhere would be the wrong place)."""
    home = session.get(Commune, insee)
    if home is None:
        return []
    found = []
    for kind in kinds:
        rows = _ranked(session, home, kind, Commune.departement == home.departement)
        if not rows and kind in REGIONAL_KINDS:
            rows = _ranked(session, home, kind, Commune.region == home.region)
        if not rows:
            continue
        structure, commune = rows[0]
        found.append(Nearby(structure.name, commune.nom, structure.address, WHY.get(kind, "")))
    return found


def _ranked(session: Session, home: Commune, kind: str, where: Any) -> list[Any]:
    """Structures of a kind matching `where`, same EPCI first, then same commune."""
    return sorted(
        session.execute(
            select(Structure, Commune)
            .join(Commune, Structure.commune == Commune.insee)
            .where(Structure.kind == kind, where)
        ).all(),
        key=lambda row: (row[1].epci != home.epci, row[1].insee != home.insee, row[0].key),
    )
