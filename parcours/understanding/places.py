"""Places as people write them: a commune, a postal code, or a department, after the usual
prepositions ("à", "vers", "sur", "près de", "à côté de", "du côté de", "dans le coin de",
"secteur", "autour de"…), in a sentence or alone.

A department ("dans la Manche", "le 14", "en Seine-Maritime") is a place too: searches then
start from its most populated commune, and the whole department counts as near.
A correction ("c'est pas au Havre, c'est à Caen") keeps the place that is not denied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parcours.search.communes import CommuneIndex
from parcours.search.normalize import fold
from parcours.services.catalogue_search import commune_index, find_town
from parcours.services.geo import DEPARTEMENTS

#: Words that announce a place, on folded text (longest first, so "pres de" beats "de").
_LEADS = (
    r"dans le coin de|du cote de|a cote de|aux alentours de|pas loin de|pres de|autour de"
    r"|sur le secteur de|secteur de|secteur|region de|la region de|dans la ville de|ville de"
    r"|j habite a|j habite|habite a|habite|je vis a|je suis a|je suis de|je reste a|vers|sur"
    r"|a|au|en|dans|de|du|sur"
)
#: A lookahead, so that matches overlap: in "pas au havre c est a caen", "a caen" counts too.
_LEAD = re.compile(rf"(?<![a-z0-9])(?=({_LEADS})\s+((?:[a-z0-9]+\s*){{1,4}}))")
#: Everyday words that are also the head of a commune's name ("jours" for Jours-lès-Baigneux,
#: "plus", "sept"): never a place on their own, only as part of a longer name.
COMMON_WORDS = frozenset(
    [
        "jours",
        "jour",
        "ans",
        "mois",
        "semaine",
        "semaines",
        "heure",
        "heures",
        "plus",
        "moins",
        "tard",
        "temps",
        "fois",
        "vie",
        "ecole",
        "college",
        "lycee",
        "classe",
        "stage",
        "stages",
        "travail",
        "emploi",
        "metier",
        "metiers",
        "formation",
        "entreprise",
        "ville",
        "centre",
        "coin",
        "cote",
        "secteur",
        "region",
        "maison",
        "famille",
        "parents",
        "enfant",
        "enfants",
        "fils",
        "fille",
        "sept",
        "huit",
        "neuf",
        "dix",
        "cent",
        "mille",
        "rien",
        "tout",
        "tous",
        "toute",
        "toutes",
        "bien",
        "mal",
        "non",
        "oui",
        "pas",
        "alternance",
        "apprentissage",
        "bac",
        "brevet",
        "seconde",
        "premiere",
        "terminale",
        "visio",
        "distance",
    ]
)
_POSTAL = re.compile(r"(?<!\d)(\d{2})\s?(\d{3})(?!\d)")
#: "le 14", "dans le 76", "du 50", "(61)": a department number, never an age ("14 ans").
_DEPT_NUMBER = re.compile(
    r"(?:\b(?:le|du|dans le|en|departement)\s+|\()(\d{2})\)?(?!\s*(?:ans?|h|e|eme)\b)"
)
_DENIED = re.compile(r"\b(?:pas|plus|non)\s+(?:a|au|en|sur|vers|dans|de)\s+$")
_MIN_SCORE = 90.0


@dataclass(frozen=True)
class Place:
    """A commune, or a department represented by its most populated commune."""

    insee: str
    nom: str  # what to say: the commune, or the department's name
    departement: str
    kind: str = "commune"  # commune | departement
    start: int = 0  # where it was said in the folded text


def _departments() -> dict[str, tuple[str, str]]:
    """Folded department name → (code, the department's most populated commune)."""
    return _departments_of(commune_index())


@lru_cache(maxsize=1)
def _departments_of(index: CommuneIndex) -> dict[str, tuple[str, str]]:
    biggest: dict[str, tuple[int, str]] = {}
    for commune in index.communes:
        if commune.departement in DEPARTEMENTS:
            size = commune.population or 0
            if size > biggest.get(commune.departement, (-1, ""))[0]:
                biggest[commune.departement] = (size, commune.insee)
    return {
        fold(name): (code, biggest[code][1])
        for code, name in DEPARTEMENTS.items()
        if code in biggest
    }


def _department(code: str, start: int) -> Place | None:
    name = DEPARTEMENTS.get(code)
    if name is None:
        return None
    found = _departments().get(fold(name))
    return Place(found[1], name, code, "departement", start) if found else None


def _departments_named(folded: str) -> list[Place]:
    """Departments named in the text ("la manche", "seine maritime")."""
    places = []
    for name, (code, _insee) in _departments().items():
        for match in re.finditer(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded):
            # "haute marne" must not also count as "marne": skip a name inside a longer one.
            longer = any(
                other != name and name in other and other in folded for other in _departments()
            )
            if not longer:
                place = _department(code, match.start())
                if place is not None:
                    places.append(place)
    return places


def _communes_after_leads(folded: str, region: str) -> list[Place]:
    """Communes named after a lead word, the longest name that matches well."""
    places = []
    for match in _LEAD.finditer(folded):
        words = match.group(2).split()
        for size in range(len(words), 0, -1):
            candidate = " ".join(words[:size])
            if len(candidate) < 2 or candidate.isdigit() or candidate in COMMON_WORDS:
                continue
            found = find_town(candidate, region)
            if found is not None and found.score >= _MIN_SCORE:
                places.append(
                    Place(found.insee, found.nom, found.departement, "commune", match.start(2))
                )
                break
    return places


def places_in_text(text: str, region: str) -> list[Place]:
    """Every place the text names, in the order they are written (denied ones left out)."""
    folded = fold(text)
    found: list[Place] = []
    for match in _POSTAL.finditer(folded):
        commune = find_town(match.group(1) + match.group(2), region)
        if commune is not None:
            found.append(
                Place(commune.insee, commune.nom, commune.departement, "commune", match.start())
            )
    for match in _DEPT_NUMBER.finditer(folded):
        place = _department(match.group(1), match.start(1))
        if place is not None:
            found.append(place)
    found += _departments_named(folded)
    found += _communes_after_leads(folded, region)
    kept = [p for p in found if not _DENIED.search(folded[: p.start])]
    unique: dict[int, Place] = {}
    for place in sorted(kept, key=lambda p: (p.start, p.kind != "commune")):
        unique.setdefault(place.start, place)
    return sorted(unique.values(), key=lambda p: p.start)


def place_in_text(text: str, region: str) -> Place | None:
    """The place a message is about: the last one it names (a correction names it last)."""
    places = places_in_text(text, region)
    return places[-1] if places else None


def place_as_answer(text: str, region: str) -> Place | None:
    """A message that answers "near which commune?": a place in it, or the whole text as one."""
    said = place_in_text(text, region)
    if said is not None:
        return said
    folded = fold(text)
    if folded in _departments():
        code, _insee = _departments()[folded]
        return _department(code, 0)
    found = find_town(text, region)
    if found is not None and found.score >= 80.0:
        return Place(found.insee, found.nom, found.departement)
    return None
