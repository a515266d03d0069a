"""The guided search through the real stack, on the shipped demo data."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Replay, buttons_of, new_user, texts_of

pytestmark = pytest.mark.rasa


def test_a_pupil_finds_a_bakery_mini_stage_near_caen_and_files_a_request(
    replay: Replay,
) -> None:
    user = new_user()
    turns = 1
    out = replay.say(user, "je cherche un stage de 3eme en boulangerie vers caen")
    offers = [b for b in buttons_of(out) if "choose_target" in b.get("payload", "")]
    while not offers and turns < 3:  # the form may still ask for a missing detail
        question = texts_of(out).lower()
        answer = "3e" if "classe" in question else "caen" if "commune" in question else "boulanger"
        out = replay.say(user, answer)
        turns += 1
        offers = [b for b in buttons_of(out) if "choose_target" in b.get("payload", "")]
    assert offers, texts_of(out)
    assert "3 à 5 jours" in texts_of(out)
    details = replay.press(user, offers[0]["payload"])
    request = next(b for b in buttons_of(details) if "request_contact" in b["payload"])
    replay.press(user, request["payload"])
    replay.say(user, "Je voudrais voir comment on fait le pain le matin")
    filed = replay.say(user, "pendant les vacances de février")
    turns += 4
    assert "C'est envoyé" in texts_of(filed), texts_of(filed)
    assert turns <= 6
    status = replay.say(user, "où en est ma demande ?")
    assert "envoyée, réponse attendue avant le" in texts_of(status)


def test_a_faq_question_in_the_middle_of_a_search_is_answered_then_the_search_goes_on(
    replay: Replay,
) -> None:
    user = new_user()
    out = replay.say(user, "je cherche un stage")
    assert "métier" in texts_of(out)
    out = replay.say(user, "c'est quoi le numéro pour le décrochage ?")
    assert "0 800 122 500" in texts_of(out)
    assert "métier" in texts_of(out)


def test_an_ambassador_search_lists_people_without_private_contact(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "je voudrais parler a un chaudronnier en visio, j'habite a rouen")
    for _ in range(2):
        if any("choose_target" in b.get("payload", "") for b in buttons_of(out)):
            break
        question = texts_of(out).lower()
        out = replay.say(
            user,
            "en visio"
            if "comment" in question
            else "rouen"
            if "commune" in question
            else "chaudronnier",
        )
    people = [b for b in buttons_of(out) if "choose_target" in b.get("payload", "")]
    assert people, texts_of(out)
    details = texts_of(replay.press(user, people[0]["payload"]))
    assert "10 jours" in details
    assert "@" not in details


def test_a_dropout_from_lisieux_is_sent_to_the_nearest_mission_locale_and_psad(
    replay: Replay,
) -> None:
    out = replay.say(new_user(), "j'ai 17 ans, j'ai quitté le lycée, j'habite à Lisieux")
    text = texts_of(out)
    assert "0 800 122 500" in text
    assert "Près de Lisieux" in text
    assert "Mission locale" in text
    assert "PSAD" in text
    assert "16–25 ans" in text


def test_more_offers_are_shown_on_demand(replay: Replay) -> None:
    user = new_user()
    replay.say(user, "je cherche un stage en boulangerie")
    replay.say(user, "caen")
    out = replay.press(user, '/inform{"school_level":"college"}')
    assert {"title": "Voir plus", "payload": "/search_more"} in buttons_of(out), texts_of(out)
    more = replay.press(user, "/search_more")
    assert "Résultats 6 à" in texts_of(more)
