"""From a shared position to the nearest commune (bounding-box prefilter, then haversine)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import Commune

EARTH_RADIUS_KM = 6371.0
#: Half-sides of the boxes tried in turn, in degrees of latitude (≈ 11, 28, 55 km).
_BOXES = (0.1, 0.25, 0.5)
#: Farther than this from every commune centre: not in France (at sea, abroad).
MAX_DISTANCE_KM = 30.0


#: Department names said to users: those of the shipped region packs and their neighbours.
DEPARTEMENTS = {
    "14": "Calvados",
    "27": "Eure",
    "50": "Manche",
    "61": "Orne",
    "76": "Seine-Maritime",
    "08": "Ardennes",
    "10": "Aube",
    "51": "Marne",
    "52": "Haute-Marne",
    "54": "Meurthe-et-Moselle",
    "55": "Meuse",
    "57": "Moselle",
    "67": "Bas-Rhin",
    "68": "Haut-Rhin",
    "88": "Vosges",
    "28": "Eure-et-Loir",
    "35": "Ille-et-Vilaine",
    "53": "Mayenne",
    "60": "Oise",
    "72": "Sarthe",
    "78": "Yvelines",
    "80": "Somme",
    "95": "Val-d'Oise",
    "02": "Aisne",
    "21": "Côte-d'Or",
    "70": "Haute-Saône",
    "77": "Seine-et-Marne",
    "89": "Yonne",
    "90": "Territoire de Belfort",
}


def departement_name(code: str) -> str:
    """ "Calvados", or "département 75" when the name is not in the table."""
    return DEPARTEMENTS.get(code, f"département {code}")


@dataclass(frozen=True)
class Located:
    """The commune nearest to a position, and how far its centre is."""

    insee: str
    nom: str
    departement: str
    distance_km: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS 84 points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def valid_position(latitude: float, longitude: float) -> bool:
    """Finite and within the WGS 84 ranges."""
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


def closest(
    latitude: float, longitude: float, communes: Iterable[Commune]
) -> tuple[Commune, float] | None:
    """The commune of `communes` (with coordinates) nearest to the position, and its distance."""
    best: tuple[Commune, float] | None = None
    for commune in communes:
        if commune.latitude is None or commune.longitude is None:
            continue
        distance = haversine_km(latitude, longitude, commune.latitude, commune.longitude)
        if best is None or distance < best[1]:
            best = (commune, distance)
    return best


def nearest_commune(session: Session, *, latitude: float, longitude: float) -> Located | None:
    """The commune whose centre is nearest, or None when none is within MAX_DISTANCE_KM."""
    if not valid_position(latitude, longitude):
        return None
    stretch = 1 / max(math.cos(math.radians(latitude)), 0.01)  # a degree of longitude is shorter
    for half in _BOXES:
        rows = session.scalars(
            select(Commune).where(
                Commune.latitude.between(latitude - half, latitude + half),
                Commune.longitude.between(longitude - half * stretch, longitude + half * stretch),
            )
        ).all()
        best = closest(latitude, longitude, rows)
        # A hit near the box edge might lose to one just outside: only trust it well inside.
        if best is not None and best[1] <= half * 111.0 * 0.9:
            commune, distance = best
            if distance > MAX_DISTANCE_KM:
                return None
            return Located(commune.insee, commune.nom, commune.departement, round(distance, 1))
    return None
