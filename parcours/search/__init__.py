"""Search layer: fuzzy lookup of métiers and communes, and ranking of ambassador offers.

No database: the indexes are built in memory from rows (``knowledge/metiers.csv`` with the
ROME 4.0 of ``knowledge/rome_metiers.csv``, ``knowledge/communes.csv``) and queried with
rapidfuzz.

- :mod:`parcours.search.normalize`: folding of user text (case, accents, SMS spellings…);
- :mod:`parcours.search.metiers`: :class:`MetierIndex`;
- :mod:`parcours.search.communes`: :class:`CommuneIndex` and the neighbouring departments;
- :mod:`parcours.search.ranking`: :func:`rank_candidates` (métier, then proximity).
"""

from parcours.search.communes import (
    NEIGHBOUR_DEPARTMENTS,
    NORMANDIE,
    Commune,
    CommuneIndex,
    CommuneMatch,
    are_neighbours,
    neighbour_departments,
)
from parcours.search.metiers import Metier, MetierIndex, MetierMatch
from parcours.search.normalize import (
    fold,
    looks_like_postal_code,
    normalize_commune_query,
    normalize_metier_query,
)
from parcours.search.ranking import (
    Candidate,
    Origin,
    Proximity,
    RankedCandidate,
    group_by_metier,
    rank_candidates,
)

__all__ = [
    "NEIGHBOUR_DEPARTMENTS",
    "NORMANDIE",
    "Candidate",
    "Commune",
    "CommuneIndex",
    "CommuneMatch",
    "Metier",
    "MetierIndex",
    "MetierMatch",
    "Origin",
    "Proximity",
    "RankedCandidate",
    "are_neighbours",
    "fold",
    "group_by_metier",
    "looks_like_postal_code",
    "neighbour_departments",
    "normalize_commune_query",
    "normalize_metier_query",
    "rank_candidates",
]
