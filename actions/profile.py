"""Greeting and profile: who is talking (role, age band), stored in the app database."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import age_band_for, consent_once, latest_entity
from actions.faq import answer_typed
from actions.guard import Guarded
from actions.understanding import said
from parcours.db.engine import session_scope
from parcours.models import AGE_BANDS, ROLES
from parcours.profile import role_from_text
from parcours.repositories import users

#: A message that long says more than a role: its question is answered.
QUESTION_WORDS = 7
#: Roles for which the age band changes the answers (Mission locale 16–25, under-15 consent…).
_AGE_MATTERS = frozenset({"eleve", "demandeur_emploi"})


class ActionGreet(Guarded, Action):
    """Hello, the privacy notice once, then the role question (or the menu if known)."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        with session_scope() as session:
            user = users.get(session, user_id=tracker.sender_id)
            known = user is not None and user.role is not None
        dispatcher.utter_message(response="utter_greet_back" if known else "utter_greet_new")
        events = consent_once(tracker, dispatcher)
        dispatcher.utter_message(response="utter_menu" if known else "utter_ask_role")
        return events


class ActionSetProfile(Guarded, Action):
    """Store a role or an age and adapt the register (silent: slots only).

    Rasa renders an action's messages with the slots as they were *before* the action, so
    the follow-up questions come from `action_profile_next`, run right after by the rules.
    """

    def name(self) -> str:
        return "action_set_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        role = _role_from_message(tracker)
        band = _band_from_message(tracker)
        if role is None and band is None:
            return []
        with session_scope() as session:
            user = users.update_profile(
                session, user_id=tracker.sender_id, role=role, age_band=band
            )
            return [
                SlotSet("role", user.role),
                SlotSet("age_band", user.age_band),
                SlotSet("register", user.register),
                SlotSet("audience", user.audience),
            ]


class ActionProfileNext(Guarded, Action):
    """Thank, show the privacy notice once, then ask what is missing or show the menu."""

    def name(self) -> str:
        return "action_profile_next"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        role, band = tracker.get_slot("role"), tracker.get_slot("age_band")
        if len(said(tracker).split()) >= QUESTION_WORDS:
            # "Je suis maman, mon fils veut arrêter le lycée…": the role is noted, and the
            # question is answered rather than followed by the menu.
            vous = tracker.get_slot("register") == "vous"
            return await answer_typed(dispatcher, tracker, domain, vous=vous)
        if role is not None or band is not None:
            dispatcher.utter_message(response="utter_role_noted")
        events = consent_once(tracker, dispatcher)
        if band == "moins_15" and role != "parent" and not tracker.get_slot("parent_notice_shown"):
            # Under France's age of digital consent (15): the notice speaks to a parent too.
            dispatcher.utter_message(response="utter_consent_parent")
            events.append(SlotSet("parent_notice_shown", True))
        if role is None:
            dispatcher.utter_message(response="utter_ask_role")
        elif band is None and role in _AGE_MATTERS:
            dispatcher.utter_message(response="utter_ask_age")
        else:
            dispatcher.utter_message(response="utter_menu")
        return events


def _role_from_message(tracker: Tracker) -> str | None:
    """The role from the NLU entity, or from known wordings when the entity is missing."""
    entity = latest_entity(tracker, "role")
    if entity in ROLES:
        return str(entity)
    text = tracker.latest_message.get("text") or ""
    return (role_from_text(str(entity)) if entity else None) or role_from_text(text)


def _band_from_message(tracker: Tracker) -> str | None:
    """An age band from a button (`age_band`) or a typed age (`age`)."""
    band = latest_entity(tracker, "age_band")
    if band in AGE_BANDS:
        return str(band)
    age = latest_entity(tracker, "age")
    try:
        return age_band_for(int(str(age))) if age is not None else None
    except ValueError:
        return None
