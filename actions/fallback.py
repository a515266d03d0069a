"""Messages the NLU did not understand, or read as off-topic: never a confident guess.

A search typed the way people type it is still found (actions/understanding.py); otherwise
the assistant asks ("tu parles de … ?", with buttons) when something is plausible, or says
that it did not understand, with a way forward. Only a second miss in a row hands the chat
to a person; "toujours pas compris" is never said on a first miss.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import Guarded
from actions.safeguarding import answer_safeguarding
from actions.understanding import (
    clarify,
    faq_decision,
    register_of,
    said,
    say,
    start_search,
)
from parcours.safeguarding import sounds_like_distress
from parcours.understanding.decision import Move

#: How a top-level intent is offered as a button of a clarifying question.
INTENT_LABELS = {
    "ask_human": "Parler à un conseiller",
    "search_ministage": "Chercher un stage découverte",
    "search_ambassador": "Rencontrer un ambassadeur",
    "where_to_go": "Où aller près de chez moi",
    "request_status": "Où en est ma demande ?",
}
#: Payloads of "none of these" buttons: the user's answer to a question, not a new message.
_WAY_OUT = ("/deny", "/out_of_scope")


def not_understood_in_a_row(tracker: Tracker) -> int:
    """How many of the user's last turns NLU did not understand, back to one it did.

    A press on a "none of these" button is the user's answer to a clarifying question, not
    a new message: it is skipped, not counted.
    """
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent == "nlu_fallback":
            count += 1
        elif str(event.get("text") or "").startswith(_WAY_OUT):
            continue
        else:
            break
    return count


def _intent_guess(tracker: Tracker) -> str | None:
    """The best non-fallback intent, when it is one that can be offered as a button."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    top = next((i["name"] for i in ranking if i["name"] != "nlu_fallback"), None)
    return top if top in INTENT_LABELS else None


class ActionUnderstandFallback(Guarded, Action):
    """Not understood: a search, a clarifying question, or "rephrase" (a person after two)."""

    def name(self) -> str:
        return "action_understand_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if sounds_like_distress(said(tracker)):
            answer_safeguarding(tracker, dispatcher)
            return []
        vous, events = register_of(tracker)
        search = start_search(tracker, dispatcher, domain, vous=vous)
        if search is not None:
            return [*events, *search]
        if not_understood_in_a_row(tracker) >= 2:
            say(dispatcher, domain, "utter_fallback_handoff", vous=vous, buttons=[])
            dispatcher.utter_message(json_message={"handoff": {"reason": "fallbacks"}})
            return events
        decision = faq_decision(tracker)
        guess = _intent_guess(tracker)
        if decision.move is not Move.ABSTAIN:
            clarify(dispatcher, domain, decision.keys, vous=vous)
        elif guess is not None:
            title = INTENT_LABELS[guess]
            say(
                dispatcher,
                domain,
                "utter_faq_clarify",
                vous=vous,
                buttons=[{"title": title, "payload": f"/{guess}"}, _other()],
                options=f"« {title} »",
            )
        else:
            say(dispatcher, domain, "utter_ask_rephrase", vous=vous)
        return events


def _other() -> dict[str, str]:
    return {"title": "Autre chose", "payload": "/deny"}


class ActionOutOfScope(Guarded, Action):
    """Off-topic: a search typed as people type it, a plausible FAQ offered, else honesty."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if sounds_like_distress(said(tracker)):
            answer_safeguarding(tracker, dispatcher)
            return []
        vous, events = register_of(tracker)
        search = start_search(tracker, dispatcher, domain, vous=vous)
        if search is not None:
            return [*events, *search]
        decision = faq_decision(tracker) if said(tracker) else None
        if decision is not None and decision.move is Move.ANSWER:
            # Both readings see a FAQ question the intent classifier took for off-topic: ask.
            clarify(dispatcher, domain, decision.keys, vous=vous)
        else:
            say(dispatcher, domain, "utter_out_of_scope", vous=vous)
        return events


class ActionCoreFallback(Guarded, Action):
    """The dialogue does not know what to do next: a search if the message is one, else
    "rephrase" with the menu, a person and the free number (never "still not understood").

    A custom action on purpose: when the action server is down, this fails too, the REST
    reply is empty, and the front end says "technical problem" instead of "not understood".
    """

    def name(self) -> str:
        return "action_core_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        vous, events = register_of(tracker)
        search = start_search(tracker, dispatcher, domain, vous=vous)
        if search:  # "coiffure rouen" read as a bare form answer: the search starts
            return [*events, *search]
        if search is None:
            say(dispatcher, domain, "utter_ask_rephrase", vous=vous)
        # Reverted, so that the policies listen again instead of predicting this action anew.
        return [*events, UserUtteranceReverted()]
