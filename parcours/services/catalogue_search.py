"""Find mini-stage offers and ambassadors for a user: métier match, then proximity.

The fuzzy indexes are built once per process from the imported reference tables (restart
the action server after an import). Results never include private contact details.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours import regions
from parcours.db.engine import session_scope
from parcours.models import (
    Ambassador,
    Commune,
    Company,
    Metier,
    MinistageOffer,
    RomeMetier,
    ZoneEmploi,
)
from parcours.search.communes import CommuneIndex, CommuneMatch
from parcours.search.metiers import MetierIndex, MetierMatch
from parcours.search.ranking import Candidate, Origin, Proximity, rank_candidates
from parcours.search.zones import Place, covers

PAGE = 5
CLOSE_MATCH = 10.0


@dataclass(frozen=True)
class Hit:
    """One result, ready to be shown as a button."""

    key: str
    title: str
    town: str
    proximity: Proximity
    insee: str = ""
    metier: str = ""  # the métier code (or ROME code) of the result
    in_zone: bool = False  # an ambassador whose zone of intervention covers the user's commune


@lru_cache(maxsize=1)
def metier_index() -> MetierIndex:
    """Métiers and the ROME 4.0 from the database (built on first use): a ROME métier listed
    by a métier adds its wordings to it; one no métier lists is found as itself (its code is
    the ROME code)."""
    with session_scope() as session:
        rows = [
            {
                "code": m.code,
                "libelle": m.libelle,
                "secteur": m.secteur,
                "synonymes": m.synonymes,
                "mots_cles": m.mots_cles,
                "rome": m.rome,
            }
            for m in session.scalars(select(Metier))
        ]
        rome = [
            {"rome_code": r.rome_code, "libelle": r.libelle, "appellations": r.appellations}
            for r in session.scalars(select(RomeMetier))
        ]
    return MetierIndex.from_rows(rows, rome)


@lru_cache(maxsize=1)
def commune_index() -> CommuneIndex:
    """Communes from the database (built on first use)."""
    with session_scope() as session:
        rows = [
            {
                "insee": c.insee,
                "nom": c.nom,
                "codes_postaux": c.codes_postaux,
                "departement": c.departement,
                "region": c.region,
                "epci": c.epci or "",
                "epci_nom": c.epci_nom or "",
                "population": str(c.population or ""),
            }
            for c in session.scalars(select(Commune))
        ]
    return CommuneIndex.from_rows(rows)


def find_metiers(query: str) -> list[MetierMatch]:
    """The métiers a user means, best first."""
    return metier_index().search(query, limit=5)


def metier_scores(query: str) -> dict[str, float]:
    """Codes of the métiers meant, keeping only matches close to the best one.

    The ranking puts proximity before the métier score, so a weak keyword match nearby
    would outrank the exact métier further away: weak matches are dropped here.
    """
    matches = find_metiers(query)
    if not matches:
        return {}
    best = matches[0].score
    return {m.code: m.score for m in matches if m.score >= best - CLOSE_MATCH}


def find_town(query: str, region: str) -> CommuneMatch | None:
    """The commune a user means, preferring the configured region."""
    matches = commune_index().find(query, limit=1, region=regions.insee_codes().get(region))
    return matches[0] if matches else None


def _origin(session: Session, insee: str) -> Origin | None:
    commune = session.get(Commune, insee)
    if commune is None:
        return None
    return Origin(insee=commune.insee, epci=commune.epci, departement=commune.departement)


def place_of(session: Session, insee: str) -> Place | None:
    """A commune's codes for the zones of intervention (its zone d'emploi if the map is in)."""
    commune = session.get(Commune, insee)
    if commune is None:
        return None
    area = session.get(ZoneEmploi, insee)
    return Place(
        insee=commune.insee,
        departement=commune.departement,
        region=commune.region,
        zone_emploi=area.ze2020 if area else None,
    )


def _rank(
    session: Session,
    rows: list[tuple[str, str, str]],
    scores: dict[str, float],
    origin: Origin,
    limit: int,
    include_elsewhere: bool = False,
    in_zone: frozenset[str] = frozenset(),
) -> list[tuple[str, Proximity]]:
    """rows: (key, metier code, insee) → ranked (key, proximity); keys of ``in_zone`` first."""
    communes = {
        c.insee: c
        for c in session.scalars(select(Commune).where(Commune.insee.in_({r[2] for r in rows})))
    }
    candidates = []
    for position, (key, metier, insee) in enumerate(rows):
        commune = communes.get(insee)
        if commune is not None:
            candidates.append(
                Candidate(
                    id=position,
                    metier_code=metier,
                    insee=insee,
                    epci=commune.epci,
                    departement=commune.departement,
                    in_zone=key in in_zone,
                )
            )
    ranked = rank_candidates(
        candidates, scores, origin, limit=limit, include_elsewhere=include_elsewhere
    )
    return [(rows[r.candidate.id][0], r.proximity) for r in ranked]


def find_offers(
    session: Session,
    *,
    metier_query: str,
    insee: str,
    level: str | None,
    limit: int = 20,
    include_elsewhere: bool = False,
) -> list[Hit]:
    """Mini-stage offers of the métiers meant, for this school level, nearest first (beyond
    the neighbouring departments only with `include_elsewhere`)."""
    origin = _origin(session, insee)
    scores = metier_scores(metier_query)
    if origin is None or not scores:
        return []
    query = select(MinistageOffer).where(
        MinistageOffer.metier.in_(scores) | MinistageOffer.rome.in_(scores)
    )
    offers = [o for o in session.scalars(query) if level is None or level in o.levels.split()]
    by_key = {o.key: o for o in offers}
    rows = [(o.key, _scored_code(o.metier, o.rome, scores), o.commune) for o in offers]
    ranked = _rank(session, rows, scores, origin, limit, include_elsewhere=include_elsewhere)
    return [_offer_hit(session, by_key[key], proximity) for key, proximity in ranked]


def find_ambassadors(
    session: Session,
    *,
    metier_query: str,
    insee: str,
    meeting_format: str | None,
    role: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Available ambassadors of the métiers meant who offer this format and meet the user's
    public (a job seeker is not sent someone who meets only pupils): first those whose zone of
    intervention covers the user's commune, then the nearest."""
    origin = _origin(session, insee)
    scores = metier_scores(metier_query)
    if origin is None or not scores:
        return []
    query = select(Ambassador).where(
        Ambassador.metier.in_(scores) | Ambassador.rome.in_(scores), Ambassador.available
    )
    wanted = _FORMATS.get(meeting_format or "", set())
    publics = PUBLICS_OF_ROLE.get(role or "", set())
    people = [
        a
        for a in session.scalars(query)
        if (not wanted or wanted & set(a.formats.split()))
        and (not publics or publics & set(a.publics.split()))
    ]
    by_key = {a.key: a for a in people}
    rows = [(a.key, _scored_code(a.metier or "", a.rome, scores), a.commune) for a in people]
    place = place_of(session, insee)
    in_zone = frozenset(
        a.key for a in people if place is not None and covers(a.zone_type, a.zone_code, place)
    )
    remote = meeting_format in ("visio", "telephone")  # distance does not matter then
    ranked = _rank(session, rows, scores, origin, limit, include_elsewhere=remote, in_zone=in_zone)
    return [
        _ambassador_hit(session, by_key[key], proximity, key in in_zone)
        for key, proximity in ranked
    ]


