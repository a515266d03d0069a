"""Profile, situation, distress and opening-hours readers share the search folding.

They had their own folding before (which kept apostrophes and hyphens); these cases pin
that every wording they matched still matches: accents, case, straight and typographic
apostrophes, hyphens, ligatures.
"""

from __future__ import annotations

import pytest

from parcours.profile import role_from_text
from parcours.safeguarding import sounds_like_distress
from parcours.search.normalize import fold
from parcours.services.opening_hours import OpeningHours
from parcours.services.where_to_go import situation_from_text


def test_ligatures_and_typographic_apostrophes_fold_like_their_spelled_forms() -> None:
    assert fold("Cœur d’ŒUVRE") == fold("coeur d'oeuvre") == "coeur d oeuvre"
    assert fold("Ægypte") == "aegypte"


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Je suis chef d'entreprise", "professionnel"),
        ("CHEF D’ENTREPRISE", "professionnel"),
        ("je suis psy-EN", "professionnel"),
        ("psy en au CIO", "professionnel"),
        ("Conseillère d'orientation", "professionnel"),
        ("demandeuse d’emploi", "demandeur_emploi"),
        ("Demandeur d'emploi depuis mars", "demandeur_emploi"),
        ("la mère d'une collégienne", "parent"),
        ("Je suis en 3e", "eleve"),
        ("lycéenne en Terminale", "eleve"),
        ("salariée en CDI", "salarie"),
    ],
)
def test_roles_are_read_through_apostrophes_hyphens_and_accents(text: str, role: str) -> None:
    assert role_from_text(text) == role


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("sorti_ecole", "sorti_ecole"),
        ("demandeur_emploi", "demandeur_emploi"),
        ("Je ne suis plus à l'école", "sorti_ecole"),
        ("plus à l’école depuis juin", "sorti_ecole"),
        ("demandeur d’emploi", "demandeur_emploi"),
        ("Mon fils est au lycée", "parent"),
        ("ÉTUDIANTE en BTS", "etudiant"),
    ],
)
def test_situations_are_read_from_codes_and_words(text: str, situation: str) -> None:
    assert situation_from_text(text) == situation


@pytest.mark.parametrize(
    "text",
    ["J'ai plus envie de vivre", "on se moque de moi", "il m’a frappé", "HARCÈLEMENT au collège"],
)
def test_distress_is_recognised_whatever_the_spelling(text: str) -> None:
    assert sounds_like_distress(text)


def test_opening_hours_fold_day_names_but_keep_times_and_separators() -> None:
    expected = OpeningHours.parse("mon-fri 09:00-12:30,13:30-17:00").weekly
    for spec in (
        "Du Lundi Au Vendredi 9H-12H30 ET 13H30-17H",
        "LUN.-VEN. 9h-12h30, 13h30-17h",
        "du lundi au vendredi 9h à 12h30 et 13h30 à 17h",
    ):
        assert OpeningHours.parse(spec).weekly == expected, spec
