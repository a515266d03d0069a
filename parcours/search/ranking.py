"""Rank ambassador offers for a user: right métier first, then the nearest.

Pure functions over candidate rows, no I/O: the caller loads the rows (from the database, or
from :func:`group_by_metier` buckets kept in memory) and passes the métier codes the user's
query matched (from :class:`~parcours.search.metiers.MetierIndex`) and where the user lives
(from :class:`~parcours.search.communes.CommuneIndex`).

Order: only candidates whose métier was matched; first those whose zone of intervention
covers the user's commune (``in_zone``: an ambassador's région, département, ville or bassin
d'emploi, parcours/search/zones.py), never left out for distance; then by proximity (same
EPCI > same department > neighbouring department > elsewhere, the last one left out unless
asked);
within a proximity, the better métier match; then the same commune first; then the id, so
the order is stable.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from parcours.search.communes import are_neighbours

__all__ = [
    "Candidate",
    "Origin",
    "Proximity",
    "RankedCandidate",
    "group_by_metier",
    "proximity",
    "rank_candidates",
]


class Proximity(IntEnum):
    """How close a candidate is to the user; lower is closer."""

    SAME_EPCI = 0
    SAME_DEPARTEMENT = 1
    NEIGHBOUR_DEPARTEMENT = 2
    ELSEWHERE = 3


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the user is: a commune, its EPCI (None outside any) and department."""

    insee: str
    epci: str | None
    departement: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ambassador offer: its id, métier and the commune it takes place in."""

    id: int
    metier_code: str
    insee: str
    epci: str | None
    departement: str
    in_zone: bool = False  # its zone of intervention covers the user's commune


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """A candidate with what ranked it."""

    candidate: Candidate
    proximity: Proximity
    metier_score: float


def proximity(
    origin: Origin,
    candidate: Candidate,
    neighbours: Callable[[str, str], bool] = are_neighbours,
) -> Proximity:
    """How close ``candidate`` is to ``origin`` (the same commune counts as the same EPCI)."""
    if candidate.insee == origin.insee or (
        origin.epci is not None and candidate.epci == origin.epci
    ):
        return Proximity.SAME_EPCI
    if candidate.departement == origin.departement:
        return Proximity.SAME_DEPARTEMENT
    if neighbours(origin.departement, candidate.departement):
        return Proximity.NEIGHBOUR_DEPARTEMENT
    return Proximity.ELSEWHERE


def rank_candidates(
    candidates: Iterable[Candidate],
    metier_scores: Mapping[str, float],
    origin: Origin,
    *,
    limit: int = 10,
    include_elsewhere: bool = False,
    neighbours: Callable[[str, str], bool] = are_neighbours,
) -> list[RankedCandidate]:
    """The best ``limit`` candidates for a user, best first.

    ``metier_scores`` maps each matched métier code to its match score (higher is better);
    candidates of other métiers are left out, and so are those beyond the neighbouring
    departments unless ``include_elsewhere``. See the module docstring for the order.
    """
    if limit <= 0 or not metier_scores:
        return []
    keep = Proximity.ELSEWHERE if include_elsewhere else Proximity.NEIGHBOUR_DEPARTEMENT
    matching = [c for c in candidates if c.metier_code in metier_scores]
    home, epci, departement = origin.insee, origin.epci, origin.departement
    near_departments: dict[str, bool] = {}  # neighbours() once per department
    keyed: list[tuple[bool, int, float, bool, int, int, Candidate]] = []
    for position, candidate in enumerate(matching):
        # Inlined proximity() (this loop may see tens of thousands of rows).
        if candidate.insee == home or (epci is not None and candidate.epci == epci):
            near = Proximity.SAME_EPCI
        elif candidate.departement == departement:
            near = Proximity.SAME_DEPARTEMENT
        else:
            other = candidate.departement
            neighbour = near_departments.get(other)
            if neighbour is None:
                neighbour = near_departments[other] = neighbours(departement, other)
            near = Proximity.NEIGHBOUR_DEPARTEMENT if neighbour else Proximity.ELSEWHERE
            if near > keep and not candidate.in_zone:
                continue
        keyed.append(
            (
                not candidate.in_zone,
                near,
                -metier_scores[candidate.metier_code],
                candidate.insee != home,
                candidate.id,
                position,
                candidate,
            )
        )
    return [
        RankedCandidate(candidate, Proximity(near), -negative_score)
        for _, near, negative_score, _, _, _, candidate in heapq.nsmallest(limit, keyed)
    ]


def group_by_metier(candidates: Iterable[Candidate]) -> dict[str, list[Candidate]]:
    """Candidates bucketed by métier code, so a search only scans the matched métiers'."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[candidate.metier_code].append(candidate)
    return dict(groups)
