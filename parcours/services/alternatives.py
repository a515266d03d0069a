"""When a search finds nothing, concrete ways forward: the same métier farther away (with
the distance), in another format (visio searches the whole region), a related métier of the
same sector nearby, or a *formation* ambassador of that course of study.

Each alternative is a search that does find something (it is run before being offered), so
a button never leads to a second "nothing found".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import Ambassador, Commune
from parcours.search.normalize import fold
from parcours.services.catalogue_search import (
    Hit,
    find_ambassadors,
    find_metiers,
    find_offers,
    metier_index,
)
from parcours.services.geo import haversine_km

#: How many alternatives of each kind are offered.
FARTHER, RELATED = 2, 2


@dataclass(frozen=True)
class Alternative:
    """A way forward: what the button says, and what it does."""

    kind: str  # farther | format | related | formation
    title: str
    target: str = ""  # a result to show at once ("ministage:key"), or
    metier: str = ""  # a métier to search instead, or
    meeting_format: str = ""  # a format to search instead
    count: int = 0


def distance_km(session: Session, origin: str, other: str) -> int | None:
    """Straight-line distance between two communes' centres, when both are known."""
    a, b = session.get(Commune, origin), session.get(Commune, other)
    if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return round(haversine_km(a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]


def _related_metiers(metier_query: str) -> list[tuple[str, str]]:
    """(code, libellé) of the other métiers of the sector of the métier meant."""
    matches = find_metiers(metier_query)
    if not matches:
        return []
    meant = {m.code for m in matches}
    return [
        (m.code, m.libelle.split(" / ")[0])
        for m in metier_index().by_sector(matches[0].secteur)
        if m.code not in meant
    ]


def _farther(session: Session, hits: list[Hit], insee: str, kind: str) -> list[Alternative]:
    found = []
    for hit in hits[:FARTHER]:
        km = distance_km(session, insee, hit.insee)
        where = f"{hit.town}, {km} km" if km is not None else hit.town
        found.append(Alternative("farther", f"{hit.title} ({where})"[:60], f"{kind}:{hit.key}"))
    return found


def ministage_alternatives(
    session: Session, *, metier_query: str, insee: str, level: str | None
) -> list[Alternative]:
    """Offers of the same métier farther away, then of related métiers nearby."""
    farther = find_offers(
        session, metier_query=metier_query, insee=insee, level=level, include_elsewhere=True
    )
    found = _farther(session, farther, insee, "ministage")
    for _code, libelle in _related_metiers(metier_query):
        if len([a for a in found if a.kind == "related"]) >= RELATED:
            break
        near = find_offers(session, metier_query=libelle, insee=insee, level=level)
        if near:
            title = f"{libelle} ({len(near)} à proximité)"[:60]
            found.append(Alternative("related", title, metier=libelle, count=len(near)))
    return found


def ambassador_alternatives(
    session: Session,
    *,
    metier_query: str,
    insee: str,
    meeting_format: str | None,
    role: str | None,
) -> list[Alternative]:
    """The same métier in visio (the whole region), a related métier nearby, or an
    ambassador of a course of study leading to it."""
    found: list[Alternative] = []
    if meeting_format != "visio":
        remote = find_ambassadors(
            session, metier_query=metier_query, insee=insee, meeting_format="visio", role=role
        )
        if remote:
            title = f"En visio ({len(remote)} ambassadeur(s))"
            found.append(Alternative("format", title, meeting_format="visio", count=len(remote)))
    for _code, libelle in _related_metiers(metier_query):
        if len([a for a in found if a.kind == "related"]) >= RELATED:
            break
        near = find_ambassadors(
            session, metier_query=libelle, insee=insee, meeting_format=meeting_format, role=role
        )
        if near:
            title = f"{libelle} ({len(near)} ambassadeur(s))"[:60]
            found.append(Alternative("related", title, metier=libelle, count=len(near)))
    student = _formation_ambassador(session, metier_query)
    if student is not None:
        found.append(student)
    return found


def _formation_ambassador(session: Session, metier_query: str) -> Alternative | None:
    """A student who tells about a course of study whose name shares a word with the métier."""
    words = {w[:6] for w in fold(metier_query).split() if len(w) >= 5}
    if not words:
        return None
    query = select(Ambassador).where(Ambassador.kind == "formation", Ambassador.available)
    for person in session.scalars(query):
        if words & {w[:6] for w in fold(person.formation).split()}:
            title = f"{person.display_name} – étudiant(e) en {person.formation}"[:60]
            return Alternative("formation", title, f"ambassador:{person.key}")
    return None
