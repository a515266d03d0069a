"""FAQ answers: the ResponseSelector picks `utter_faq/<key>`; this adds links and follow-ups."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import consent_once, latest_entity
from parcours.faq import catalogue


def selected_faq_key(tracker: Tracker) -> str | None:
    """The FAQ key chosen for the latest message: a confirmed button, else the selector."""
    confirmed = latest_entity(tracker, "faq_key")
    if confirmed:
        return str(confirmed)
    selector = tracker.latest_message.get("response_selector", {}).get("faq", {})
    key = selector.get("response", {}).get("intent_response_key") or ""
    return key.removeprefix("faq/") or None


def buttons_for(key: str) -> list[dict[str, str]]:
    """Follow-up buttons of an entry, as Rasa button dicts (title + payload or url)."""
    entry = catalogue().by_key().get(key)
    if entry is None:
        return []
    return [b.model_dump(exclude_none=True) for b in entry.buttons]


class ActionAnswerFaq(Action):
    """Answer the selected FAQ (tu or vous variant), with its links; consent notice once."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        key = selected_faq_key(tracker)
        if key is None or key not in catalogue().by_key():
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(response=f"utter_faq/{key}", buttons=buttons_for(key))
        return consent_once(tracker, dispatcher)
