"""Searches as people type them: "je cherche un ambassadeur infirmier pres de Caen",
"stage boulangerie vers lisieux", "infirmier caen".

Métiers are recognised from the whole catalogue (every libellé, synonym and keyword of
knowledge/, through the métier index), places from every commune, postal code and
department (parcours/understanding/places.py), not from entities learned on a few dozen
examples. A message that names a métier and/or a place with a search cue, or a bare
"métier ville", is a search with those slots already filled. A question *about* searches
("un mini-stage ça dure combien de jours ?") is not a search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parcours.search.normalize import fold
from parcours.services.catalogue_search import find_metiers, find_town
from parcours.understanding.places import COMMON_WORDS, Place, place_in_text

MINISTAGE, AMBASSADOR = "ministage", "ambassador"

_CUES = {
    MINISTAGE: re.compile(
        r"\b(mini ?stages?|stages? (d observation|de decouverte|decouverte|de 3e|de 3eme|de "
        r"troisieme|de seconde|de 2nde|d une semaine|en entreprise)|stages?|immersion)\b"
    ),
    AMBASSADOR: re.compile(
        r"\b(ambassadeurs?|ambassadrices?|rencontrer (un|une|des) |parler (a|avec) (un|une|des) "
        r"|echanger avec (un|une|des) |temoignage|quelqu un qui (fait|travaille|est))"
    ),
}
#: Someone asking for a search in the first person: "je cherche …", "je voudrais faire …"
#: ("trouver une solution" is not a search).
_SEARCH_VERB = re.compile(
    r"\b((je|j|on|il|elle|ma fille|mon fils) (re)?cherche|je voudrais (faire|rencontrer|un|une)"
    r"|je veux (faire|rencontrer|un|une)|j aimerais (faire|rencontrer|un|une)"
    r"|(trouver|trouve moi) (un|une) (stage|ambassadeur|professionnel|pro)|y a t il des|ya des)\b"
)
#: A question about how things work, not a request to search.
_QUESTION = re.compile(
    r"\b(combien|quand|comment|pourquoi|obligatoire|c est quoi|qu est ce|qui signe|faut il"
    r"|est ce que|doit on|dois je|peut on|peut il|est il|droit|assurance|convention|duree|dure)\b"
)
#: Lead words of places, removed before the métier lookup.
_PLACE_WORDS = re.compile(
    r"\b(dans le coin de|du cote de|a cote de|pres de|autour de|secteur|region|vers|sur|coin"
    r"|habite|departement)\b"
)
#: Métier matches below this score are not trusted in free text.
_METIER_MIN = 84.0
#: A bare "métier ville" is short.
_BARE_MAX_WORDS = 5


@dataclass(frozen=True)
class SearchRead:
    """What a message says of a search (kind None: a métier or place without a cue)."""

    kind: str | None
    metier: str | None  # the user's own words for the métier
    place: Place | None
    cue: bool  # the message asks for a search (or is a bare "métier ville")


def _residual(folded: str, place: Place | None) -> str:
    """The text without the place and the search words, for the métier lookup."""
    text = folded
    if place is not None:
        text = text.replace(fold(place.nom), " ")
    for pattern in (*_CUES.values(), _SEARCH_VERB, _PLACE_WORDS):
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def _said_in_text(label: str, words: set[str]) -> bool:
    """Whether a word of the catalogue text is written in the message (a typo correction of
    an everyday word, "combien" → "comédien", is not evidence in free text)."""
    return any(
        len(part) >= 4 and any(word[:5] == part[:5] for word in words)
        for part in fold(label).split()
    )


def metier_in_text(text: str, place: Place | None = None) -> str | None:
    """The user's own words that name a métier of the catalogue, if clearly one."""
    folded = fold(text)
    residual = _residual(folded, place)
    if not residual:
        return None
    matches = find_metiers(residual)
    words = set(residual.split())
    if not matches or matches[0].score < _METIER_MIN:
        return None
    label = matches[0].matched_on
    if not _said_in_text(label, words):
        return None
    parts = [p[:5] for p in fold(label).split() if len(p) >= 4]
    own = [w for w in text.split() if fold(w)[:5] in parts]
    return " ".join(own) if own else label


def _bare_town(text: str, region: str) -> Place | None:
    """In a bare "métier ville", the town written first or last (exact names only)."""
    words = fold(text).split()
    for size in (3, 2, 1):
        for chunk in (words[-size:], words[:size]):
            name = " ".join(chunk)
            if len(chunk) < len(words) and name not in COMMON_WORDS:
                found = find_town(name, region)
                if found is not None and found.score >= 95.0:
                    start = fold(text).find(name)
                    return Place(found.insee, found.nom, found.departement, "commune", start)
    return None


def read_search(text: str, region: str) -> SearchRead:
    """The search a message asks for, with what it already says."""
    folded = fold(text)
    short = len(folded.split()) <= _BARE_MAX_WORDS
    kinds = [kind for kind, pattern in _CUES.items() if pattern.search(folded)]
    kind = kinds[0] if len(kinds) == 1 else (AMBASSADOR if AMBASSADOR in kinds else None)
    asks = bool(_SEARCH_VERB.search(folded))
    question = bool(_QUESTION.search(folded)) and not asks
    if not (short or ((kinds or asks) and not question)):
        # No search cue and not a bare "métier ville": not a search, whatever it names
        # (and the place and métier lookups, ≈ 10 ms for a long message, are spared).
        return SearchRead(kind, None, None, cue=False)
    place = place_in_text(text, region)
    if place is None and short:
        place = _bare_town(text, region)
    metier = metier_in_text(text, place)
    bare = metier is not None and place is not None and short and not question
    cue = bare or (not question and ((bool(kinds) and (metier or place)) or (asks and metier)))
    return SearchRead(kind, metier, place, bool(cue))