def _scored_code(metier: str, rome: str, scores: dict[str, float]) -> str:
    """The code a row is scored by: its métier, else its ROME code (a ROME-only métier)."""
    return metier if metier in scores else rome


#: The user's role → the ambassador publics (knowledge/ambassadors.csv) that include them
#: (parents look for their child; professionals for their pupils or trainees: any public).
PUBLICS_OF_ROLE = {
    "eleve": {"college", "lycee", "etudiant"},
    "parent": {"college", "lycee", "etudiant"},
    "demandeur_emploi": {"demandeur_emploi"},
    "salarie": {"salarie"},
}

#: What the user asked for → the ambassador formats that satisfy it.
_FORMATS = {
    "visio": {"visio"},
    "telephone": {"telephone"},
    "sur_place": {"sur_place", "tiers_lieu"},
    "collectif": {"collectif"},
}


def _town_name(session: Session, insee: str) -> str:
    commune = session.get(Commune, insee)
    return commune.nom if commune else insee


def _offer_hit(session: Session, offer: MinistageOffer, proximity: Proximity) -> Hit:
    company = session.get(Company, offer.company)
    name = company.name if company else offer.company
    return Hit(
        offer.key,
        name,
        _town_name(session, offer.commune),
        proximity,
        offer.commune,
        offer.metier,
    )


def _ambassador_hit(
    session: Session, person: Ambassador, proximity: Proximity, in_zone: bool = False
) -> Hit:
    metier = session.get(Metier, person.metier) if person.metier else None
    label = person.formation if person.kind == "formation" or metier is None else metier.libelle
    return Hit(
        person.key,
        f"{person.display_name} – {label}",
        _town_name(session, person.commune),
        proximity,
        person.commune,
        person.metier or person.rome,
        in_zone,
    )
