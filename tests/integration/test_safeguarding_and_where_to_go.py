"""Distress, repeated misunderstandings, drop-outs, where to go and shared locations, through
the real stack (trained model, Rasa, action server, replay)."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Replay, buttons_of, new_user, texts_of

#: Short messages that carry no question; most of them fall back (never an FAQ answer).
NOT_UNDERSTOOD = ("bref", "xd", "euh", "hein", "hmm", "le truc la bas", "bof", "mouais", "tkt")

pytestmark = pytest.mark.rasa

LISIEUX = '/share_location{"latitude": 49.146, "longitude": 0.226}'


def test_harassment_gets_helplines_at_once_and_an_urgent_human(replay: Replay) -> None:
    out = replay.say(new_user(), "je me fais harceler au collège et j'en peux plus")
    text = texts_of(out)
    assert "3020" in text
    assert "119" in text
    assert "Parcours Métier" in text
    assert out["handoff"] == "waiting"


def test_distress_in_the_middle_of_a_search_stops_it_and_calls_a_human(replay: Replay) -> None:
    user = new_user()
    replay.say(user, "je cherche un stage")
    out = replay.say(user, "je veux mourir")
    assert "3114" in texts_of(out)
    assert out["handoff"] == "waiting"


def test_two_messages_not_understood_in_a_row_hand_over_but_one_does_not(
    replay: Replay,
) -> None:
    # Which short words the model does not understand changes with each training (some read
    # as off-topic instead): take the first two candidates that fall back on their own.
    words = [
        w for w in NOT_UNDERSTOOD if "pas bien compris" in texts_of(replay.say(new_user(), w))
    ]
    assert len(words) >= 2, f"fewer than two of {NOT_UNDERSTOOD} fall back: {words}"
    user = new_user()
    first = replay.say(user, words[0])
    assert "pas bien compris" in texts_of(first), texts_of(first)
    assert "toujours pas" not in texts_of(first)  # never on a first miss
    assert first["handoff"] == "bot"
    second = replay.say(user, words[1])
    assert second["handoff"] == "waiting", texts_of(second)
    assert "coordinateur" in texts_of(second)


def test_a_dropout_gets_the_free_number_and_a_human_offered_not_forced(replay: Replay) -> None:
    out = replay.say(new_user(), "j'ai arrêté les cours")
    assert "0 800 122 500" in texts_of(out)
    assert "Mission locale" in texts_of(out)
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in buttons_of(out)
    assert out["handoff"] == "bot"


def test_a_parent_asking_where_to_go_is_asked_only_what_is_missing(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "à qui demander de l'aide pour mon fils de 17 ans ?")
    assert "commune" in texts_of(out).lower(), texts_of(out)
    out = replay.say(user, "Lisieux")
    for _ in range(2):  # situation and age may already be known from the first message
        if "Près de Lisieux" in texts_of(out):
            break
        payloads = [b["payload"] for b in buttons_of(out)]
        choice = next(
            (p for p in payloads if '"parent"' in p or '"15_17"' in p),
            payloads[0] if payloads else "",
        )
        out = replay.press(user, choice)
    text = texts_of(out)
    assert "Près de Lisieux, vous pouvez aller voir" in text, text
    assert "Mission locale" in text
    assert "Atouts" not in text
    assert "Parcours Métier" in text
    # The nearest place, as a venue bubble (docs/REPLAY.md): named after it, with its point.
    venue = next(r for r in out["replies"] if "location" in r)
    assert venue["text"] == venue["location"]["title"]
    assert "(démo)" in venue["text"]
    assert set(venue["location"]) == {"latitude", "longitude", "title", "address"}


def test_a_shared_location_answers_the_town_question(replay: Replay) -> None:
    user = new_user()
    out = replay.say(user, "je cherche une structure près de chez moi")
    assert "commune" in texts_of(out).lower(), texts_of(out)
    out = replay.press(user, LISIEUX)
    text = texts_of(out)
    assert "Tu es du côté de Lisieux (Calvados) : c'est noté." in text
    assert any('"situation"' in b["payload"] for b in buttons_of(out)), text
    out = replay.press(user, '/inform{"situation":"salarie"}')
    assert "Transitions Pro" in texts_of(out) or "Parcours Métier" in texts_of(out)
