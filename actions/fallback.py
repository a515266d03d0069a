"""Two-stage fallback in French: "did you mean …?" with buttons, instead of Rasa's English."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.safeguarding import answer_safeguarding
from parcours.faq import catalogue
from parcours.safeguarding import sounds_like_distress
from parcours.settings import get_settings

#: How a top-level intent is described in the confirmation question.
INTENT_LABELS = {
    "ask_human": "parler à un conseiller",
    "greet": "dire bonjour",
    "goodbye": "dire au revoir",
    "thank": "dire merci",
    "help": "voir ce que je sais faire",
    "set_role": "dire qui tu es",
    "tell_age": "donner ton âge",
}
_NOT_CONFIRMABLE = frozenset({"nlu_fallback", "out_of_scope", "affirm", "deny", "faq"})


def best_guess(tracker: Tracker) -> tuple[str, str] | None:
    """(label, payload) of the best non-fallback interpretation of the last message."""
    message = tracker.latest_message
    ranking = message.get("intent_ranking") or []
    top = next((i["name"] for i in ranking if i["name"] != "nlu_fallback"), None)
    if top == "faq":
        selector = message.get("response_selector", {}).get("faq", {})
        key = (selector.get("response", {}).get("intent_response_key") or "").removeprefix("faq/")
        entry = catalogue().by_key().get(key)
        if entry is None:
            return None
        return f"« {entry.title} »", f'/faq_confirm{{"faq_key":"{key}"}}'
    if top is None or top in _NOT_CONFIRMABLE or top not in INTENT_LABELS:
        return None
    return INTENT_LABELS[top], f"/{top}"


class ActionDefaultAskAffirmation(Action):
    """Ask the user to confirm the best guess, or to rephrase when there is none."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if sounds_like_distress(str(tracker.latest_message.get("text") or "")):
            answer_safeguarding(tracker, dispatcher)
            return []
        guess = best_guess(tracker)
        if guess is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        label, payload = guess
        vous = tracker.get_slot("register") == "vous"
        question = "Vouliez-vous dire" if vous else "Tu voulais dire"
        dispatcher.utter_message(
            text=f"Je ne suis pas sûr d'avoir compris. {question} : {label} ?",
            buttons=[
                {"title": "Oui", "payload": payload},
                {"title": "Non, autre chose", "payload": "/out_of_scope"},
            ],
        )
        return []


class ActionCoreFallback(Action):
    """The dialogue does not know what to do next: offer a human or the free number.

    A custom action on purpose: when the action server is down, this fails too, the REST
    reply is empty, and the front end says "technical problem" instead of "not understood".
    """

    def name(self) -> str:
        return "action_core_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]


def not_understood_in_a_row(tracker: Tracker) -> int:
    """How many of the user's last turns NLU did not understand, back to one it did.

    A press on "Non, autre chose" (the `/out_of_scope` button of the confirmation question)
    is the user's answer to the guess, not a new message: it is skipped, not counted.
    """
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent == "nlu_fallback":
            count += 1
        elif intent == "out_of_scope" and str(event.get("text") or "").startswith("/"):
            continue
        else:
            break
    return count


class ActionDefaultFallback(Action):
    """Two-stage fallback gave up: after two messages in a row not understood, a human.

    Overrides Rasa's `action_default_fallback`, which the two-stage fallback runs when it
    gives up. One message not understood alone never gets here.
    """

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not_understood_in_a_row(tracker) < 2:
            dispatcher.utter_message(response="utter_default")
            return [UserUtteranceReverted()]
        dispatcher.utter_message(
            response="utter_fallback_handoff", pm_number=get_settings().pm_number_phrase
        )
        dispatcher.utter_message(json_message={"handoff": {"reason": "fallbacks"}})
        return [UserUtteranceReverted()]
