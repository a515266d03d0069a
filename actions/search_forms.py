"""Validation of the search forms: métier, town, school level, meeting format."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guard import Guarded
from parcours import regions
from parcours.db.engine import session_scope
from parcours.repositories import users
from parcours.search.normalize import fold
from parcours.services.catalogue_search import commune_index, find_metiers
from parcours.services.geo import DEPARTEMENTS
from parcours.settings import get_settings
from parcours.understanding.places import Place, place_as_answer, place_in_text
from parcours.understanding.search_read import metier_in_text

Slots = dict[str, Any]

_LEVELS = [
    ("superieur", r"\b(bts|but|iut|fac|licence|master|etudiant|etudiante|superieur|prepa|ecole)"),
    ("lycee", r"\b(lycee|lyceen|lyceenne|seconde|2nde|premiere|1ere|terminale|tle|cap|bac)"),
    ("college", r"\b(college|collegien|collegienne|[3-6] ?e(me)?|troisieme|quatrieme|4eme|3eme)"),
]
_FORMATS = [
    ("collectif", r"\b(classe|groupe|eleves|collectif|plusieurs)"),
    ("visio", r"\b(visio|video|zoom|teams|en ligne|distance)"),
    ("telephone", r"\b(tel|telephone|appel|phone)"),
    ("sur_place", r"\b(sur place|en vrai|en personne|rencontrer|visite|physique|entreprise)"),
]


def _text(value: Any) -> str:
    """Slot values may be lists when NLU found the entity twice."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return str(value or "").strip()


def _said(tracker: Tracker) -> str:
    """The user's last message (when the NLU entity is wrong, the words may still say it)."""
    return str(tracker.latest_message.get("text") or "")


def _classify(value: Any, table: list[tuple[str, str]], known: set[str]) -> str | None:
    text = fold(_text(value))
    if text in known:
        return text
    return next((code for code, pattern in table if re.search(pattern, text)), None)


def _typed(tracker: Tracker) -> str:
    """The last message if the user typed it (a button payload is not an answer to read)."""
    text = _said(tracker)
    return "" if text.startswith("/") else text


#: Words that correct a place already given ("c'est pas au Havre, c'est à Caen", "plutôt").
_CORRECTION = re.compile(r"\b(pas (a|au|en|sur|vers|dans)|plutot|en fait|finalement|non c.est)\b")


def town_slots(name: str, insee: str) -> Slots:
    """The town slots an `extract_town` returns (see `get_validation_events`)."""
    return {"town_insee": insee, "town": name}


def _extracted_place(tracker: Tracker, name: str) -> Place | None:
    """The place an `extract_town` of this turn found, when `name` is still its name (a
    commune named twice in France is not looked up again by name)."""
    insee = tracker.get_slot("town_insee")
    commune = commune_index().get(str(insee)) if insee else None
    if commune is None or name not in (commune.nom, DEPARTEMENTS.get(commune.departement)):
        return None
    return Place(commune.insee, name, commune.departement)


class _SearchValidation(Guarded, FormValidationAction, ABC):
    """Shared readers and validators (métier, town) of the search forms (abstract: not
    registered).

    The answer to a question is first read as the slot that was asked, whatever the NLU
    thought of it ("vétérinaire" is a métier, not a FAQ question); a real question stays
    unread here, so the form rejects it and the FAQ rule answers it before the form resumes.
    """

    @abstractmethod
    def name(self) -> str:
        """The form validation action's name."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """rasa-sdk drops the extracted slots that are not the form's own, after validating
        the others: `town_insee`, set with `town`, is put back from the validated tracker."""
        events: list[EventType] = await super().get_validation_events(dispatcher, tracker, domain)
        names = {event.get("name") for event in events}
        if "town" in names and "town_insee" not in names:
            events.append(SlotSet("town_insee", tracker.get_slot("town_insee")))
        return events

    async def extract_metier(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """The métier typed in answer to "quel métier ?", even if NLU took it for a FAQ."""
        text = _typed(tracker)
        if tracker.get_slot("requested_slot") != "metier" or not text:
            return {}
        found = metier_in_text(text)
        return {"metier": found} if found else {}

    async def extract_town(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """The place typed in answer to "où ?" ("vers Caen", "dans la Manche", "le 14"), or a
        correction at any point of the form ("c'est pas au Havre, c'est à Caen")."""
        text = _typed(tracker)
        if not text:
            return {}
        region = get_settings().region
        if tracker.get_slot("requested_slot") == "town":
            place = place_as_answer(text, region)
        elif tracker.get_slot("town") and _CORRECTION.search(fold(text)):
            place = place_in_text(text, region)
        else:
            return {}
        return town_slots(place.nom, place.insee) if place else {}

    async def validate_metier(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """Keep what the user typed if it names at least one known métier."""
        text = _text(value)
        matches = find_metiers(text)
        if not matches:
            dispatcher.utter_message(response="utter_metier_unknown", said=text[:60])
            return {"metier": None}
        return {"metier": text}

    async def validate_town(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """A commune, postal code or department → the place (remembered in the profile)."""
        text = _text(value)
        kept = _extracted_place(tracker, text)
        place = kept or place_as_answer(text, get_settings().region)
        if place is None:
            examples = regions.current().place_examples
            dispatcher.utter_message(
                response="utter_town_unknown", said=text[:60], place_examples=examples
            )
            return {"town": None, "town_insee": None}
        with session_scope() as session:
            users.get_or_create(session, user_id=tracker.sender_id).town_code = place.insee
        return {"town": place.nom, "town_insee": place.insee}


class ValidateMinistageForm(_SearchValidation):
    """Mini-stage search: métier, town, school level."""

    def name(self) -> str:
        return "validate_ministage_form"

    async def validate_school_level(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """collège, lycée or supérieur, from words like 3e, seconde, BTS."""
        known = {"college", "lycee", "superieur"}
        level = _classify(value, _LEVELS, known) or _classify(_said(tracker), _LEVELS, known)
        if level is None:
            dispatcher.utter_message(response="utter_school_level_unclear")
        return {"school_level": level}


class ValidateAmbassadorForm(_SearchValidation):
    """Ambassador search: métier, town, how to meet."""

    def name(self) -> str:
        return "validate_ambassador_form"

    async def validate_meeting_format(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """visio, telephone, sur_place or collectif."""
        known = {"visio", "telephone", "sur_place", "collectif"}
        meeting = _classify(value, _FORMATS, known) or _classify(_said(tracker), _FORMATS, known)
        if meeting is None:
            dispatcher.utter_message(response="utter_meeting_format_unclear")
        return {"meeting_format": meeting}
