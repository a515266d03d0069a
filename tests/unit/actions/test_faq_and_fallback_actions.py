"""FAQ answers and the French two-stage fallback."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultAskAffirmation
from actions.faq import ActionAnswerFaq
from tests.factories import tracker


async def test_the_selected_faq_is_uttered_with_its_links_and_the_consent_once(
    db_url: str,
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq().run(dispatcher, tracker(faq_key="cleor"), {})
    assert dispatcher.messages[0]["response"] == "utter_faq/cleor"
    assert {"title": "Cléor Normandie", "url": "https://normandie.cleor.org"} in [
        {"title": b["title"], "url": b.get("url")} for b in dispatcher.messages[0]["buttons"]
    ]
    assert dispatcher.messages[1]["response"] == "utter_consent"
    assert SlotSet("consent_shown", True) in events


async def test_no_consent_notice_when_already_shown(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"consent_shown": True}
    await ActionAnswerFaq().run(dispatcher, tracker(faq_key="cleor", slots=slots), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq/cleor"]


async def test_a_confirmed_button_key_wins_over_the_selector(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "faq_key", "value": "ministage_quoi"}]
    t = tracker(
        intent="faq_confirm", entities=entities, faq_key="cleor", slots={"consent_shown": True}
    )
    await ActionAnswerFaq().run(dispatcher, t, {})
    assert dispatcher.messages[0]["response"] == "utter_faq/ministage_quoi"


async def test_an_unknown_key_asks_to_rephrase_instead_of_failing(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "faq_key", "value": "nope"}]
    await ActionAnswerFaq().run(dispatcher, tracker(intent="faq_confirm", entities=entities), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


async def test_affirmation_question_is_french_and_confirms_a_faq_by_key() -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        intent="nlu_fallback", faq_key="cleor", ranking=[("nlu_fallback", 0.5), ("faq", 0.4)]
    )
    await ActionDefaultAskAffirmation().run(dispatcher, t, {})
    message = dispatcher.messages[0]
    assert message["text"].startswith("Je ne suis pas sûr d'avoir compris. Tu voulais dire : « ")
    assert message["buttons"][0] == {"title": "Oui", "payload": '/faq_confirm{"faq_key":"cleor"}'}
    assert message["buttons"][1]["payload"] == "/out_of_scope"


async def test_affirmation_uses_vous_for_parents() -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        intent="nlu_fallback",
        ranking=[("nlu_fallback", 0.5), ("ask_human", 0.4)],
        slots={"register": "vous"},
    )
    await ActionDefaultAskAffirmation().run(dispatcher, t, {})
    assert "Vouliez-vous dire : parler à un conseiller ?" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/ask_human"


async def test_no_plausible_guess_asks_to_rephrase() -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="nlu_fallback", ranking=[("nlu_fallback", 0.5), ("out_of_scope", 0.3)])
    await ActionDefaultAskAffirmation().run(dispatcher, t, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"
