"""FAQ answers: the ResponseSelector picks `utter_faq/<key>`; this adds links and follow-ups."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import consent_once, latest_entity
from actions.guard import Guarded
from actions.safeguarding import answer_safeguarding
from actions.understanding import answer_decision, register_of, say, start_search
from parcours.db.engine import session_scope
from parcours.faq import catalogue, render_answer, render_buttons
from parcours.models import Commune
from parcours.repositories import users
from parcours.safeguarding import sounds_like_distress
from parcours.services.structures import describe, nearest, venue
from parcours.settings import get_settings
from parcours.understanding.decision import Move
from parcours.understanding.places import place_in_text


def selected_faq_key(tracker: Tracker) -> str | None:
    """The FAQ key chosen for the latest message: a confirmed button, else the selector."""
    confirmed = latest_entity(tracker, "faq_key")
    if confirmed:
        return str(confirmed)
    selector = tracker.latest_message.get("response_selector", {}).get("faq", {})
    key = selector.get("response", {}).get("intent_response_key") or ""
    return key.removeprefix("faq/") or None


def buttons_for(key: str) -> list[dict[str, str]]:
    """Follow-up buttons of an entry in the REGION's catalogue, as Rasa button dicts (title +
    payload or url; a region link resolved)."""
    entry = catalogue().by_key().get(key)
    if entry is None:
        return []
    return render_buttons(entry)


class ActionAnswerFaq(Guarded, Action):
    """Answer a FAQ question, or ask which one, or say honestly that it does not know.

    A confirmed button answers at once. Typed text is read first as a search ("stage
    boulangerie vers Caen" starts it), then decided on two readings (ResponseSelector and
    dense examples, actions/understanding.py): answer (tu or vous, with links and the
    nearest places), clarifying question, or "je ne sais pas" with the free number.
    """

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        confirmed = latest_entity(tracker, "faq_key")
        if confirmed is None and sounds_like_distress(text):
            # The FAQ selector is confident about everything (RASA_NOTES §6): distress first.
            answer_safeguarding(tracker, dispatcher)
            return []
        vous, events = register_of(tracker)
        if confirmed is not None:
            return [*events, *answer_key(dispatcher, tracker, domain, str(confirmed), vous=vous)]
        return [*events, *await answer_typed(dispatcher, tracker, domain, vous=vous)]


async def answer_typed(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], *, vous: bool
) -> list[EventType]:
    """A typed question: a search it asks for, else the FAQ decision (answer, clarifying
    question or honest abstention)."""
    if tracker.active_loop_name is None:
        search = start_search(tracker, dispatcher, domain, vous=vous)
        if search is not None:
            return search
    decision = answer_decision(tracker, dispatcher, domain, vous=vous)
    if decision.move is not Move.ANSWER:
        return []
    return answer_key(dispatcher, tracker, domain, decision.keys[0], vous=vous)


def answer_key(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    key: str,
    *,
    vous: bool,
) -> list[EventType]:
    """The REGION catalogue's answer (tu or vous, its placeholders filled) with its links,
    the nearest places it names, and the privacy notice the first time. A key the region
    lacks (another region's, from the shared model) is not answered."""
    entry = catalogue().by_key().get(key)
    if entry is None:
        say(dispatcher, domain, "utter_ask_rephrase", vous=vous)
        return []
    dispatcher.utter_message(text=render_answer(entry, vous=vous), buttons=render_buttons(entry))
    if entry.places:
        _places_nearby(tracker, dispatcher, entry.places, vous=vous)
    return consent_once(tracker, dispatcher)


def _places_nearby(
    tracker: Tracker, dispatcher: CollectingDispatcher, kinds: list[str], *, vous: bool
) -> None:
    """Name the nearest structures with their practical details (commune said in the message,
    else the stored one), and send the nearest one as a venue."""
    text = str(tracker.latest_message.get("text") or "")
    said = place_in_text(text, get_settings().region)
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
    intro = f"Près de {town}, {'vous pouvez' if vous else 'tu peux'} aller voir :"
    dispatcher.utter_message(text="\n".join([intro, *describe(places)]))
    pin = venue(places)
    if pin is not None:
        dispatcher.utter_message(json_message={"location": pin})
