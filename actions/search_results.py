"""Search results (top 5 as buttons) and the details of one result (no private contact).

The sentences are domain responses (domain/search.yml, tu and vous); only values come from here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity
from actions.guard import Guarded
from parcours.db.engine import session_scope
from parcours.intents import payload as button_payload
from parcours.models import Ambassador, Commune, Company, Metier, MinistageOffer
from parcours.school_calendar import upcoming
from parcours.search.ranking import Proximity
from parcours.services.alternatives import (
    Alternative,
    ambassador_alternatives,
    ministage_alternatives,
)
from parcours.services.catalogue_search import PAGE, Hit, find_ambassadors, find_offers
from parcours.services.zone_notes import asks_for_bassin, bassin_note
from parcours.settings import get_settings

Button = dict[str, str]
_WHERE = {
    Proximity.SAME_EPCI: "tout près",
    Proximity.SAME_DEPARTEMENT: "dans le département",
    Proximity.NEIGHBOUR_DEPARTEMENT: "département voisin",
}
_LEVEL_NAMES = {"college": "collège", "lycee": "lycée", "superieur": "études supérieures"}
#: The responses of each kind of result (named in full: scripts/validate.sh looks for them).
_FOUND = {"ministage": "utter_ministages_found", "ambassador": "utter_ambassadors_found"}
_NONE_FOUND = {"ministage": "utter_no_ministage", "ambassador": "utter_no_ambassador"}
_DETAILS = {"ministage": "utter_target_ministage", "ambassador": "utter_target_ambassador"}
_CONVENTION = {
    "college": "utter_convention_college",
    "lycee": "utter_convention_lycee",
    "superieur": "utter_convention_superieur",
}
#: Stands for the town in a sentence when no town slot is set (the forms always ask one).
_NO_TOWN = "la commune indiquée"


def _say_convention(dispatcher: CollectingDispatcher, level: str | None) -> None:
    """How the convention works for this level, with the next school holidays (zone)."""
    holidays = ""
    if level in ("college", "lycee"):
        periods = upcoming(date.today(), get_settings().school_zone)
        if periods:
            holidays = " Prochaines vacances : " + " ; ".join(p.french() for p in periods) + "."
    known = level if level in _LEVEL_NAMES else "college"
    dispatcher.utter_message(response=_CONVENTION[known], holidays=holidays)


def _present(
    dispatcher: CollectingDispatcher,
    kind: str,
    hits: list[Hit],
    page: int,
    values: dict[str, str],
) -> bool:
    """Say one page of results as buttons, or that there is none (`values` fill the
    sentences: métier, town, level)."""
    if not hits:
        dispatcher.utter_message(response=_NONE_FOUND[kind], **values)
        return False
    shown = hits[page * PAGE : (page + 1) * PAGE]
    buttons = _buttons(kind, shown)
    if len(hits) > (page + 1) * PAGE:
        buttons.append({"title": "Voir plus", "payload": "/search_more"})
    if page == 0:
        dispatcher.utter_message(
            response=_FOUND[kind],
            buttons=buttons,
            shown=len(shown),
            total=len(hits),
            **values,
        )
    else:
        first = page * PAGE + 1
        dispatcher.utter_message(
            response="utter_results_page",
            buttons=buttons,
            first=first,
            last=first + len(shown) - 1,
            total=len(hits),
        )
    return True


def _where(hit: Hit) -> str:
    """How close a result is; an ambassador farther away whose zone covers the user's commune
    intervenes there (the ambassadors' charter: région, département, ville, bassin d'emploi)."""
    if hit.in_zone and hit.proximity != Proximity.SAME_EPCI:
        return "intervient ici"
    return _WHERE.get(hit.proximity, "plus loin")


def _buttons(kind: str, hits: list[Hit]) -> list[Button]:
    return [
        {
            "title": f"{h.title} – {h.town} ({_where(h)})"[:60],
            "payload": button_payload("choose_target", target=f"{kind}:{h.key}"),
        }
        for h in hits
    ]


def _ministage_hits(tracker: Tracker) -> tuple[list[Hit], str, str, str | None]:
    metier, insee = tracker.get_slot("metier") or "", tracker.get_slot("town_insee") or ""
    level = tracker.get_slot("school_level")
    with session_scope() as session:
        hits = find_offers(session, metier_query=metier, insee=insee, level=level)
    return hits, metier, tracker.get_slot("town") or _NO_TOWN, level


def _ambassador_hits(tracker: Tracker) -> tuple[list[Hit], str, str]:
    metier, insee = tracker.get_slot("metier") or "", tracker.get_slot("town_insee") or ""
    with session_scope() as session:
        hits = find_ambassadors(
            session,
            metier_query=metier,
            insee=insee,
            meeting_format=tracker.get_slot("meeting_format"),
            role=tracker.get_slot("role"),
        )
    return hits, metier, tracker.get_slot("town") or _NO_TOWN


def _show_ministages(dispatcher: CollectingDispatcher, tracker: Tracker, page: int) -> None:
    hits, metier, town, level = _ministage_hits(tracker)
    values = {"metier": metier, "town": town, "level": _LEVEL_NAMES.get(level or "", "")}
    found = _present(dispatcher, "ministage", hits, page, values)
    if found and page == 0:
        _say_convention(dispatcher, level)
    elif not found:
        with session_scope() as session:
            options = ministage_alternatives(
                session,
                metier_query=metier,
                insee=tracker.get_slot("town_insee") or "",
                level=level,
            )
        _offer_alternatives(dispatcher, "search_ministage", options)


def _recent_user_texts(tracker: Tracker, count: int = 6) -> list[str]:
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    return texts[-count:]


def _show_ambassadors(dispatcher: CollectingDispatcher, tracker: Tracker, page: int) -> None:
    hits, metier, town = _ambassador_hits(tracker)
    if page == 0 and asks_for_bassin(_recent_user_texts(tracker)):
        with session_scope() as session:
            note = bassin_note(
                session,
                insee=tracker.get_slot("town_insee") or "",
                town=town,
                register=tracker.get_slot("register"),
            )
        dispatcher.utter_message(text=note)
    if not _present(dispatcher, "ambassador", hits, page, {"metier": metier, "town": town}):
        with session_scope() as session:
            options = ambassador_alternatives(
                session,
                metier_query=metier,
                insee=tracker.get_slot("town_insee") or "",
                meeting_format=tracker.get_slot("meeting_format"),
                role=tracker.get_slot("role"),
            )
        _offer_alternatives(dispatcher, "search_ambassador", options)


def _offer_alternatives(
    dispatcher: CollectingDispatcher, search: str, options: list[Alternative]
) -> None:
    """Nothing found: the ways forward that do find something, as buttons."""
    buttons = []
    for option in options:
        if option.target:
            payload = button_payload("choose_target", target=option.target)
        elif option.metier:
            payload = button_payload(search, metier=option.metier)
        else:
            payload = button_payload(search, meeting_format=option.meeting_format)
        buttons.append({"title": option.title, "payload": payload})
    if buttons:
        dispatcher.utter_message(response="utter_search_alternatives", buttons=buttons)


class ActionSearchMinistages(Guarded, Action):
    """Offers for the métier, near the town, open to the school level."""

    def name(self) -> str:
        return "action_search_ministages"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _show_ministages(dispatcher, tracker, page=0)
        return [SlotSet("last_search", "ministage"), SlotSet("result_page", 0)]


class ActionSearchAmbassadors(Guarded, Action):
    """Ambassadors of the métier, near the town, who offer the wanted format."""

    def name(self) -> str:
        return "action_search_ambassadors"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _show_ambassadors(dispatcher, tracker, page=0)
        return [SlotSet("last_search", "ambassador"), SlotSet("result_page", 0)]


class ActionSearchMore(Guarded, Action):
    """The next page of the last search ("Voir plus")."""

    def name(self) -> str:
        return "action_search_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        page = int(tracker.get_slot("result_page") or 0) + 1
        if tracker.get_slot("last_search") == "ambassador":
            _show_ambassadors(dispatcher, tracker, page)
        elif tracker.get_slot("last_search") == "ministage":
            _show_ministages(dispatcher, tracker, page)
        else:
            dispatcher.utter_message(response="utter_menu")
            return []
        return [SlotSet("result_page", page)]


class ActionShowTarget(Guarded, Action):
    """Details of one offer or ambassador, with a button to make a request."""

    def name(self) -> str:
        return "action_show_target"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        target = str(latest_entity(tracker, "target") or "")
        kind, _, key = target.partition(":")
        with session_scope() as session:
            values = _describe(session, kind, key)
        if values is None:
            dispatcher.utter_message(response="utter_target_gone")
            return []
        dispatcher.utter_message(
            response=_DETAILS[kind],
            **values,
            buttons=[
                {
                    "title": "Faire une demande",
                    "payload": button_payload("request_contact", target=f"{kind}:{key}"),
                },
                {
                    "title": "Revoir la liste",
                    "payload": "/search_ministage"
                    if kind == "ministage"
                    else "/search_ambassador",
                },
            ],
        )
        return []


def _describe(session: Any, kind: str, key: str) -> dict[str, Any] | None:
    """What fills `utter_target_<kind>` for one offer or ambassador (None if gone)."""
    if kind == "ministage":
        offer = session.get(MinistageOffer, key)
        if offer is None:
            return None
        company, metier = session.get(Company, offer.company), session.get(Metier, offer.metier)
        town = session.get(Commune, offer.commune)
        return {
            "metier": metier.libelle if metier else offer.metier,
            "company": company.name if company else offer.company,
            "town": town.nom if town else offer.commune,
            "days_min": offer.days_min,
            "days_max": offer.days_max,
            "periods": offer.periods or "à convenir",
            "levels": ", ".join(_LEVEL_NAMES.get(lv, lv) for lv in offer.levels.split()),
            "places": offer.places,
            "demo": "\n(Fiche de démonstration : entreprise fictive.)" if offer.demo else "",
        }
    if kind == "ambassador":
        person = session.get(Ambassador, key)
        if person is None:
            return None
        metier = session.get(Metier, person.metier) if person.metier else None
        town = session.get(Commune, person.commune)
        what = (
            f"étudiant(e) en {person.formation}"
            if person.kind == "formation" or not metier
            else metier.libelle
        )
        return {
            "person": person.display_name,
            "what": what,
            "since": f", {person.years_in_job} an(s) de métier" if person.years_in_job else "",
            "town": town.nom if town else person.commune,
            "formats": ", ".join(f.replace("_", " ") for f in person.formats.split()),
            "demo": "\n(Fiche de démonstration : personne fictive.)" if person.demo else "",
        }
    return None
