"""Find métiers from what a user typed: "boulanjer", "infirmiere", "dev web", "mecano",
"je veux travailler avec les animaux".

The index is built in memory from ``knowledge/metiers.csv`` (columns ``code, libelle, secteur,
synonymes, mots_cles``; the last two are ``|``-separated lists). Every libellé, synonym,
keyword and sector becomes a *choice*, stored in the comparable form of
:func:`~parcours.search.normalize.metier_text_key` (folded, function words dropped, stemmed).

A query goes through :func:`~parcours.search.normalize.normalize_metier_query` (SMS spellings,
stop words), is stemmed the same way, and each word the catalogue does not know is replaced by
the closest catalogue word when one is close enough ("boulanjer" → "boulanger"). It is then
scored against every choice with :func:`rapidfuzz.fuzz.token_set_ratio` (a query containing all
the words of a choice scores 100), blended with :func:`rapidfuzz.fuzz.ratio` so that the
closest whole text wins among those, and weighted by the kind of choice: libellé 1, synonym
0.98, keyword 0.85, sector 0.8. A métier scores its best choice; below :data:`MIN_SCORE`
nothing is returned.

The official nomenclature ROME 4.0 (``knowledge/rome_metiers.csv``: ``rome_code, libelle``
and optionally ``appellations``) can be given too. A hand-written métier lists its ROME codes in
its ``rome`` column; the libellés (both genders) and appellations of those ROME métiers become
choices of the hand-written métier (weight 0.95), so that an official wording ("Gardien de la
paix", "Employé d'étage") finds it. A ROME métier that no hand-written métier lists becomes a
métier of its own (its code is the ROME code, weight 0.9), so that a rare métier ("Taxidermiste",
"Patrouilleur VTT") is still recognised; it gets the catalogue sector most hand-written métiers
of the same ROME domain have (``D11``, else ``D``), and is left out of :meth:`MetierIndex.
by_sector`. ROME texts are long and specific, so their score gives the whole-text similarity
half of the weight (0.15 for the catalogue's own texts): a query that is only one word of a
long ROME libellé ("animaux" in "Conducteur de transport routier d'animaux vivants") does not
pass for it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from rapidfuzz import fuzz, process

from parcours.search.normalize import fold, metier_text_key, normalize_metier_query, stem

__all__ = ["MIN_SCORE", "Metier", "MetierIndex", "MetierMatch", "RomeMetier", "libelle_forms"]

#: Lowest score a métier needs to be returned.
MIN_SCORE = 78.0


class _Kind(StrEnum):
    """Which text of a métier a query matched."""

    LIBELLE = "libelle"
    SYNONYME = "synonyme"
    MOT_CLE = "mot_cle"
    SECTEUR = "secteur"
    ROME = "rome"  # libellé or appellation of a ROME métier the hand-written métier lists
    ROME_METIER = "rome_metier"  # libellé or appellation of a ROME métier of its own


_WEIGHTS: Mapping[_Kind, float] = {
    _Kind.LIBELLE: 1.0,
    _Kind.SYNONYME: 0.98,
    _Kind.MOT_CLE: 0.85,
    _Kind.SECTEUR: 0.8,
    _Kind.ROME: 0.95,
    _Kind.ROME_METIER: 0.9,
}
# Share of the whole-text similarity in a choice's score (the rest is token_set_ratio).
_RATIO_SHARE = 0.15
_RATIO_SHARES: Mapping[_Kind, float] = {_Kind.ROME: 0.5, _Kind.ROME_METIER: 0.5}
_ROME_CODE_SPLIT = re.compile(r"[\s,|]+")
# How close (fuzz.ratio) an unknown query word must be to a catalogue word to be replaced by
# it, by length of the word: short words have too many neighbours to be corrected at all.
_MIN_CORRECTABLE = 4
_CORRECTION_CUTOFF = {4: 90.0, 5: 90.0, 6: 80.0, 7: 80.0}
_CORRECTION_CUTOFF_LONG = 75.0
# Choices kept from the first, token_set_ratio pass before the blended score is computed.
_SHORTLIST = 120


@dataclass(frozen=True, slots=True)
class Metier:
    """One row of ``knowledge/metiers.csv`` (``rome``: its ROME codes), or a ROME métier that no
    row lists (``from_rome``: its code is the ROME code, its appellations are its synonyms)."""

    code: str
    libelle: str
    secteur: str
    synonymes: tuple[str, ...]
    mots_cles: tuple[str, ...]
    rome: tuple[str, ...] = ()
    from_rome: bool = False


@dataclass(frozen=True, slots=True)
class RomeMetier:
    """One row of ``knowledge/rome_metiers.csv``: a métier of the ROME 4.0."""

    code: str
    libelle: str
    appellations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MetierMatch:
    """A métier found for a query, best first.

    ``score`` is 0–100; ``matched_on`` is the catalogue text that matched (the libellé, one of
    the synonyms or keywords, the sector, or a ROME libellé or appellation), as written there.
    ``rome`` holds the métier's ROME codes; a ROME métier of its own has its ROME code as
    ``code`` and ``from_rome`` set.
    """

    code: str
    libelle: str
    secteur: str
    score: float
    matched_on: str
    rome: tuple[str, ...] = ()
    from_rome: bool = False


def _split(field: str) -> tuple[str, ...]:
    """The items of a ``|``-separated field, stripped, empty ones dropped, duplicates once."""
    return tuple(dict.fromkeys(item.strip() for item in field.split("|") if item.strip()))


def _rome_codes(field: str) -> tuple[str, ...]:
    """The ROME codes of a ``rome`` field (space-, comma- or ``|``-separated), upper case."""
    return tuple(dict.fromkeys(code.upper() for code in _ROME_CODE_SPLIT.split(field) if code))


def _rome_sectors(metiers: Iterable[Metier]) -> dict[str, str]:
    """ROME domain (``D11``) and grand domain (``D``) → the catalogue sector most hand-written
    métiers listing a ROME code there have (ties: the first in alphabetical order)."""
    votes: dict[str, Counter[str]] = {}
    for metier in metiers:
        for code in metier.rome:
            for prefix in (code[:3], code[:1]):
                votes.setdefault(prefix, Counter())[metier.secteur] += 1
    return {
        prefix: max(sorted(counter), key=lambda sector: counter[sector])
        for prefix, counter in votes.items()
    }


def _common_prefix(a: str, b: str) -> int:
    """Length of the common beginning of two strings."""
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size


def _gender_pair(a: str, b: str) -> bool:
    """Whether two words look like the two genders of one word ("Chef" / "Cheffe")."""
    parts_a, parts_b = fold(a).split(), fold(b).split()  # "Dessinateur-projeteur": 2 parts
    return len(parts_a) == len(parts_b) and all(
        _common_prefix(x, y) >= min(4, len(x), len(y)) and abs(len(x) - len(y)) <= 3
        for x, y in zip(parts_a, parts_b, strict=True)
    )


def libelle_forms(libelle: str) -> list[str]:
    """The masculine and feminine forms of a libellé written ``"Boulanger / Boulangère"``.

    A shorter form that only differs by gender takes the end of the longer one:
    ``"Infirmier / Infirmière de bloc opératoire"`` → ``["Infirmier de bloc opératoire",
    "Infirmière de bloc opératoire"]``; ``"Agent cynophile / Maître-chien"`` stays two names.
    """
    forms = [form.split() for form in libelle.split(" / ") if form.strip()]
    if not forms:
        return [libelle]
    longest = max(forms, key=len)
    extended = []
    for words in forms:
        if len(words) < len(longest) and all(
            _gender_pair(word, other) for word, other in zip(words, longest, strict=False)
        ):
            words = words + longest[len(words) :]
        extended.append(" ".join(words))
    return extended


def _rome_texts(row: RomeMetier) -> list[str]:
    """The texts a ROME métier is known by: both forms of its libellé, its appellations."""
    return [*libelle_forms(row.libelle), *row.appellations]


class MetierIndex:
    """In-memory fuzzy search over the métier catalogue, and the ROME 4.0 when given.

    ``metiers`` are the hand-written métiers; ``rome_metiers`` the ROME métiers that none of
    them lists, searchable as métiers of their own (see the module's documentation).
    """

    def __init__(self, metiers: Iterable[Metier], rome: Iterable[RomeMetier] = ()) -> None:
        self.metiers: tuple[Metier, ...] = tuple(metiers)
        rome = tuple(rome)
        listed: dict[str, list[int]] = {}  # ROME code → positions of the métiers listing it
        for i, metier in enumerate(self.metiers):
            for code in metier.rome:
                listed.setdefault(code, []).append(i)
        handwritten = {metier.code for metier in self.metiers}
        sectors = _rome_sectors(self.metiers)
        self.rome_metiers: tuple[Metier, ...] = tuple(
            Metier(
                code=row.code,
                libelle=row.libelle,
                secteur=sectors.get(row.code[:3]) or sectors.get(row.code[:1], ""),
                synonymes=row.appellations,
                mots_cles=(),
                rome=(row.code,),
                from_rome=True,
            )
            for row in rome
            if row.code not in listed and row.code not in handwritten
        )
        self._all = self.metiers + self.rome_metiers
        self._by_code: dict[str, int] = {}
        for i, metier in enumerate(self._all):
            self._by_code.setdefault(metier.code, i)
        # choice key → [(métier position, kind, original text)]; the catalogue's own texts
        # first, so that they come first among equal scores.
        keyed: dict[str, list[tuple[int, _Kind, str]]] = {}
        self._by_sector: dict[str, list[int]] = {}
        self._sector_names: dict[str, str] = {}
        for i, metier in enumerate(self.metiers):
            # "Boulanger / Boulangère": each form is a libellé of its own.
            texts = [(_Kind.LIBELLE, form) for form in libelle_forms(metier.libelle)]
            texts += [(_Kind.SYNONYME, text) for text in metier.synonymes]
            texts += [(_Kind.MOT_CLE, text) for text in metier.mots_cles]
            texts.append((_Kind.SECTEUR, metier.secteur))
            self._add(keyed, i, texts)
            sector = fold(metier.secteur)
            self._by_sector.setdefault(sector, []).append(i)
            self._sector_names.setdefault(sector, metier.secteur)
        for row in rome:
            texts = [(_Kind.ROME, text) for text in _rome_texts(row)]
            for i in listed.get(row.code, ()):
                self._add(keyed, i, texts)
        for i, metier in enumerate(self.rome_metiers, start=len(self.metiers)):
            texts = [(_Kind.ROME_METIER, form) for form in libelle_forms(metier.libelle)]
            texts += [(_Kind.ROME_METIER, text) for text in metier.synonymes]
            self._add(keyed, i, texts)
        self._choices = list(keyed)
        self._entries = [keyed[key] for key in self._choices]
        self._vocabulary = sorted({word for key in self._choices for word in key.split()})
        self._known = frozenset(self._vocabulary)

    @staticmethod
    def _add(
        keyed: dict[str, list[tuple[int, _Kind, str]]],
        position: int,
        texts: Sequence[tuple[_Kind, str]],
    ) -> None:
        """Index `texts` of the métier at `position` (a text once per métier and kind)."""
        for kind, text in texts:
            key = metier_text_key(text)
            if not key:
                continue
            entries = keyed.setdefault(key, [])
            if not any(i == position and k == kind for i, k, _ in entries):
                entries.append((position, kind, text))

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str]], rome: Iterable[Mapping[str, str]] = ()
    ) -> MetierIndex:
        """Build from dict rows with the columns of ``knowledge/metiers.csv`` (``rome``
        optional) and, optionally, rows with those of ``knowledge/rome_metiers.csv``."""
        return cls(
            (
                Metier(
                    code=row["code"].strip(),
                    libelle=row["libelle"].strip(),
                    secteur=row["secteur"].strip(),
                    synonymes=_split(row.get("synonymes") or ""),
                    mots_cles=_split(row.get("mots_cles") or ""),
                    rome=_rome_codes(row.get("rome") or ""),
                )
                for row in rows
                if row.get("code") and row.get("libelle")
            ),
            (
                RomeMetier(
                    code=row["rome_code"].strip().upper(),
                    libelle=row["libelle"].strip(),
                    appellations=_split(row.get("appellations") or ""),
                )
                for row in rome
                if row.get("rome_code") and row.get("libelle")
            ),
        )

    @classmethod
    def from_csv(cls, path: str | Path, rome: str | Path | None = None) -> MetierIndex:
        """Build from ``knowledge/metiers.csv`` (or a file with the same columns) and, when
        ``rome`` is given, ``knowledge/rome_metiers.csv``."""
        rome_rows: list[dict[str, str]] = []
        if rome is not None:
            with Path(rome).open(encoding="utf-8", newline="") as handle:
                rome_rows = list(csv.DictReader(handle))
        with Path(path).open(encoding="utf-8", newline="") as handle:
            return cls.from_rows(csv.DictReader(handle), rome_rows)

    # --- lookups --------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many métiers can be found: the hand-written ones and the ROME ones of their own."""
        return len(self._all)

    def get(self, code: str) -> Metier | None:
        """The métier with this code (a hand-written code or a ROME code of its own), or None."""
        i = self._by_code.get(code)
        return None if i is None else self._all[i]

    @property
    def sectors(self) -> list[str]:
        """The sector names of the catalogue, as written there, sorted."""
        return sorted(self._sector_names.values(), key=fold)

    def by_sector(self, sector: str) -> list[Metier]:
        """The métiers of a sector (case and accents ignored), sorted by libellé.

        ``"Santé"`` finds ``sante``, ``"hôtellerie restauration"`` finds
        ``hotellerie_restauration``; another name is matched to the closest sector when it is
        close enough (``"agriculture"``), else ``[]``.
        """
        key = fold(sector)
        if not key:
            return []
        found = self._by_sector.get(key)
        if found is None:
            best = process.extractOne(
                key, list(self._by_sector), scorer=fuzz.WRatio, processor=None, score_cutoff=85
            )
            if best is None:
                return []
            found = self._by_sector[best[0]]
        return sorted((self.metiers[i] for i in found), key=lambda m: fold(m.libelle))

    def search(self, query: str, limit: int = 5) -> list[MetierMatch]:
        """The métiers a user most likely means by ``query``, best first (at most ``limit``).

        Empty when nothing in the query is about a métier ("je veux travailler") or nothing
        scores :data:`MIN_SCORE` ("azerty").
        """
        key = self.query_key(query)
        if not key or limit <= 0:
            return []
        shortlist = process.extract(
            key,
            self._choices,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=_SHORTLIST,
            score_cutoff=MIN_SCORE,
        )
        best: dict[int, tuple[float, float, str]] = {}
        for choice, token_score, position in shortlist:
            ratio = fuzz.ratio(key, choice)
            for i, kind, text in self._entries[position]:
                share = _RATIO_SHARES.get(kind, _RATIO_SHARE)
                weight = _WEIGHTS[kind]
                score = ((1 - share) * token_score + share * ratio) * weight
                if score >= MIN_SCORE and (score, weight) > best.get(i, (0.0, 0.0, ""))[:2]:
                    best[i] = (score, weight, text)
        ranked = sorted(
            best.items(),
            key=lambda item: (
                -round(item[1][0], 2),
                -item[1][1],
                fold(self._all[item[0]].libelle),
            ),
        )
        return [
            MetierMatch(
                code=self._all[i].code,
                libelle=self._all[i].libelle,
                secteur=self._all[i].secteur,
                score=round(score, 2),
                matched_on=text,
                rome=self._all[i].rome,
                from_rome=self._all[i].from_rome,
            )
            for i, (score, _weight, text) in ranked[:limit]
        ]

    def query_key(self, query: str) -> str:
        """The comparable form of a query: normalised, stemmed, misspelt words corrected."""
        words = [stem(word) for word in normalize_metier_query(query).split()]
        return " ".join(self._correct(word) for word in words)

    # --- internals ------------------------------------------------------------------------

    def _correct(self, word: str) -> str:
        """``word`` if the catalogue knows it, else the closest catalogue word if close enough."""
        if word in self._known or len(word) < _MIN_CORRECTABLE:
            return word
        cutoff = _CORRECTION_CUTOFF.get(len(word), _CORRECTION_CUTOFF_LONG)
        best = process.extractOne(
            word, self._vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        return word if best is None else best[0]
