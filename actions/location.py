"""A location shared in Telegram → the user's commune (same profile field as a typed town).

The sentences are domain responses (domain/where_to_go.yml, tu and vous).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity
from actions.guard import Guarded
from parcours.db.engine import session_scope
from parcours.repositories import users
from parcours.services.geo import departement_name, nearest_commune


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class ActionShareLocation(Guarded, Action):
    """Find the nearest commune, remember it, confirm; a running form gets its town slot."""

    def name(self) -> str:
        return "action_share_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lat = _number(latest_entity(tracker, "latitude"))
        lon = _number(latest_entity(tracker, "longitude"))
        with session_scope() as session:
            found = (
                nearest_commune(session, latitude=lat, longitude=lon)
                if lat is not None and lon is not None
                else None
            )
            if found is not None:
                users.get_or_create(session, user_id=tracker.sender_id).town_code = found.insee
        if found is None:
            dispatcher.utter_message(response="utter_location_unknown")
            return []
        dispatcher.utter_message(
            response="utter_location_noted",
            commune=found.nom,
            departement=departement_name(found.departement),
        )
        return [SlotSet("town", found.nom), SlotSet("town_insee", found.insee)]
