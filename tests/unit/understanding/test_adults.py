"""Someone who says they are an adult is never answered or offered an entry about minors."""

from __future__ import annotations

import pytest

from parcours.faq import catalogue_of
from parcours.understanding.decision import (
    ADULT,
    Decision,
    Move,
    for_an_adult,
    stated_age,
)

MINORS = {"travail_mineur"}


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("jai 20 ans je cherche du travail et une formation", 20),
        ("Bonjour, j'ai 25 ans et je veux me reconvertir", 25),
        ("J’ai 17 ans", 17),
        ("g 19ans et plus de boulot", 19),
        ("mon fils a 16 ans", None),  # not the writer's own age
        ("il y a 20 ans j'étais apprenti", None),
    ],
)
def test_the_age_a_writer_gives_of_themselves(text: str, age: int | None) -> None:
    assert stated_age(text) == age


def test_an_adult_is_not_offered_the_minors_entry_but_keeps_the_other_offer() -> None:
    decision = Decision(Move.CLARIFY, ("travail_mineur", "emploi_jeunes"), "plausible")
    assert for_an_adult(decision, MINORS).keys == ("emploi_jeunes",)
    assert for_an_adult(decision, MINORS).move is Move.CLARIFY


def test_an_adult_gets_an_honest_unknown_rather_than_the_minors_answer() -> None:
    for move in (Move.ANSWER, Move.CLARIFY):
        assert for_an_adult(Decision(move, ("travail_mineur",)), MINORS).move is Move.ABSTAIN


def test_other_decisions_are_untouched() -> None:
    decision = Decision(Move.ANSWER, ("emploi_jeunes",), "2 readings agree")
    assert for_an_adult(decision, MINORS) is decision
    assert ADULT == 18


@pytest.mark.parametrize("region", ["normandie", "grand-est"])
def test_the_minors_entries_are_marked_in_every_region(region: str) -> None:
    marked = {k for k, e in catalogue_of(region).by_key().items() if e.for_minors}
    assert {"travail_mineur", "ministage_regles_mineurs"} <= marked
