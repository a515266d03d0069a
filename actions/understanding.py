"""Reading messages the way people write them, shared by the FAQ, off-topic and fallback
actions: the register of the writer, a search typed in one sentence, and the FAQ decision
(answer, clarifying question, or an honest "je ne sais pas")."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from parcours import regions
from parcours.db.engine import session_scope
from parcours.faq import catalogue
from parcours.intents import payload
from parcours.repositories import users
from parcours.settings import get_settings
from parcours.understanding.decision import (
    ADULT,
    Decision,
    Move,
    Reading,
    decide,
    for_an_adult,
    stated_age,
)
from parcours.understanding.reading import read_message
from parcours.understanding.register import role_in_message, writes_with_vous
from parcours.understanding.search_read import AMBASSADOR, MINISTAGE, read_search

FORMS = {MINISTAGE: "ministage_form", AMBASSADOR: "ambassador_form"}


def said(tracker: Tracker) -> str:
    """The user's last message as typed ("" for a button payload)."""
    text = str(tracker.latest_message.get("text") or "")
    return "" if text.startswith("/") else text


def register_of(tracker: Tracker) -> tuple[bool, list[EventType]]:
    """(answer with *vous*?, events that keep it): the profile, else the message itself.

    "mon fils…" stores the role `parent` when none is known yet (the role buttons can
    change it); a message written with *vous* sets the register for the conversation.
    """
    text = said(tracker)
    vous = tracker.get_slot("register") == "vous"
    events: list[EventType] = []
    role = role_in_message(text)
    if role is not None and tracker.get_slot("role") is None:
        with session_scope() as session:
            users.update_profile(session, user_id=tracker.sender_id, role=role)
        events.append(SlotSet("role", role))
    if not vous and writes_with_vous(text):
        vous = True
        events.append(SlotSet("register", "vous"))
    return vous, events


def say(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    name: str,
    *,
    vous: bool,
    buttons: list[dict[str, str]] | None = None,
    **values: str,
) -> None:
    """Utter a domain response in the register decided in this turn.

    Rasa renders `response=` with the slots as they were before the action, so a register
    found in this very message would not show; the variant is chosen here instead. The
    variant's own buttons are given as Rasa gives them: `{{…}}` in a payload becomes `{…}`
    (see the note in domain/core.yml).
    """
    variants = (domain.get("responses") or {}).get(name) or []
    chosen = next(
        (v for v in variants if bool(v.get("condition")) == vous),
        variants[0] if variants else None,
    )
    if chosen is None:  # a domain without responses (unit tests): let Rasa render it
        dispatcher.utter_message(response=name, buttons=buttons or [], **values)
        return
    fill: defaultdict[str, str] = defaultdict(str, regions.current().placeholders())
    fill.update(values)
    if buttons is None:
        own = chosen.get("buttons") or []
        buttons = [{**b, "payload": str(b["payload"]).format()} for b in own]
    dispatcher.utter_message(text=str(chosen.get("text") or "").format_map(fill), buttons=buttons)


def start_search(
    tracker: Tracker, dispatcher: CollectingDispatcher, domain: dict[str, Any], *, vous: bool
) -> list[EventType] | None:
    """A search typed in one message starts at once with what it says; None if none."""
    read = read_search(said(tracker), get_settings().region)
    if not read.cue or not (read.metier or read.place):
        return None
    slots: dict[str, str] = {}
    if read.metier:
        slots["metier"] = read.metier
    if read.place is not None:
        slots["town"] = read.place.nom
    if read.kind is None:
        where = f" près de {read.place.nom}" if read.place is not None else ""
        say(
            dispatcher,
            domain,
            "utter_search_which",
            vous=vous,
            buttons=[
                {"title": "Un stage découverte", "payload": payload("search_ministage", **slots)},
                {"title": "Un ambassadeur", "payload": payload("search_ambassador", **slots)},
            ],
            metier=read.metier or "ce métier",
            where=where,
        )
        return []
    events: list[EventType] = [SlotSet(name, value) for name, value in slots.items()]
    if read.place is not None:
        events.append(SlotSet("town_insee", read.place.insee))
    return [*events, FollowupAction(FORMS[read.kind])]


def faq_reading(tracker: Tracker) -> Reading:
    """The selector's ranking of the FAQ keys and the nearest examples of the last message."""
    selector = tracker.latest_message.get("response_selector", {}).get("faq", {})
    ranking = [
        (str(r.get("intent_response_key") or "").removeprefix("faq/"), float(r["confidence"]))
        for r in selector.get("ranking") or []
    ]
    return read_message(said(tracker), ranking)


def clarify(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], keys: tuple[str, ...], *, vous: bool
) -> None:
    """ "Tu parles de … ?" with the candidate answers as buttons, and a way out."""
    entries = catalogue().by_key()
    buttons = [
        {"title": entries[k].title, "payload": payload("faq_confirm", faq_key=k)} for k in keys
    ]
    buttons.append({"title": "Autre chose", "payload": "/deny"})
    options = " ou de ".join(f"« {entries[k].title} »" for k in keys)
    say(dispatcher, domain, "utter_faq_clarify", vous=vous, buttons=buttons, options=options)


def faq_decision(tracker: Tracker) -> Decision:
    """The decision on the FAQ reading of the last message; someone who says they are an
    adult is never answered or offered an entry about minors only."""
    decision = decide(faq_reading(tracker))
    age = stated_age(said(tracker))
    if age is not None and age >= ADULT:
        minors_only = {key for key, entry in catalogue().by_key().items() if entry.for_minors}
        decision = for_an_adult(decision, minors_only)
    return decision


def answer_decision(
    tracker: Tracker, dispatcher: CollectingDispatcher, domain: dict[str, Any], *, vous: bool
) -> Decision:
    """Decide on the FAQ reading; clarify or abstain here, return the decision (an ANSWER is
    uttered by the caller, which adds links and places)."""
    decision = faq_decision(tracker)
    if decision.move is Move.CLARIFY:
        clarify(dispatcher, domain, decision.keys, vous=vous)
    elif decision.move is Move.ABSTAIN:
        say(dispatcher, domain, "utter_faq_abstain", vous=vous)
    return decision
