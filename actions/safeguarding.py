"""Someone in danger or distress: helplines at once, a warm word, and an urgent hand-off."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.guard import Guarded
from parcours.safeguarding import shown
from parcours.settings import get_settings


def answer_safeguarding(tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
    """Say the care message, the helplines and the human, then signal an urgent hand-off.

    Shared with the fallback safety net, so a distress message is never answered with
    "I did not understand".
    """
    settings = get_settings()
    dispatcher.utter_message(response="utter_safeguarding_care")
    resources = shown(production=settings.production)
    if resources:
        helplines = "\n".join(r.line() for r in resources)
        dispatcher.utter_message(response="utter_safeguarding_helplines", helplines=helplines)
    dispatcher.utter_message(
        response="utter_safeguarding_human", pm_number=settings.pm_number_phrase
    )
    dispatcher.utter_message(json_message={"handoff": {"reason": "safeguarding", "urgent": True}})


class ActionSafeguarding(Guarded, Action):
    """Answer a message about harassment, violence or distress (also in the middle of a form)."""

    def name(self) -> str:
        return "action_safeguarding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answer_safeguarding(tracker, dispatcher)
        return []
