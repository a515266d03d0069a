"""Real conversations through `python -m bot replay` → Rasa → action server → database."""

from __future__ import annotations

import json

import pytest

from parcours.faq import catalogue
from tests.integration.conftest import Replay, buttons_of, new_user, texts_of

pytestmark = pytest.mark.rasa


def test_a_dropout_question_gets_the_national_number_first(replay: Replay) -> None:
    out = replay.say(new_user(), "c koi le numero pour le decrochage scolaire")
    assert "0 800 122 500" in out["replies"][0]["text"]
    assert out["handoff"] == "bot"


def test_the_consent_notice_follows_the_first_answer_and_is_shown_once(replay: Replay) -> None:
    user = new_user()
    first = texts_of(replay.say(user, "c'est quoi cleor"))
    assert "/oubli" in first
    assert "/mes_donnees" in first
    second = texts_of(replay.say(user, "un mini stage dure combien de temps"))
    assert "/oubli" not in second


def test_asking_for_someone_offers_a_human_and_puts_the_chat_in_waiting(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "jveux parler a qqn")
    assert "conseiller" in texts_of(out)
    assert out["handoff"] == "waiting"
    relayed = replay.say(user, "je suis toujours là")
    assert relayed["handoff"] == "waiting"
    assert "transmis" in texts_of(relayed)
    back = replay.press(user, "/cancel_handoff")
    assert back["handoff"] == "bot"


def test_hello_gets_consent_then_the_role_question_with_buttons(replay: Replay) -> None:
    out = replay.say(new_user(), "bonjour")
    text = texts_of(out)
    assert "/oubli" in text
    titles = [b["title"] for b in buttons_of(out)]
    assert {"Parent", "Élève ou étudiant(e)", "Demandeur d'emploi"} <= set(titles)


def test_a_pupil_is_asked_their_age_and_then_sees_the_menu(replay: Replay) -> None:
    user = new_user()
    replay.say(user, "salut")
    out = replay.press(user, '/set_role{"role":"eleve"}')
    assert "quel âge" in texts_of(out)
    out = replay.press(user, '/tell_age{"age_band":"15_17"}')
    assert any(b.get("payload") == "/ask_human" for b in buttons_of(out))


def test_under_15_the_privacy_notice_speaks_to_a_parent_too_once(replay: Replay) -> None:
    user = new_user()
    hello = texts_of(replay.say(user, "salut"))
    assert "RGPD" in hello, "the notice states its legal basis"
    replay.press(user, '/set_role{"role":"eleve"}')
    out = texts_of(replay.press(user, '/tell_age{"age_band":"moins_15"}'))
    assert "montre ce message à un de tes parents" in out
    assert "/oubli" in out
    again = texts_of(replay.press(user, '/tell_age{"age_band":"moins_15"}'))
    assert "tes parents" not in again


def test_a_parent_is_answered_with_vous(replay: Replay) -> None:
    entry = catalogue().by_key()["conseil_visio"]
    assert entry.answer != entry.answer_vous
    user = new_user()
    replay.say(user, "bonjour")
    replay.press(user, '/set_role{"role":"parent"}')
    out = replay.press(user, '/faq_confirm{"faq_key":"conseil_visio"}')
    number = "le numéro gratuit Parcours Métier"
    assert out["replies"][0]["text"] == entry.answer_vous.replace("{pm_number}", number)


def test_a_pupil_is_answered_with_tu(replay: Replay) -> None:
    entry = catalogue().by_key()["conseil_visio"]
    out = replay.press(new_user(), '/faq_confirm{"faq_key":"conseil_visio"}')
    number = "le numéro gratuit Parcours Métier"
    assert out["replies"][0]["text"] == entry.answer.replace("{pm_number}", number)


def test_a_role_typed_in_words_is_understood(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "je suis la mère d'une collégienne")
    assert "noté" in texts_of(out)


def test_a_button_from_the_menu_answers_the_faq(replay: Replay) -> None:
    out = replay.press(new_user(), '/faq_confirm{"faq_key":"ministage_trouver"}')
    assert "destination-metier" in json.dumps(out).lower()


def test_a_forged_button_gets_a_polite_menu(replay: Replay) -> None:
    out = replay.press(new_user(), "/EXTERNAL_handback")
    assert "plus valable" in texts_of(out)
    assert buttons_of(out)


def test_off_topic_gets_an_honest_answer_and_a_way_forward(replay: Replay) -> None:
    out = replay.say(new_user(), "tu connais une bonne recette de crepes")
    assert "Je ne peux pas" in texts_of(out)
    assert any(b.get("payload") == "/ask_human" for b in buttons_of(out))


def test_a_question_without_source_is_not_guessed(replay: Replay) -> None:
    out = replay.say(new_user(), "comment je fais mes voeux sur parcoursup")
    text = texts_of(out).lower()
    assert "parcours métier" in text or any(
        b.get("payload") == "/ask_human" for b in buttons_of(out)
    )


def test_malformed_lines_get_an_error_object(replay: Replay) -> None:
    assert "error" in replay.raw("not json")
    assert "error" in replay.raw(json.dumps({"user": "x"}))
    assert "error" in replay.raw(json.dumps({"user": "x", "text": "a", "button": "/menu"}))


def test_typed_payloads_are_read_as_text_not_as_intents(replay: Replay) -> None:
    out = replay.say(new_user(), "/EXTERNAL_handback")
    assert "Me revoilà" not in texts_of(out)


def test_an_emoji_alone_gets_an_answer(replay: Replay) -> None:
    assert texts_of(replay.say(new_user(), "🐙"))
    assert texts_of(replay.say(new_user(), "👍"))


def test_very_long_text_is_truncated_and_answered(replay: Replay) -> None:
    out = replay.say(new_user(), "stage " * 20_000)
    assert "très long" in texts_of(out)
