"""Where to go (families and young people): ask only what is missing, then the places nearby."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import age_band_for, latest_entity
from actions.guard import Guarded
from actions.search_forms import Slots, _SearchValidation, _text, town_slots
from parcours import regions
from parcours.db.engine import session_scope
from parcours.models import AGE_BANDS, Commune
from parcours.repositories import users
from parcours.services.structures import NEAREST_OF_KIND, WHY, describe, nearest, venue
from parcours.services.where_to_go import (
    AGE_MATTERS,
    ROLE_OF_SITUATION,
    SITUATION_OF_ROLE,
    kinds_for,
    situation_from_text,
)
from parcours.settings import get_settings
from parcours.understanding.places import place_in_text

_AGE = re.compile(r"\b(\d{1,2})\s*(?:ans?|an)\b|^\s*(\d{1,2})\s*$")


def band_from_text(text: str) -> str | None:
    """An age band from "17 ans", "17", or a band code from a button."""
    if text in AGE_BANDS:
        return text
    match = _AGE.search(text)
    if match is None:
        return None
    return age_band_for(int(match.group(1) or match.group(2)))


def _age_of(tracker: Tracker, situation: str | None) -> Slots:
    """The age band of the person concerned, from the message or the profile."""
    band = latest_entity(tracker, "age_band")
    if band not in AGE_BANDS:
        band = band_from_text(str(tracker.latest_message.get("text") or ""))
    if band is None and situation != "parent":
        band = tracker.get_slot("age_band")
    return {"person_age_band": band} if band in AGE_BANDS else {}


class ValidateWhereForm(_SearchValidation):
    """Where-to-go form: town, situation, and the age band when it changes the answer."""

    def name(self) -> str:
        return "validate_where_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Age only for school leavers, job seekers and parents (Mission locale: 16–25)."""
        slots = ["town", "situation"]
        if tracker.get_slot("situation") in AGE_MATTERS:
            slots.append("person_age_band")
        return slots

    async def extract_town(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """The commune said in the first message, else the one in the profile."""
        if tracker.get_slot("town") or tracker.get_slot("requested_slot") == "town":
            return {}
        said = place_in_text(str(tracker.latest_message.get("text") or ""), get_settings().region)
        if said is not None:
            return town_slots(said.nom, said.insee)
        with session_scope() as session:
            user = users.get(session, user_id=tracker.sender_id)
            commune = session.get(Commune, user.town_code) if user and user.town_code else None
            return town_slots(commune.nom, commune.insee) if commune else {}

    async def extract_situation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """From the words of any message of the form, else from the stored role."""
        if tracker.get_slot("situation"):
            return {}
        found = situation_from_text(str(tracker.latest_message.get("text") or ""))
        found = found or SITUATION_OF_ROLE.get(str(tracker.get_slot("role")))
        if found is None:
            return {}
        # The age may come in the same sentence ("mon fils de 17 ans"): keep it too.
        return {"situation": found, **_age_of(tracker, found)}

    async def extract_person_age_band(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """An age said in a message, else the user's own band (not for a parent's child)."""
        if tracker.get_slot("person_age_band"):
            return {}
        return _age_of(tracker, tracker.get_slot("situation"))

    async def validate_situation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """One of the six situations (buttons), or words that say it."""
        situation = situation_from_text(_text(value))
        if situation is None:
            dispatcher.utter_message(response="utter_situation_unclear")
        return {"situation": situation}

    async def validate_person_age_band(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """A band code (button) or an age in years."""
        band = band_from_text(_text(value))
        if band is None:
            dispatcher.utter_message(response="utter_person_age_unclear")
        return {"person_age_band": band}


class ActionWhereToGo(Guarded, Action):
    """The structures near the town that fit the situation, with why and their practical
    details; the nearest one as a venue (a map pin on Telegram); the free number too."""

    def name(self) -> str:
        return "action_where_to_go"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        situation = str(tracker.get_slot("situation") or "")
        band = tracker.get_slot("person_age_band")
        insee = tracker.get_slot("town_insee")
        kinds = kinds_for(situation, band)
        with session_scope() as session:
            places = nearest(session, insee=insee, kinds=kinds) if insee and kinds else []
            user = users.get_or_create(session, user_id=tracker.sender_id)
            if insee:
                user.town_code = insee
            role = ROLE_OF_SITUATION.get(situation) if user.role is None else None
            own_band = band if situation != "parent" and user.age_band is None else None
            users.update_profile(session, user_id=tracker.sender_id, role=role, age_band=own_band)
            events: list[EventType] = [
                SlotSet("register", user.register),
                SlotSet("audience", user.audience),
            ]
            if role is not None:
                events.append(SlotSet("role", role))
            if own_band is not None:
                events.append(SlotSet("age_band", own_band))
        # The sentences are domain responses: vous for a parent or when the register is vous.
        town = tracker.get_slot("town") or "la commune indiquée"
        identity = regions.current().placeholders()
        pm, line = identity["pm_number"], identity["line"]
        found = {p.kind for p in places}
        missing = [k for k in kinds if k not in found]
        if places:
            dispatcher.utter_message(
                response="utter_places_nearby", town=town, places="\n".join(describe(places))
            )
            pin = venue(places)
            if pin is not None:
                dispatcher.utter_message(json_message={"location": pin})
        if missing:
            # Never a dead end: the right kind of place is named, with why and how to reach it.
            lines = "\n".join(f"• {NEAREST_OF_KIND[k]} : {WHY[k]}." for k in missing)
            also = "utter_places_also" if places else "utter_places_missing"
            dispatcher.utter_message(response=also, town=town, kinds=lines, pm_number=pm)
        if not kinds:
            dispatcher.utter_message(response="utter_free_number_for_all", pm_number=pm, line=line)
        dispatcher.utter_message(response="utter_first_advice", pm_number=pm)
        return events
