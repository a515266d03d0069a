"""Helpers shared by actions: profile slots, the consent notice, age bands."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from parcours import regions
from parcours.db.engine import session_scope
from parcours.models import User
from parcours.repositories import users
from parcours.settings import get_settings


def age_band_for(age: int) -> str | None:
    """Map an age in years to the stored band (None when not plausible)."""
    if age < 6 or age > 99:
        return None
    if age < 15:
        return "moins_15"
    if age < 18:
        return "15_17"
    if age <= 25:
        return "18_25"
    return "26_plus"


#: Identity placeholders of the region carried as slots (domain/core.yml) for the responses
#: Rasa renders itself.
IDENTITY_SLOTS = ("pm_number", "of_org", "assistant_of", "line")


def profile_slots(user: User) -> list[EventType]:
    """Slots that carry the stored profile and the region's identity into the conversation."""
    settings = get_settings()
    identity = regions.current().placeholders()
    return [
        SlotSet("role", user.role),
        SlotSet("age_band", user.age_band),
        SlotSet("register", user.register),
        SlotSet("audience", user.audience),
        SlotSet("consent_shown", user.consent_shown_at is not None),
        *(SlotSet(name, identity[name]) for name in IDENTITY_SLOTS),
        SlotSet("retention_days", str(settings.retention_days)),
    ]


def consent_once(tracker: Tracker, dispatcher: CollectingDispatcher) -> list[EventType]:
    """Show the short privacy notice the first time only (it never blocks the answer)."""
    if tracker.get_slot("consent_shown"):
        return []
    with session_scope() as session:
        users.mark_consent_shown(session, user_id=tracker.sender_id)
    dispatcher.utter_message(response="utter_consent")
    return [SlotSet("consent_shown", True)]


def latest_entity(tracker: Tracker, name: str) -> Any:
    """The value of the first entity `name` in the latest message, if any."""
    return next(tracker.get_latest_entity_values(name), None)
