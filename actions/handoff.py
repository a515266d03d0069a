"""Request for a human: signalled to bot/ (which owns the hand-off state) and confirmed."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import consent_once
from actions.guard import Guarded


class ActionRequestHandoff(Guarded, Action):
    """Tell the user a coordinator is called, and signal the hand-off to the front end."""

    def name(self) -> str:
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_requested")
        dispatcher.utter_message(json_message={"handoff": {"reason": "user_request"}})
        return consent_once(tracker, dispatcher)
