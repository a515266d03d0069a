"""FAQ answers: the ResponseSelector picks `utter_faq/<key>`; this adds links and follow-ups."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import consent_once, latest_entity
from actions.safeguarding import answer_safeguarding
from parcours.db.engine import session_scope
from parcours.faq import catalogue
from parcours.models import Commune
from parcours.repositories import users
from parcours.safeguarding import sounds_like_distress
from parcours.services.structures import nearest, town_in_text
from parcours.settings import get_settings


def selected_faq_key(tracker: Tracker) -> str | None:
    """The FAQ key chosen for the latest message: a confirmed button, else the selector."""
    confirmed = latest_entity(tracker, "faq_key")
    if confirmed:
        return str(confirmed)
    selector = tracker.latest_message.get("response_selector", {}).get("faq", {})
    key = selector.get("response", {}).get("intent_response_key") or ""
    return key.removeprefix("faq/") or None


def buttons_for(key: str) -> list[dict[str, str]]:
    """Follow-up buttons of an entry, as Rasa button dicts (title + payload or url)."""
    entry = catalogue().by_key().get(key)
    if entry is None:
        return []
    return [b.model_dump(exclude_none=True) for b in entry.buttons]


class ActionAnswerFaq(Action):
    """Answer the selected FAQ (tu or vous variant), with its links; consent notice once."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        if latest_entity(tracker, "faq_key") is None and sounds_like_distress(text):
            # The FAQ selector is confident about everything (RASA_NOTES §6): distress first.
            answer_safeguarding(tracker, dispatcher)
            return []
        key = selected_faq_key(tracker)
        if key is None or key not in catalogue().by_key():
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(response=f"utter_faq/{key}", buttons=buttons_for(key))
        if key in PLACES_FOR:
            _places_nearby(tracker, dispatcher, PLACES_FOR[key])
        return consent_once(tracker, dispatcher)


#: FAQ answers that name a kind of place get the nearest ones when the commune is known.
PLACES_FOR = {
    "decrochage_situation": ["mission_locale", "psad"],
    "decrochage_numero": ["mission_locale", "psad"],
    "obligation_formation": ["mission_locale", "psad"],
    "psad": ["psad"],
    "mission_locale": ["mission_locale"],
    "cio": ["cio"],
    "info_jeunes": ["info_jeunes"],
    "transitions_pro": ["transitions_pro"],
    "orientation_indecis": ["cio", "info_jeunes"],
}


def _places_nearby(tracker: Tracker, dispatcher: CollectingDispatcher, kinds: list[str]) -> None:
    """Name the nearest structures (commune said in the message, else the stored one)."""
    text = str(tracker.latest_message.get("text") or "")
    said = town_in_text(text, get_settings().region)
    with session_scope() as session:
        user = users.get_or_create(session, user_id=tracker.sender_id)
        if said is not None:
            user.town_code = said.insee
        insee = user.town_code
        commune = session.get(Commune, insee) if insee else None
        places = nearest(session, insee=commune.insee, kinds=kinds) if commune else []
        town = commune.nom if commune else ""
    if not places:
        return
    vous = tracker.get_slot("register") == "vous"
    intro = f"Près de {town}, {'vous pouvez' if vous else 'tu peux'} aller voir :"
    lines = [f"• {p.name}{'' if p.town in p.name else f' ({p.town})'} : {p.why}." for p in places]
    dispatcher.utter_message(text="\n".join([intro, *lines]))
