"""The FAQ decision (answer, clarifying question, honest abstention) and the register read
from the message itself."""

from __future__ import annotations

import pytest

from parcours.understanding.decision import Decision, Move, Reading, Thresholds, decide
from parcours.understanding.register import role_in_message, writes_with_vous

T = Thresholds(
    vote_selector=0.2, vote_words=0.25, vote_meaning=0.65, alone=0.8, offer_selector=0.3
)


def test_two_readings_naming_the_same_entry_answer() -> None:
    reading = Reading(
        [("cleor", 0.3), ("fiche_metier", 0.1)],
        words=[("faq/cleor", 0.5), ("faq/cio", 0.3)],
        meaning=[("help", 0.7)],
    )
    assert decide(reading, T) == Decision(Move.ANSWER, ("cleor",), "2 readings agree")


def test_words_and_meaning_can_outvote_a_weak_selector() -> None:
    reading = Reading(
        [("horaires", 0.1)],
        words=[("faq/apprentissage", 0.4)],
        meaning=[("faq/apprentissage", 0.7)],
    )
    assert decide(reading, T).keys == ("apprentissage",)


def test_a_sure_selector_answers_alone_when_the_words_have_it_close() -> None:
    reading = Reading(
        [("gratuite", 0.85), ("horaires", 0.02)],
        words=[("faq/horaires", 0.3), ("faq/gratuite", 0.28)],
        meaning=[("faq/cio", 0.6)],
    )
    assert decide(reading, T) == Decision(Move.ANSWER, ("gratuite",), "selector sure, words close")


def test_a_sure_selector_whose_answer_the_words_do_not_see_is_not_trusted() -> None:
    reading = Reading([("horaires", 0.95)], words=[("faq/cio", 0.2), ("faq/cleor", 0.2)])
    assert decide(reading, T) == Decision(Move.CLARIFY, ("horaires",), "plausible, not sure")


def test_disagreeing_readings_offer_their_answers() -> None:
    reading = Reading(
        [("quinzaine_apprentissage", 0.55), ("apprentissage", 0.3)],
        words=[("faq/apprentissage", 0.45)],
        meaning=[("faq/cio", 0.5)],
    )
    decision = decide(reading, T)
    assert decision.move is Move.CLARIFY
    assert decision.keys == ("quinzaine_apprentissage", "apprentissage")


def test_a_message_closest_to_off_topic_examples_is_not_answered() -> None:
    reading = Reading(
        [("gratuite", 0.5)], words=[("out_of_scope", 0.5)], meaning=[("faq/gratuite", 0.5)]
    )
    assert decide(reading, T).move is Move.ABSTAIN


def test_weak_readings_are_neither_answered_nor_guessed() -> None:
    reading = Reading(
        [("horaires", 0.2)], words=[("faq/gratuite", 0.2)], meaning=[("faq/cio", 0.5)]
    )
    assert decide(reading, T).move is Move.ABSTAIN


def test_no_reading_at_all_abstains() -> None:
    assert decide(Reading([]), T).move is Move.ABSTAIN


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("mon fils veut arrêter le lycée", "parent"),
        ("Ma fille est en 3e, elle cherche un stage", "parent"),
        ("mon ado ne sait pas quoi faire", "parent"),
        ("je suis professeur principal et mes élèves cherchent des stages", "professionnel"),
        ("mon prof m'a dit de chercher un stage", None),
        ("je suis en 3e", None),
    ],
)
def test_the_role_is_read_from_the_message(text: str, role: str | None) -> None:
    assert role_in_message(text) == role


@pytest.mark.parametrize(
    ("text", "vous"),
    [
        ("Bonjour, pouvez-vous m'aider à trouver un stage ?", True),
        ("je vous remercie", True),
        ("mon fils de 16 ans a quitté le lycée", True),
        ("tu peux m'aider stp", False),
        ("je cherche un stage", False),
    ],
)
def test_a_message_written_with_vous_is_answered_with_vous(text: str, vous: bool) -> None:
    assert writes_with_vous(text) is vous
