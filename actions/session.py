"""Session start: load the stored profile into slots."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import profile_slots
from actions.guard import Guarded
from parcours.db.engine import session_scope
from parcours.repositories import users


class ActionSessionStart(Guarded, Action):
    """Start a session with the profile from the app database (a restart loses nothing)."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        with session_scope() as session:
            user = users.get_or_create(session, user_id=tracker.sender_id)
            slots = profile_slots(user)
        return [SessionStarted(), *slots, ActionExecuted("action_listen")]
