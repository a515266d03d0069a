"""FAQ answers, clarifying questions, honest abstentions, and messages not understood."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionOutOfScope, ActionUnderstandFallback
from actions.faq import ActionAnswerFaq
from parcours.db.engine import session_scope
from parcours.faq import catalogue
from parcours.models import User
from tests.factories import tracker


def answer_of(key: str, *, vous: bool = False) -> str:
    entry = catalogue().by_key()[key]
    text = entry.answer_vous if vous else entry.answer
    return text.format(pm_number="le numéro gratuit Parcours Métier")


async def test_the_selected_faq_is_uttered_with_its_links_and_the_consent_once(
    db_url: str,
) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "faq_key", "value": "cleor"}]
    events = await ActionAnswerFaq().run(
        dispatcher, tracker(intent="faq_confirm", entities=entities), {}
    )
    assert dispatcher.messages[0]["text"] == answer_of("cleor")
    assert {"title": "Cléor Normandie", "url": "https://normandie.cleor.org"} in [
        {"title": b["title"], "url": b.get("url")} for b in dispatcher.messages[0]["buttons"]
    ]
    assert dispatcher.messages[1]["response"] == "utter_consent"
    assert SlotSet("consent_shown", True) in events


async def test_no_consent_notice_when_already_shown(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "faq_key", "value": "cleor"}]
    t = tracker(intent="faq_confirm", entities=entities, slots={"consent_shown": True})
    await ActionAnswerFaq().run(dispatcher, t, {})
    assert [m["text"] for m in dispatcher.messages] == [answer_of("cleor")]


async def test_a_confirmed_button_key_wins_over_the_selector(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "faq_key", "value": "ministage_quoi"}]
    t = tracker(
        intent="faq_confirm", entities=entities, faq_key="cleor", slots={"consent_shown": True}
    )
    await ActionAnswerFaq().run(dispatcher, t, {})
    assert dispatcher.messages[0]["text"] == answer_of("ministage_quoi")


async def test_an_unknown_key_asks_to_rephrase_instead_of_failing(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "faq_key", "value": "nope"}]
    await ActionAnswerFaq().run(dispatcher, tracker(intent="faq_confirm", entities=entities), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


async def test_a_sure_question_both_readings_agree_on_is_answered(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="c quoi cleor le site des metiers",
        selector=[("cleor", 0.97), ("fiche_metier", 0.01)],
        slots={"consent_shown": True},
    )
    await ActionAnswerFaq().run(dispatcher, t, {})
    assert dispatcher.messages[0]["text"] == answer_of("cleor")


async def test_a_close_call_asks_which_question_with_the_candidates_as_buttons(
    db_url: str,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="j'ai 18 ans et toujours pas d'apprentissage",
        selector=[("quinzaine_apprentissage", 0.45), ("apprentissage", 0.3)],
    )
    await ActionAnswerFaq().run(dispatcher, t, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_faq_clarify"
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/faq_confirm{"faq_key":"apprentissage"}' in payloads
    assert payloads[-1] == "/deny"


async def test_a_confident_selector_on_an_unrelated_message_abstains_honestly(
    db_url: str,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(text="zzz qwerty blorp", selector=[("horaires", 0.99), ("cio", 0.001)])
    await ActionAnswerFaq().run(dispatcher, t, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_abstain"]


async def test_a_parent_is_answered_with_vous_from_the_first_reply(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        text="ma fille voudrait savoir ce qu'est cleor, le site sur les metiers",
        selector=[("cleor", 0.95), ("fiche_metier", 0.01)],
        slots={"consent_shown": True},
    )
    events = await ActionAnswerFaq().run(dispatcher, t, {})
    assert dispatcher.messages[0]["text"] == answer_of("cleor", vous=True)
    assert SlotSet("register", "vous") in events
    assert SlotSet("role", "parent") in events
    with session_scope() as session:
        user = session.get(User, "u1")
        assert user is not None
        assert user.role == "parent"


async def test_a_first_miss_asks_to_rephrase_and_never_says_still_not_understood(
    db_url: str,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="nlu_fallback", text="blorp zzz", ranking=[("nlu_fallback", 0.6)])
    events = await ActionUnderstandFallback().run(dispatcher, t, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
    assert events == []


async def test_a_miss_with_a_plausible_intent_offers_it_as_a_button(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        intent="nlu_fallback",
        text="bla bla stage",
        ranking=[("nlu_fallback", 0.6), ("search_ministage", 0.5)],
    )
    await ActionUnderstandFallback().run(dispatcher, t, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_faq_clarify"
    assert message["buttons"][0]["payload"] == "/search_ministage"


async def test_off_topic_gets_the_honest_answer(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="out_of_scope", text="tu peux me donner la meteo de demain")
    await ActionOutOfScope().run(dispatcher, t, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
