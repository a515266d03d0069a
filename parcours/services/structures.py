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


#: OpenStreetMap link to a point, zoomed to the street.
OSM_URL = "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
#: Said after a map link or venue placed at the commune's centre.
APPROXIMATE = "emplacement approximatif : centre de la commune"


@dataclass(frozen=True)
class Nearby:
    """A structure to suggest, with its town, why it fits and how to get there."""

    name: str
    town: str
    address: str
    why: str
    kind: str = ""
    hours: str = ""
    phone: str = ""
    website: str = ""
    latitude: float | None = None
    longitude: float | None = None
    #: True when the point is the commune's centre, not the structure's own coordinates.
    approximate: bool = False
    #: Kilometres from the user's commune centre (inf when unknown).
    distance_km: float = math.inf

    @property
    def map_url(self) -> str | None:
        """The OpenStreetMap link, when there is a point."""
        if self.latitude is None or self.longitude is None:
            return None
        return OSM_URL.format(lat=self.latitude, lon=self.longitude)


def details(place: Nearby) -> list[str]:
    """The practical lines of a place, only those the data has: address, hours, phone, web
    page, map (the map said to be approximate when it points at the commune's centre)."""
    lines = []
    if place.address:
        lines.append(f"Adresse : {place.address}")
    if place.hours:
        lines.append(f"Horaires : {place.hours}")
    if place.phone:
        lines.append(f"Tél. : {place.phone}")
    if place.website:
        lines.append(f"Site : {place.website}")
    if place.map_url:
        note = f" ({APPROXIMATE})" if place.approximate else ""
        lines.append(f"Carte{note} : {place.map_url}")
    return lines


def describe(places: list[Nearby]) -> list[str]:
    """One entry per place: name, town, why it fits, then its practical details indented."""
    entries = []
    for p in places:
        head = f"• {p.name}{'' if p.town in p.name else f' ({p.town})'} : {p.why}."
        entries.append("\n".join([head, *(f"   {line}" for line in details(p))]))
    return entries


HERE_KM = 2.0


def venue(places: list[Nearby]) -> dict[str, Any] | None:
    """The nearest place with a point, as a venue (`custom.location` of a Rasa message:
    latitude, longitude, title, address), or None."""
    located = [p for p in places if p.latitude is not None and p.longitude is not None]
    if not located:
        return None
    # Within HERE_KM of the user's commune centre all count as here: an own point first.
    place = min(located, key=lambda p: (max(p.distance_km, HERE_KM), p.approximate, p.distance_km))
    address = place.address or place.town
    if place.approximate:
        address = f"{address} ({APPROXIMATE})"
    return {
        "latitude": place.latitude,
        "longitude": place.longitude,
        "title": place.name,
        "address": address,
    }


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
        found.append(_nearby(home, structure, commune, kind))
    return found


def _nearby(home: Commune, structure: Structure, commune: Commune, kind: str) -> Nearby:
    """A structure with its details; its own point, else its commune's centre (approximate)."""
    own = structure.latitude is not None and structure.longitude is not None
    lat, lon = (
        (structure.latitude, structure.longitude) if own else (commune.latitude, commune.longitude)
    )
    distance = math.inf
    if None not in (lat, lon, home.latitude, home.longitude):
        distance = haversine_km(home.latitude, home.longitude, lat, lon)  # type: ignore[arg-type]
    return Nearby(
        structure.name,
        commune.nom,
        structure.address,
        WHY.get(kind, ""),
        kind,
        hours=structure.hours,
        phone=structure.phone,
        website=structure.website,
        latitude=lat,
        longitude=lon,
        approximate=not own and lat is not None,
        distance_km=distance,
    )


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
