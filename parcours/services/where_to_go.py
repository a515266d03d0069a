"""Where to go: which kinds of structure fit a situation and an age band, and why."""

from __future__ import annotations

import re

from parcours.search.normalize import fold

SITUATIONS = ("scolaire", "etudiant", "sorti_ecole", "demandeur_emploi", "salarie", "parent")
#: Situations whose answer depends on the age of the person concerned (Mission locale 16–25).
AGE_MATTERS = frozenset({"sorti_ecole", "demandeur_emploi", "parent"})
#: The situation a stored role already tells (élève is not enough: in school or not?).
SITUATION_OF_ROLE = {
    "parent": "parent",
    "salarie": "salarie",
    "demandeur_emploi": "demandeur_emploi",
}
#: The role a situation tells, to keep the profile (and the tu/vous register) right.
ROLE_OF_SITUATION = {
    "scolaire": "eleve",
    "etudiant": "eleve",
    "demandeur_emploi": "demandeur_emploi",
    "salarie": "salarie",
    "parent": "parent",
}

_WORDS = [
    ("parent", r"\b(parent|papa|maman|mere|pere|mon fils|ma fille|mon enfant|mon ado)"),
    (
        "sorti_ecole",
        r"(quitte|arrete|abandonne|lache|descolaris|decroch|sorti|plus a l.ecole|"
        r"plus au lycee|plus en cours|exclu)",
    ),
    ("etudiant", r"\b(etudiant|etudiante|fac|universite|bts|iut|licence|master|prepa)\b"),
    (
        "scolaire",
        r"\b(college|collegien|collegienne|lycee|lyceen|lyceenne|eleve|[3-6] ?e(me)?\b|"
        r"seconde|premiere|terminale|cap|bac pro)\b",
    ),
    (
        "demandeur_emploi",
        r"(chomage|chomeur|chomeuse|demandeu\w* d.emploi|sans emploi|"
        r"cherche (du|un) (travail|emploi|boulot)|france travail)",
    ),
    ("salarie", r"\b(salarie|salariee|employe|employee|cdi|cdd|je travaille|je bosse|interim)\b"),
]


#: Button codes as folding spells them ("sorti_ecole" → "sorti ecole").
_SITUATION_OF_FOLDED = {fold(code): code for code in SITUATIONS}


def situation_from_text(text: str) -> str | None:
    """The situation a sentence states (button codes or everyday words), if any."""
    folded = fold(text)
    if folded in _SITUATION_OF_FOLDED:
        return _SITUATION_OF_FOLDED[folded]
    return next((code for code, pattern in _WORDS if re.search(pattern, folded)), None)


def kinds_for(situation: str, age_band: str | None) -> list[str]:
    """Kinds of structure to suggest, most fitting first (never a regional scheme: not a place
    to go for orientation, DESIGN.md)."""
    young = age_band in ("15_17", "18_25")
    if situation in ("scolaire", "etudiant"):
        return ["cio", "info_jeunes"]
    if situation == "sorti_ecole":
        if age_band == "moins_15":
            return ["cio", "info_jeunes"]
        return ["psad", "mission_locale", "info_jeunes"] if young or age_band is None else []
    if situation == "demandeur_emploi":
        return ["mission_locale", "info_jeunes"] if young else []
    if situation == "salarie":
        return ["transitions_pro"]
    if situation == "parent":
        if age_band == "moins_15":
            return ["cio", "info_jeunes"]
        if age_band == "26_plus":
            return []
        return ["cio", "mission_locale", "psad", "info_jeunes"]
    return []
