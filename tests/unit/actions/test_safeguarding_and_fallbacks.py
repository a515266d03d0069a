"""Distress gets helplines and an urgent hand-off; two fallbacks in a row get a human."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import (
    ActionUnderstandFallback,
    not_understood_in_a_row,
)
from actions.faq import ActionAnswerFaq
from actions.safeguarding import ActionSafeguarding
from parcours import safeguarding
from parcours.settings import Settings, get_settings
from tests.factories import tracker
from tests.unit.responses import render


def handoffs(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    return [m["custom"]["handoff"] for m in dispatcher.messages if m.get("custom")]


async def test_distress_gets_care_helplines_the_free_number_and_an_urgent_handoff(
    settings: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionSafeguarding().run(dispatcher, tracker(intent="safeguarding"), {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert responses[0] == "utter_safeguarding_care"
    helplines = render(dispatcher.messages[1])
    assert helplines.startswith("Tu peux appeler, c'est gratuit :\n📞 ")
    assert render(dispatcher.messages[1], register="vous").startswith("Vous pouvez appeler")
    assert "119" in helplines
    assert "3114" in helplines
    assert "3020" in helplines
    human = dispatcher.messages[2]
    assert human["response"] == "utter_safeguarding_human"
    assert human["pm_number"] == settings.pm_number_phrase
    assert handoffs(dispatcher) == [{"reason": "safeguarding", "urgent": True}]


async def test_in_production_unvalidated_helplines_are_not_shown_but_help_still_is(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRODUCTION", "true")
    for name in (
        "RASA_TOKEN",
        "RASA_CHANNEL_SECRET",
        "ACTION_SERVER_SECRET",
        "LOG_SALT",
        "WEB_SECRET",
    ):
        monkeypatch.setenv(name, "production-secret-" + "x" * 32)  # refused if weak
    monkeypatch.setenv("PARCOURS_METIER_NUMBER", "0 800 05 00 00")
    get_settings.cache_clear()
    safeguarding._cached.cache_clear()
    dispatcher = CollectingDispatcher()
    await ActionSafeguarding().run(dispatcher, tracker(intent="safeguarding"), {})
    assert not any("📞" in render(m) for m in dispatcher.messages if not m.get("custom"))
    human = next(m for m in dispatcher.messages if m.get("response") == "utter_safeguarding_human")
    assert "0 800 05 00 00" in human["pm_number"]
    assert handoffs(dispatcher) == [{"reason": "safeguarding", "urgent": True}]
    get_settings.cache_clear()


async def test_a_distress_message_the_nlu_missed_is_not_answered_with_did_you_mean(
    settings: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="nlu_fallback", text="jveu mourir", ranking=[("greet", 0.3)])
    await ActionUnderstandFallback().run(dispatcher, t, {})
    assert dispatcher.messages[0]["response"] == "utter_safeguarding_care"
    assert handoffs(dispatcher) == [{"reason": "safeguarding", "urgent": True}]


async def test_a_distress_message_taken_for_a_faq_gets_the_safeguarding_answer(
    settings: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(text="mon pere me met des claques tous les soirs", faq_key="cleor")
    await ActionAnswerFaq().run(dispatcher, t, {})
    assert dispatcher.messages[0]["response"] == "utter_safeguarding_care"
    assert handoffs(dispatcher) == [{"reason": "safeguarding", "urgent": True}]


def user(intent: str, text: str = "blabla") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def with_events(*events: dict[str, Any]) -> Tracker:
    t = tracker(intent="nlu_fallback")
    t.events = list(events)
    return t


def test_not_understood_turns_are_counted_back_to_one_understood() -> None:
    action = {"event": "action", "name": "action_listen"}
    assert not_understood_in_a_row(with_events(user("greet"), action, user("nlu_fallback"))) == 1
    two = with_events(user("faq"), user("nlu_fallback"), action, user("nlu_fallback"))
    assert not_understood_in_a_row(two) == 2
    # "Autre chose" pressed between them answers the clarifying question: not a new message.
    pressed = with_events(user("nlu_fallback"), user("deny", "/deny"), user("nlu_fallback"))
    assert not_understood_in_a_row(pressed) == 2


async def test_two_fallbacks_in_a_row_hand_over_to_a_coordinator(settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    t = with_events(user("greet"), user("nlu_fallback"), user("nlu_fallback"))
    await ActionUnderstandFallback().run(dispatcher, t, {})
    assert dispatcher.messages[0]["response"] == "utter_fallback_handoff"
    assert handoffs(dispatcher) == [{"reason": "fallbacks"}]


async def test_one_fallback_alone_does_not_escalate(settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    t = with_events(user("greet"), user("nlu_fallback"))
    await ActionUnderstandFallback().run(dispatcher, t, {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_ask_rephrase"]
    assert handoffs(dispatcher) == []
