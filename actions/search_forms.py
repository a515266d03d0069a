"""Validation of the search forms: métier, town, school level, meeting format."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from parcours.db.engine import session_scope
from parcours.profile import fold
from parcours.repositories import users
from parcours.services.catalogue_search import find_metiers, find_town
from parcours.settings import get_settings

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


class _SearchValidation(FormValidationAction, ABC):
    """Shared validators (métier, town) of the two search forms (abstract: not registered)."""

    @abstractmethod
    def name(self) -> str:
        """The form validation action's name."""

    async def validate_metier(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """Keep what the user typed if it names at least one known métier."""
        text = _text(value)
        matches = find_metiers(text)
        if not matches:
            dispatcher.utter_message(
                text=f"Je ne reconnais pas de métier dans « {text[:60]} ». "
                "Essaie un autre mot (par exemple : cuisinier, aide-soignant, mécanique)."
            )
            return {"metier": None}
        return {"metier": text}

    async def validate_town(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Slots
    ) -> Slots:
        """A commune name or postal code → the commune (remembered in the profile)."""
        text = _text(value)
        commune = find_town(text, get_settings().region)
        if commune is None:
            dispatcher.utter_message(
                text=f"Je ne trouve pas la commune « {text[:60]} ». "
                "Donne son nom ou son code postal (par exemple : Lisieux, 50000)."
            )
            return {"town": None, "town_insee": None}
        with session_scope() as session:
            users.get_or_create(session, user_id=tracker.sender_id).town_code = commune.insee
        return {"town": commune.nom, "town_insee": commune.insee}


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
            dispatcher.utter_message(text="Je n'ai pas compris la classe : choisis un bouton.")
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
            dispatcher.utter_message(text="Je n'ai pas compris : choisis un des boutons.")
        return {"meeting_format": meeting}
