"""Search results (top 5 as buttons) and the details of one result (no private contact)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity
from parcours.db.engine import session_scope
from parcours.models import Ambassador, Commune, Company, Metier, MinistageOffer
from parcours.school_calendar import upcoming
from parcours.search.ranking import Proximity
from parcours.services.catalogue_search import PAGE, Hit, find_ambassadors, find_offers
from parcours.settings import get_settings

Button = dict[str, str]
_WHERE = {
    Proximity.SAME_EPCI: "tout près",
    Proximity.SAME_DEPARTEMENT: "dans le département",
    Proximity.NEIGHBOUR_DEPARTEMENT: "département voisin",
}
_LEVEL_NAMES = {"college": "collège", "lycee": "lycée", "superieur": "études supérieures"}
_CONVENTION = {
    "college": "Un stage découverte dure 3 à 5 jours. Pendant l'année scolaire, la convention "
    "(l'accord signé entre ton collège, l'entreprise et ta famille) passe par ton collège ; "
    "pendant les vacances (élèves de 4e et 3e), par une chambre consulaire, une semaine au plus.",
    "lycee": "Un stage découverte dure 3 à 5 jours. Pendant l'année, la convention passe par ton "
    "lycée ; pendant les vacances, par une chambre consulaire (une semaine au plus).",
    "superieur": "Un stage découverte dure 3 à 5 jours ; la convention se fait avec ton "
    "établissement.",
}
_HUMAN: Button = {"title": "Parler à un conseiller", "payload": "/ask_human"}


def _convention(level: str | None) -> str:
    """How the convention works for this level, with the next school holidays (zone)."""
    text = _CONVENTION.get(level or "", _CONVENTION["college"])
    if level in ("college", "lycee"):
        periods = upcoming(date.today(), get_settings().school_zone)
        if periods:
            text += " Prochaines vacances : " + " ; ".join(p.french() for p in periods) + "."
    return text


def _present(
    dispatcher: CollectingDispatcher,
    kind: str,
    hits: list[Hit],
    found: str,
    none: str,
    page: int = 0,
) -> bool:
    """Say one page of results as buttons (`found` is the sentence head), or `none`."""
    if not hits:
        dispatcher.utter_message(
            text=none, buttons=[_HUMAN, {"title": "Chercher autre chose", "payload": "/menu"}]
        )
        return False
    shown = hits[page * PAGE : (page + 1) * PAGE]
    if page == 0:
        head = f"Voici {len(shown)} {found} (sur {len(hits)} trouvés)."
    else:
        first = page * PAGE + 1
        head = f"Résultats {first} à {first + len(shown) - 1} sur {len(hits)}."
    buttons = _buttons(kind, shown)
    if len(hits) > (page + 1) * PAGE:
        buttons.append({"title": "Voir plus", "payload": "/search_more"})
    dispatcher.utter_message(text=f"{head} Choisis pour voir le détail :", buttons=buttons)
    return True


def _buttons(kind: str, hits: list[Hit]) -> list[Button]:
    return [
        {
            "title": f"{h.title} – {h.town} ({_WHERE.get(h.proximity, 'plus loin')})"[:60],
            "payload": f'/choose_target{{"target":"{kind}:{h.key}"}}',
        }
        for h in hits
    ]


def _ministage_hits(tracker: Tracker) -> tuple[list[Hit], str, str, str | None]:
    metier, insee = tracker.get_slot("metier") or "", tracker.get_slot("town_insee") or ""
    level = tracker.get_slot("school_level")
    with session_scope() as session:
        hits = find_offers(session, metier_query=metier, insee=insee, level=level)
    return hits, metier, tracker.get_slot("town") or "ta commune", level


def _ambassador_hits(tracker: Tracker) -> tuple[list[Hit], str, str]:
    metier, insee = tracker.get_slot("metier") or "", tracker.get_slot("town_insee") or ""
    with session_scope() as session:
        hits = find_ambassadors(
            session,
            metier_query=metier,
            insee=insee,
            meeting_format=tracker.get_slot("meeting_format"),
        )
    return hits, metier, tracker.get_slot("town") or "ta commune"


def _show_ministages(dispatcher: CollectingDispatcher, tracker: Tracker, page: int) -> None:
    hits, metier, town, level = _ministage_hits(tracker)
    found = _present(
        dispatcher,
        "ministage",
        hits,
        f"stage(s) découverte « {metier} » près de {town}",
        f"Je n'ai pas trouvé de stage découverte « {metier} » près de {town} pour le niveau "
        f"{_LEVEL_NAMES.get(level or '', '')}. Essaie un métier proche ou une autre commune, "
        "ou demande à un conseiller : il connaît d'autres entreprises du territoire.",
        page,
    )
    if found and page == 0:
        dispatcher.utter_message(text=_convention(level))


def _show_ambassadors(dispatcher: CollectingDispatcher, tracker: Tracker, page: int) -> None:
    hits, metier, town = _ambassador_hits(tracker)
    _present(
        dispatcher,
        "ambassador",
        hits,
        f"ambassadeur(s) « {metier} » près de {town}",
        f"Je n'ai pas trouvé d'ambassadeur « {metier} » disponible près de {town} sous cette "
        "forme. Essaie un autre format (la visio élargit la recherche) ou un métier proche, "
        "ou demande à un conseiller.",
        page,
    )


class ActionSearchMinistages(Action):
    """Offers for the métier, near the town, open to the school level."""

    def name(self) -> str:
        return "action_search_ministages"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _show_ministages(dispatcher, tracker, page=0)
        return [SlotSet("last_search", "ministage"), SlotSet("result_page", 0)]


class ActionSearchAmbassadors(Action):
    """Ambassadors of the métier, near the town, who offer the wanted format."""

    def name(self) -> str:
        return "action_search_ambassadors"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _show_ambassadors(dispatcher, tracker, page=0)
        return [SlotSet("last_search", "ambassador"), SlotSet("result_page", 0)]


class ActionSearchMore(Action):
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


class ActionShowTarget(Action):
    """Details of one offer or ambassador, with a button to make a request."""

    def name(self) -> str:
        return "action_show_target"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        target = str(latest_entity(tracker, "target") or "")
        kind, _, key = target.partition(":")
        with session_scope() as session:
            text = _describe(session, kind, key)
        if text is None:
            dispatcher.utter_message(
                text="Cette fiche n'existe plus. Relance une recherche.",
                buttons=[{"title": "Menu", "payload": "/menu"}],
            )
            return []
        dispatcher.utter_message(
            text=text,
            buttons=[
                {
                    "title": "Faire une demande",
                    "payload": f'/request_contact{{"target":"{kind}:{key}"}}',
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


def _describe(session: Any, kind: str, key: str) -> str | None:
    if kind == "ministage":
        offer = session.get(MinistageOffer, key)
        if offer is None:
            return None
        company, metier = session.get(Company, offer.company), session.get(Metier, offer.metier)
        town = session.get(Commune, offer.commune)
        levels = ", ".join(_LEVEL_NAMES.get(lv, lv) for lv in offer.levels.split())
        demo = "\n(Fiche de démonstration : entreprise fictive.)" if offer.demo else ""
        return (
            f"Stage découverte : {metier.libelle if metier else offer.metier}\n"
            f"Entreprise : {company.name if company else offer.company}, "
            f"{town.nom if town else offer.commune}\n"
            f"Durée : {offer.days_min} à {offer.days_max} jours · Période : "
            f"{offer.periods or 'à convenir'}\nPour : {levels} · Places : {offer.places}\n"
            "Les coordonnées ne sont pas affichées : ta demande passe par un coordinateur "
            f"de l'Agence.{demo}"
        )
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
        since = f", {person.years_in_job} an(s) de métier" if person.years_in_job else ""
        formats = ", ".join(f.replace("_", " ") for f in person.formats.split())
        demo = "\n(Fiche de démonstration : personne fictive.)" if person.demo else ""
        return (
            f"{person.display_name} – {what}{since}\n"
            f"Près de : {town.nom if town else person.commune}\nÉchanges possibles : {formats}\n"
            "Un ambassadeur s'engage à répondre sous 10 jours (la rencontre peut avoir lieu "
            "plus tard). Les moins de 16 ans doivent être accompagnés pour une visite "
            f"d'entreprise.{demo}"
        )
    return None
