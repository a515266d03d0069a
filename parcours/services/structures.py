"""Where to go: the structures near a user's commune, and why each one fits."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import Commune, Structure
from parcours.services.geo import haversine_km

#: Why a kind of structure fits, said to the user (facts from the sources and DESIGN.md).
WHY = {
    "mission_locale": "accompagne les 16–25 ans sortis de l'école vers un emploi ou une formation",
    "psad": "plateforme de suivi et d'appui aux décrocheurs : aide les jeunes sortis de l'école "
    "sans solution",
    "cio": "centre d'information et d'orientation : conseils sur les études et l'orientation",
    "info_jeunes": "informe les 11–30 ans et leurs parents",
    "transitions_pro": "aide les salariés qui veulent changer de métier",
}
#: The nearest structure of a kind, as said to the user when the data has none nearby.
NEAREST_OF_KIND = {
    "mission_locale": "La Mission locale la plus proche",
    "psad": "La plateforme de suivi et d'appui aux décrocheurs (PSAD) la plus proche",
    "cio": "Le centre d'information et d'orientation (CIO) le plus proche",
    "info_jeunes": "Le point Info Jeunes le plus proche",
    "transitions_pro": "Transitions Pro, pour toute la région",
}
#: Bodies with one office for the whole region.
REGIONAL_KINDS = frozenset({"transitions_pro"})


@dataclass(frozen=True)
class Nearby:
    """A structure to suggest, with its town and why it fits."""

    name: str
    town: str
    address: str
    why: str
    kind: str = ""


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
        found.append(
            Nearby(structure.name, commune.nom, structure.address, WHY.get(kind, ""), kind)
        )
    return found


def _ranked(session: Session, home: Commune, kind: str, where: Any) -> list[Any]:
    """Structures of a kind matching `where`: same EPCI first, then the nearest commune."""
    return sorted(
        session.execute(
            select(Structure, Commune)
            .join(Commune, Structure.commune == Commune.insee)
            .where(Structure.kind == kind, where)
        ).all(),
        key=lambda row: (row[1].epci != home.epci, _distance(home, row[1]), row[0].key),
    )


def _distance(home: Commune, other: Commune) -> float:
    """Kilometres between the two communes' centres (0 for the same commune; unknown
    coordinates count as far, after the known ones)."""
    if other.insee == home.insee:
        return 0.0
    if None in (home.latitude, home.longitude, other.latitude, other.longitude):
        return math.inf
    return haversine_km(home.latitude, home.longitude, other.latitude, other.longitude)  # type: ignore[arg-type]
