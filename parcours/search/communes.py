"""Find a French commune from what a user typed: a postal code, a name, an abbreviated or
misspelt name ("14000", "st lo", "St-Lô", "cherbourg", "lisieu").

The index is built in memory from ``knowledge/communes.csv`` (see ``knowledge/README.md``).
Each commune is reachable under several folded *keys*:

- its full name (``"cherbourg en cotentin"``), weight 1;
- its name without a leading article (``"havre"`` for Le Havre) or without a trailing
  "Normandie" (``"bagnoles de l orne"``), weight 0.98;
- the head of a compound name, before its first linking word or saint's name or, for a
  two-word name, its first word (``"cherbourg"``, ``"herouville"`` for Hérouville-Saint-Clair,
  ``"vire"`` for Vire Normandie), weight 0.95.

A name is looked up exactly first. When some key matches exactly, the communes it stands for
are the answer, those of the preferred region first, then the most populated first, a full
name counting as ten times its population against a short form (``"vire"`` → Vire Normandie,
17,000 inhabitants, before Viré, 1,100; ``"flers"`` → Flers in the Orne first). Else the name
is compared with every key by :func:`rapidfuzz.fuzz.ratio` (an edit-distance similarity,
0–100), in the preferred region first, and a commune scores its best ``similarity × weight``;
ties are broken by population.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import log10
from pathlib import Path

from rapidfuzz import fuzz, process

from parcours.search.normalize import fold, normalize_commune_query, postal_code_of

__all__ = [
    "FRANCE_CUTOFF",
    "GRAND_EST",
    "NEIGHBOUR_DEPARTMENTS",
    "NORMANDIE",
    "REGION_CUTOFF",
    "Commune",
    "CommuneIndex",
    "CommuneMatch",
    "are_neighbours",
    "neighbour_departments",
]

#: INSEE code of the Normandie region.
NORMANDIE = "28"
#: INSEE code of the Grand Est region.
GRAND_EST = "44"

#: Land neighbours of the departments of Normandie (28) and Grand Est (44), foreign countries
#: left out. Only these 15 departments are keys; use :func:`neighbour_departments` or
#: :func:`are_neighbours`, which also read the map the other way round.
NEIGHBOUR_DEPARTMENTS: Mapping[str, frozenset[str]] = {
    # Normandie
    "14": frozenset({"27", "50", "61"}),
    "27": frozenset({"14", "28", "60", "61", "76", "78", "95"}),
    "50": frozenset({"14", "35", "53", "61"}),
    "61": frozenset({"14", "27", "28", "50", "53", "72"}),
    "76": frozenset({"27", "60", "80"}),
    # Grand Est
    "08": frozenset({"02", "51", "55"}),
    "10": frozenset({"21", "51", "52", "77", "89"}),
    "51": frozenset({"02", "08", "10", "52", "55", "77"}),
    "52": frozenset({"10", "21", "51", "55", "70", "88"}),
    "54": frozenset({"55", "57", "67", "88"}),
    "55": frozenset({"08", "51", "52", "54", "88"}),
    "57": frozenset({"54", "67"}),
    "67": frozenset({"54", "57", "68", "88"}),
    "68": frozenset({"67", "70", "88", "90"}),
    "88": frozenset({"52", "54", "55", "67", "68", "70", "90"}),
}


def neighbour_departments(departement: str) -> frozenset[str]:
    """The neighbours of a department that :data:`NEIGHBOUR_DEPARTMENTS` knows of.

    Complete for the departments of Normandie and Grand Est; for another department, only its
    neighbours among those (e.g. ``"35"`` → ``{"50"}``).
    """
    known = NEIGHBOUR_DEPARTMENTS.get(departement, frozenset())
    return known | {dep for dep, around in NEIGHBOUR_DEPARTMENTS.items() if departement in around}


def are_neighbours(a: str, b: str) -> bool:
    """Whether departments ``a`` and ``b`` share a border (as far as the map knows)."""
    return b in NEIGHBOUR_DEPARTMENTS.get(a, ()) or a in NEIGHBOUR_DEPARTMENTS.get(b, ())


@dataclass(frozen=True, slots=True)
class Commune:
    """One row of ``knowledge/communes.csv``."""

    insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    departement: str
    region: str
    epci: str | None
    epci_nom: str | None
    population: int | None


@dataclass(frozen=True, slots=True)
class CommuneMatch:
    """A commune found for a query, best first; ``score`` is 0–100 (100: exact)."""

    insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    departement: str
    epci: str | None
    epci_nom: str | None
    score: float


# Weights of the keys a commune is reachable under (see the module docstring).
_W_NAME = 1.0
_W_NO_ARTICLE = 0.98
_W_HEAD = 0.95
_ARTICLES = frozenset({"le", "la", "les", "l"})
_SAINTS = frozenset({"saint", "sainte", "saints", "saintes"})
# Last words of communes nouvelles that people leave out.
_SUFFIXES = frozenset({"normandie"})
_LINKS = frozenset(
    {"sur", "sous", "en", "les", "lez", "la", "le", "l", "de", "du", "des", "d", "aux", "au", "et"}
)
# Heads too common to stand for a commune on their own.
_GENERIC_HEADS = frozenset(
    {"saint", "sainte", "saints", "saintes", "notre", "mont", "val", "bois", "port", "pont"}
)
_MIN_HEAD_LEN = 4
_ARRONDISSEMENT = re.compile(r"(\D+) (\d+)(er|e) arrondissement")

#: Fuzzy similarity (after weighting) a commune needs inside the preferred region.
REGION_CUTOFF = 80.0
#: … and anywhere in France, where more names make more near misses ("azerty" ≈ Azerat).
FRANCE_CUTOFF = 86.0

_DEPARTMENT_SUFFIX = re.compile(r"\(\s*(\d{2,3}|2[ab])\s*\)\s*$", re.IGNORECASE)
_POSTAL_IN_TEXT = re.compile(r"(?<!\d)\d{2}\s?\d{3}(?!\d)")


def _keys(name: str) -> list[tuple[str, float]]:
    """The folded keys of a commune name with their weights."""
    full = fold(name)
    keys = [(full, _W_NAME)]
    words = full.split()
    if len(words) == 1:
        return keys
    if words[-1] == "arrondissement":  # "paris 15e arrondissement": also "paris 15", "paris 15e"
        arrondissement = _ARRONDISSEMENT.fullmatch(full)
        if arrondissement is not None:
            city, number, suffix = arrondissement.groups()
            return [*keys, (f"{city} {number}", _W_NAME), (f"{city} {number}{suffix}", _W_NAME)]
    if words[0] in _ARTICLES:
        words = words[1:]
        keys.append((" ".join(words), _W_NO_ARTICLE))
    if len(words) > 2 and words[-1] in _SUFFIXES:  # "Bagnoles de l'Orne Normandie"
        keys.append((" ".join(words[:-1]), _W_NO_ARTICLE))
    cut = None
    for position in range(1, len(words)):
        if words[position] in _LINKS or words[position] in _SAINTS:
            cut = position
            break
    if cut is None and len(words) == 2:
        cut = 1
    if cut is not None:
        head = " ".join(words[:cut])
        if len(head) >= _MIN_HEAD_LEN and head not in _GENERIC_HEADS:
            keys.append((head, _W_HEAD))
    return keys


_COLUMNS = (
    "insee",
    "nom",
    "codes_postaux",
    "departement",
    "region",
    "epci",
    "epci_nom",
    "population",
)


def _commune(
    insee: str,
    nom: str,
    codes_postaux: str,
    departement: str,
    region: str,
    epci: str,
    epci_nom: str,
    population: str,
) -> Commune:
    """A :class:`Commune` from the text fields of a CSV row."""
    return Commune(
        insee=insee,
        nom=nom,
        codes_postaux=tuple(codes_postaux.split()),
        departement=departement,
        region=region,
        epci=epci or None,
        epci_nom=epci_nom or None,
        population=int(population) if population else None,
    )


class _Pool:
    """Keys of a set of communes, ready for exact lookup and fuzzy extraction.

    The fuzzy choices are sorted by length: two strings of lengths a and b are at most
    ``1 - |a - b| / (a + b)`` similar, so a cutoff rules out most lengths before any comparison.
    """

    __slots__ = ("choices", "entries", "exact", "lengths")

    def __init__(self, keyed: Mapping[str, list[tuple[int, float]]]) -> None:
        self.exact: dict[str, list[tuple[int, float]]] = dict(keyed)
        self.choices: list[str] = sorted(self.exact, key=len)
        self.lengths: list[int] = [len(key) for key in self.choices]
        self.entries: list[list[tuple[int, float]]] = [self.exact[key] for key in self.choices]

    def fuzzy(self, name: str, cutoff: float, limit: int) -> list[tuple[str, float, int]]:
        """``(key, similarity, position)`` of the keys at least ``cutoff`` similar to ``name``."""
        size = len(name)
        # similarity ≤ 200·min/(a+b) ≥ cutoff  ⇔  b ∈ [a·c/(200-c), a·(200-c)/c]
        low = bisect_left(self.lengths, size * cutoff / (200.0 - cutoff))
        high = bisect_right(self.lengths, size * (200.0 - cutoff) / cutoff)
        found = process.extract(
            name,
            self.choices[low:high],
            scorer=fuzz.ratio,
            processor=None,
            limit=limit,
            score_cutoff=cutoff,
        )
        return [(key, similarity, low + position) for key, similarity, position in found]


class CommuneIndex:
    """In-memory commune lookup by postal code and (fuzzy) name."""

    def __init__(
        self, communes: Iterable[Commune], warm_regions: Iterable[str] = (NORMANDIE, GRAND_EST)
    ) -> None:
        """Index ``communes``; the fuzzy keys of ``warm_regions`` are prepared now, those of
        the other regions on their first search."""
        self.communes: tuple[Commune, ...] = tuple(communes)
        self._by_insee = {commune.insee: i for i, commune in enumerate(self.communes)}
        self._keys_of = [_keys(commune.nom) for commune in self.communes]
        by_postal: dict[str, list[int]] = defaultdict(list)
        all_keys: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._members: dict[str, list[int]] = defaultdict(list)
        # Most populated first, so that every list built below is in that order.
        for i in sorted(range(len(self.communes)), key=self._population, reverse=True):
            commune = self.communes[i]
            self._members[commune.region].append(i)
            for code in commune.codes_postaux:
                by_postal[code].append(i)
            for key, weight in self._keys_of[i]:
                all_keys[key].append((i, weight))
        self._by_postal = {code: tuple(found) for code, found in by_postal.items()}
        self._france = _Pool(all_keys)
        self._regions: dict[str, _Pool] = {}
        for region in warm_regions:
            self._region_pool(region)

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> CommuneIndex:
        """Build from dict rows with the columns of ``knowledge/communes.csv``."""
        return cls(_commune(*(row[column] for column in _COLUMNS)) for row in rows)

    @classmethod
    def from_csv(cls, path: str | Path) -> CommuneIndex:
        """Build from ``knowledge/communes.csv`` (or a file with the same columns)."""
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            try:
                order = [header.index(column) for column in _COLUMNS]
            except ValueError as error:
                raise ValueError(f"{path}: expected the columns {', '.join(_COLUMNS)}") from error
            return cls(_commune(*(row[i] for i in order)) for row in reader)

    # --- lookups --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.communes)

    def get(self, insee: str) -> Commune | None:
        """The commune with this INSEE code, or None."""
        i = self._by_insee.get(insee)
        return None if i is None else self.communes[i]

    def find(self, query: str, limit: int = 5, region: str | None = None) -> list[CommuneMatch]:
        """The communes a user most likely means by ``query``, best first (at most ``limit``).

        ``query`` is a postal code (``"14000"``), a name as typed (``"st lo"``), a name with a
        postal code (``"Saint-Martin 50800"``) or with a department in parentheses
        (``"Saint-Martin (50)"``). With ``region`` (an INSEE region code, e.g.
        :data:`NORMANDIE`), its communes come first among exact matches, and a misspelt name
        is looked for in the region first, in the rest of France only when nothing in the
        region is close enough. Empty when nothing is close enough.

        Exact matches (score 100, or 98/95 for a short form of the name: "cherbourg") are
        ordered by region then population, a full-name match counting as ten times its
        population; approximate ones by score then population.
        """
        if limit <= 0:
            return []
        text = query.strip()
        code = postal_code_of(text)
        if code is not None:
            return self._matches({i: 100.0 for i in self._by_postal.get(code, ())}, limit, region)

        departement = None
        suffix = _DEPARTMENT_SUFFIX.search(text)
        if suffix is not None:
            departement = suffix[1].upper()
            text = text[: suffix.start()]
        codes = _POSTAL_IN_TEXT.findall(text)
        if codes:
            text = _POSTAL_IN_TEXT.sub(" ", text)
        name = normalize_commune_query(text)

        if codes:
            return self._by_code_and_name(codes, name, limit, region)
        if not name:
            return []
        scores, exact = self._search(name, region)
        if departement is not None:
            in_departement = {
                i: s for i, s in scores.items() if self.communes[i].departement == departement
            }
            scores = in_departement or scores
        return self._matches(scores, limit, region, by_population=exact)

    # --- internals ------------------------------------------------------------------------

    def _population(self, i: int) -> int:
        return self.communes[i].population or 0

    def _search(self, name: str, region: str | None) -> tuple[dict[int, float], bool]:
        """Scores of the communes matching a folded name, and whether the match is exact.

        Exact keys anywhere first; else fuzzy in the region, then fuzzy in all France.
        """
        exact = self._france.exact.get(name)
        if exact is not None:
            scores: dict[int, float] = {}
            for i, weight in exact:
                scores[i] = max(scores.get(i, 0.0), 100.0 * weight)
            return scores, True
        pool = self._region_pool(region) if region is not None else None
        if pool is not None:
            scores = self._fuzzy(name, pool, REGION_CUTOFF)
            if scores:
                return scores, False
        return self._fuzzy(name, self._france, FRANCE_CUTOFF), False

    def _region_pool(self, region: str) -> _Pool | None:
        """The keys of a region's communes (None for an unknown region), cached."""
        pool = self._regions.get(region)
        if pool is None and region in self._members:
            keyed: dict[str, list[tuple[int, float]]] = defaultdict(list)
            for i in self._members[region]:
                for key, weight in self._keys_of[i]:
                    keyed[key].append((i, weight))
            pool = self._regions[region] = _Pool(keyed)
        return pool

    @staticmethod
    def _fuzzy(name: str, pool: _Pool, cutoff: float) -> dict[int, float]:
        """Best weighted similarity per commune of ``pool``, for those reaching ``cutoff``."""
        scores: dict[int, float] = {}
        for _key, similarity, position in pool.fuzzy(name, cutoff, limit=25):
            for i, weight in pool.entries[position]:
                score = similarity * weight
                if score >= cutoff and score > scores.get(i, 0.0):
                    scores[i] = score
        return scores

    def _by_code_and_name(
        self, codes: list[str], name: str, limit: int, region: str | None
    ) -> list[CommuneMatch]:
        """Communes of the postal codes in the query, ranked by their name against ``name``."""
        found = [i for code in codes for i in self._by_postal.get(code.replace(" ", ""), ())]
        if not name:
            return self._matches(dict.fromkeys(found, 100.0), limit, region)
        scores: dict[int, float] = {}
        for i in found:
            similarity = max(
                fuzz.ratio(name, key) * weight for key, weight in _keys(self.communes[i].nom)
            )
            scores[i] = max(scores.get(i, 0.0), similarity)
        # The postal code is sure, the name may be approximate: the closest name first.
        return self._matches(scores, limit, region, by_population=False)

    def _matches(
        self,
        scores: Mapping[int, float],
        limit: int,
        region: str | None,
        *,
        by_population: bool = True,
    ) -> list[CommuneMatch]:
        """The best ``limit`` communes of ``scores``.

        ``by_population`` (exact matches): by region then population, a full-name match
        counting as ten times its population against a short form. Else by score first.
        """

        def rank(i: int) -> tuple[float, bool, float, str]:
            commune = self.communes[i]
            if by_population:
                # The full name counts as ten times the population of a short form.
                weight = scores[i] / 100.0
                size = log10(self._population(i) + 1) + (weight - _W_HEAD) * 20
                return (0.0, commune.region != region, -size, commune.insee)
            return (
                -round(scores[i], 2),
                commune.region != region,
                -self._population(i),
                commune.insee,
            )

        best = sorted(scores, key=rank)[:limit]
        return [
            CommuneMatch(
                insee=c.insee,
                nom=c.nom,
                codes_postaux=c.codes_postaux,
                departement=c.departement,
                epci=c.epci,
                epci_nom=c.epci_nom,
                score=round(scores[i], 2),
            )
            for i, c in ((i, self.communes[i]) for i in best)
        ]
