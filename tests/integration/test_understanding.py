"""Real-style messages through the real stack: searches typed in one sentence, places with
prepositions and departments, slot-first reading in forms, the register from the first
reply, and honest answers rather than confident wrong ones."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import Replay, buttons_of, new_user, texts_of

pytestmark = pytest.mark.rasa


def payloads(output: dict[str, object]) -> list[str]:
    return [b.get("payload", "") for b in buttons_of(output)]  # type: ignore[arg-type]


def test_an_ambassador_search_in_one_sentence_starts_with_metier_and_town_filled(
    replay: Replay,
) -> None:
    out = replay.say(new_user(), "je cherche un ambassadeur infirmier pres de Caen")
    text = texts_of(out).lower()
    assert "comment veux-tu échanger" in text, text  # the one detail still missing
    assert "quel métier" not in text
    assert "quelle commune" not in text


def test_a_bare_metier_and_town_asks_which_search_with_both_kept(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "coiffure rouen")
    stage = next(p for p in payloads(out) if p.startswith("/search_ministage"))
    assert '"town":"Rouen"' in stage
    out = replay.press(user, stage)
    assert "en quelle classe" in texts_of(out).lower()


def test_a_place_given_with_vers_or_as_a_department_is_accepted(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "je cherche un stage")
    assert "métier" in texts_of(out)
    out = replay.say(user, "boulangerie")
    assert "commune" in texts_of(out)
    out = replay.say(user, "dans la Manche")
    assert "classe" in texts_of(out).lower(), texts_of(out)

    other = new_user()
    replay.say(other, "je cherche un stage")
    replay.say(other, "cuisine")
    out = replay.say(other, "vers Caen")
    assert "classe" in texts_of(out).lower(), texts_of(out)


def test_a_metier_typed_as_the_answer_is_not_taken_for_a_faq_question(replay: Replay) -> None:
    user = new_user()
    replay.say(user, "je voudrais rencontrer un ambassadeur")
    out = replay.say(user, "vétérinaire")
    assert "commune" in texts_of(out), texts_of(out)


def test_a_parent_is_answered_with_vous_from_the_first_reply(replay: Replay) -> None:
    out = replay.say(new_user(), "mon fils de 16 ans a arrêté le lycée, qui peut nous aider ?")
    text = texts_of(out)
    assert re.search(r"\b(vous|votre|vos)\b", text), text
    assert not re.search(r"\b(tu|ton|ta|tes|toi)\b", text), text


def test_an_off_topic_question_gets_an_honest_answer_not_a_wrong_faq(replay: Replay) -> None:
    out = replay.say(new_user(), "je voudrais un job d'été pour me faire de l'argent de poche")
    text = texts_of(out).lower()
    assert "pas d'information fiable" in text or "je ne peux pas" in text, text
    assert "numéro gratuit" in text or "/ask_human" in payloads(out)


def test_a_first_miss_never_says_still_not_understood(replay: Replay) -> None:
    out = replay.say(new_user(), "blorp zzz qwerty")
    assert "toujours pas" not in texts_of(out)
    assert "/ask_human" in payloads(out)


def test_a_request_message_naming_a_metier_is_the_message_not_a_new_search(
    replay: Replay,
) -> None:
    user = new_user()
    out = replay.say(user, "je cherche un stage de 3e en boulangerie à Caen")
    for _ in range(2):  # the form may still ask for a missing detail
        if any(p.startswith("/choose_target") for p in payloads(out)):
            break
        question = texts_of(out).lower()
        out = replay.say(user, "3e" if "classe" in question else "caen")
    offers = [p for p in payloads(out) if p.startswith("/choose_target")]
    assert offers, texts_of(out)
    details = replay.press(user, offers[0])
    request = next(p for p in payloads(details) if p.startswith("/request_contact"))
    replay.press(user, request)
    out = replay.say(user, "il voudrait faire un stage chez un boulanger, surtout le matin")
    assert "disponible" in texts_of(out), texts_of(out)  # the next question, not results
    filed = replay.say(user, "pendant les vacances de février")
    assert "C'est envoyé" in texts_of(filed), texts_of(filed)
