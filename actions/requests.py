"""Contact requests from the chat: write, file, follow, cancel."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import ContactRequest
from parcours.services import contact_requests as cr
from parcours.settings import get_settings

_STATUS = {
    "sent": "envoyée, réponse attendue avant le {due}",
    "accepted": "acceptée ✅{date}",
    "declined": "déclinée (tu peux chercher un autre contact)",
    "done": "réalisée",
    "expired": "sans réponse dans le délai : un coordinateur a été prévenu",
    "cancelled": "annulée",
}
_KIND = {"ambassador": "rencontre avec un ambassadeur", "ministage": "stage découverte"}


def _day(moment: date) -> str:
    return moment.strftime("%d/%m/%Y")


def describe(request: ContactRequest) -> str:
    """One line a user understands."""
    proposed = request.proposed_date
    when = f" (date proposée : {_day(proposed)})" if proposed else ""
    status = _STATUS[request.status].format(due=_day(request.due_at), date=when)
    return f"n°{request.id} – {_KIND.get(request.target_type, 'demande')} : {status}"


class ValidateRequestForm(FormValidationAction):
    """A message and an availability, both short free text."""

    def name(self) -> str:
        return "validate_request_form"

    async def validate_request_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        """At least a few words."""
        text = str(value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(text="Écris au moins quelques mots 🙂")
            return {"request_message": None}
        return {"request_message": text[:1000]}

    async def validate_request_availability(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        """Any indication of when."""
        text = str(value or "").strip()
        return {"request_availability": text[:200] if len(text) >= 2 else None}


class ActionFileRequest(Action):
    """File the request and say when an answer is due."""

    def name(self) -> str:
        return "action_file_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kind, _, key = str(tracker.get_slot("request_target") or "").partition(":")
        reset = [
            SlotSet(s, None) for s in ("request_target", "request_message", "request_availability")
        ]
        try:
            with session_scope() as session:
                request = cr.file_request(
                    session,
                    get_settings(),
                    user_id=tracker.sender_id,
                    target_type=kind,
                    target_key=key,
                    message=tracker.get_slot("request_message") or "",
                    availability=tracker.get_slot("request_availability") or "",
                    now=utcnow(),
                )
                number, due = request.id, _day(request.due_at)
        except cr.RequestError as exc:
            dispatcher.utter_message(
                text=f"Je n'ai pas pu envoyer la demande : {exc}.",
                buttons=[{"title": "Menu", "payload": "/menu"}],
            )
            return reset
        dispatcher.utter_message(
            text=f"C'est envoyé ✅ Demande n°{number}. Un coordinateur de l'Agence la transmet ; "
            f"réponse attendue avant le {due}. Je te préviens ici dès qu'il y a du nouveau. "
            "Pour suivre : « où en est ma demande ».",
            buttons=[{"title": "Où en est ma demande ?", "payload": "/request_status"}],
        )
        return reset


class ActionRequestStatus(Action):
    """The user's own requests and where each stands."""

    def name(self) -> str:
        return "action_request_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        with session_scope() as session:
            requests = cr.for_user(session, user_id=tracker.sender_id)
            lines = [describe(r) for r in requests[:10]]
            open_ids = [r.id for r in requests if r.status in cr.OPEN][:3]
        if not lines:
            dispatcher.utter_message(
                text="Tu n'as pas encore fait de demande. Je peux t'aider à trouver un "
                "ambassadeur ou un stage découverte.",
                buttons=[{"title": "Menu", "payload": "/menu"}],
            )
            return []
        dispatcher.utter_message(
            text="Tes demandes :\n" + "\n".join(lines),
            buttons=[
                {"title": f"Annuler la n°{i}", "payload": f'/cancel_request{{"request_id":"{i}"}}'}
                for i in open_ids
            ],
        )
        return []


class ActionCancelRequest(Action):
    """Cancel one of the user's open requests (never anyone else's)."""

    def name(self) -> str:
        return "action_cancel_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        raw = str(latest_entity(tracker, "request_id") or "")
        if not raw.isdigit():
            return await ActionRequestStatus().run(dispatcher, tracker, domain)
        try:
            with session_scope() as session:
                cr.cancel(session, user_id=tracker.sender_id, request_id=int(raw))
        except cr.RequestError as exc:
            dispatcher.utter_message(text=f"Impossible d'annuler : {exc}.")
            return []
        dispatcher.utter_message(text=f"La demande n°{raw} est annulée.")
        return []
