"""Contact requests from the chat: write, file, follow, cancel.

The sentences are domain responses (domain/requests.yml, tu and vous); only values and the
status of each request (one line per request) come from here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity
from actions.guard import Guarded
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.intents import payload
from parcours.models import ContactRequest
from parcours.services import contact_requests as cr
from parcours.services.french_calendar import french_time
from parcours.settings import get_settings

_STATUS = {
    "sent": "envoyée, réponse attendue avant le {due}",
    "accepted": "acceptée ✅{date}",
    "done": "réalisée",
    "expired": "sans réponse dans le délai : un coordinateur a été prévenu",
    "cancelled": "annulée",
}
#: The one status that speaks to the user, by register.
_DECLINED = {
    "tu": "déclinée (tu peux chercher un autre contact)",
    "vous": "déclinée (vous pouvez chercher un autre contact)",
}
_KIND = {"ambassador": "rencontre avec un ambassadeur", "ministage": "stage découverte"}


def _day(moment: date) -> str:
    return moment.strftime("%d/%m/%Y")


def describe(request: ContactRequest, *, register: str) -> str:
    """One line a user understands, in their register (`tu` or `vous`)."""
    proposed, at = request.proposed_date, request.meeting_time
    hour = f" à {french_time(at.hour, at.minute)}" if proposed and at else ""
    when = f" (date proposée : {_day(proposed)}{hour})" if proposed else ""
    template = (
        _DECLINED["vous" if register == "vous" else "tu"]
        if request.status == "declined"
        else _STATUS[request.status]
    )
    status = template.format(due=_day(request.due_at), date=when)
    return f"n°{request.id} – {_KIND.get(request.target_type, 'demande')} : {status}"


class ValidateRequestForm(Guarded, FormValidationAction):
    """A message and an availability, both short free text."""

    def name(self) -> str:
        return "validate_request_form"

    async def validate_request_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        """At least a few words."""
        text = str(value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(response="utter_request_too_short")
            return {"request_message": None}
        return {"request_message": text[:1000]}

    async def validate_request_availability(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        """Any indication of when."""
        text = str(value or "").strip()
        return {"request_availability": text[:200] if len(text) >= 2 else None}


class ActionFileRequest(Guarded, Action):
    """File the request and say when an answer is due."""

    def name(self) -> str:
        return "action_file_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kind, _, key = str(tracker.get_slot("request_target") or "").partition(":")
        register = str(tracker.get_slot("register") or "tu")
        reset = [
            SlotSet(s, None) for s in ("request_target", "request_message", "request_availability")
        ]
        with session_scope() as session:  # the target comes from a button: never trusted
            refused = cr.unavailable_reason(
                session, target_type=kind, target_key=key, register=register
            )
        if refused is not None:
            dispatcher.utter_message(response="utter_request_failed", reason=refused)
            return reset
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
                    register=register,
                )
                number, due = request.id, _day(request.due_at)
        except cr.RequestError as exc:
            dispatcher.utter_message(response="utter_request_failed", reason=str(exc))
            return reset
        dispatcher.utter_message(response="utter_request_sent", number=number, due=due)
        return reset


class ActionRequestStatus(Guarded, Action):
    """The user's own requests and where each stands."""

    def name(self) -> str:
        return "action_request_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        register = str(tracker.get_slot("register") or "tu")
        with session_scope() as session:
            requests = cr.for_user(session, user_id=tracker.sender_id)
            lines = [describe(r, register=register) for r in requests[:10]]
            open_ids = [r.id for r in requests if r.status in cr.OPEN][:3]
        if not lines:
            dispatcher.utter_message(response="utter_no_request")
            return []
        dispatcher.utter_message(
            response="utter_request_list",
            requests="\n".join(lines),
            buttons=[
                {
                    "title": f"Annuler la n°{i}",
                    "payload": payload("cancel_request", request_id=str(i)),
                }
                for i in open_ids
            ],
        )
        return []


class ActionCancelRequest(Guarded, Action):
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
                cr.cancel(
                    session,
                    user_id=tracker.sender_id,
                    request_id=int(raw),
                    register=str(tracker.get_slot("register") or "tu"),
                )
        except cr.RequestError as exc:
            dispatcher.utter_message(response="utter_cancel_failed", reason=str(exc))
            return []
        dispatcher.utter_message(response="utter_request_cancelled", number=raw)
        return []
