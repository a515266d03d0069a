"""Understand who is talking from free text (a safety net under the NLU's role entity)."""

from __future__ import annotations

import re

from parcours.search.normalize import fold

#: Checked in order: "la mère d'une collégienne" is a parent, not a pupil. Matched on folded
#: text, where apostrophes and hyphens are spaces ("chef d'entreprise" → "chef d entreprise").
_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (role, re.compile(pattern))
    for role, pattern in [
        (
            "parent",
            r"\b(mere|pere|maman|papa|parents?|ma fille|mon fils|mes enfants|mon enfant"
            r"|mon gamin|ma gamine)\b",
        ),
        (
            "professionnel",
            r"\b(prof|professeure?|enseignante?|cpe|conseill(er|ere) d|educat(eur|rice)"
            r"|psy ?en|chef d entreprise|recruteur|recruteuse|format(eur|rice))\b",
        ),
        (
            "demandeur_emploi",
            r"\b(chomage|chomeur|chomeuse|demandeu(r|se) d.?emploi|sans emploi"
            r"|france travail|pole emploi|cherche (du|un) (travail|emploi|job))\b",
        ),
        ("salarie", r"\b(salariee?|en cdi|en cdd|je travaille|employee?|interimaire)\b"),
        (
            "eleve",
            r"\b(eleve|collegien(ne)?|lyceen(ne)?|etudiante?|apprentie?|en [3456]e"
            r"|en (seconde|premiere|terminale)|a la fac|au college|au lycee)\b",
        ),
    ]
]


def role_from_text(text: str) -> str | None:
    """The role a sentence states, if a known wording is in it."""
    folded = fold(text)
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(folded):
            return role
    return None
