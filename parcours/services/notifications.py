"""What users are told when their requests change: outbox rows (`request_update`) →
French messages, in each user's register (tu / vous); delivered by `user_outbox`."""

from __future__ import annotations

from typing import Any

from parcours import regions
from parcours.models import ContactRequest
from parcours.services.french_calendar import french_time

#: What the user is told when a request changes status, in each register (tu / vous).
NOTICES: dict[str, dict[str, str]] = {
    "accepted": {
        "tu": "Bonne nouvelle ✅ ta demande {number} a été acceptée.{when}{note}",
        "vous": "Bonne nouvelle ✅ votre demande {number} a été acceptée.{when}{note}",
    },
    "rescheduled": {
        "tu": "📅 Nouvelle date pour ta demande {number}.{when}{note}",
        "vous": "📅 Nouvelle date pour votre demande {number}.{when}{note}",
    },
    "declined": {
        "tu": "Ta demande {number} n'a pas pu être acceptée.{note} Tu peux chercher un autre "
        "contact, ou demander un conseiller.",
        "vous": "Votre demande {number} n'a pas pu être acceptée.{note} Vous pouvez chercher un "
        "autre contact, ou demander un conseiller.",
    },
    "expired": {
        "tu": "Pas de réponse dans le délai pour ta demande {number} : un coordinateur "
        "{of_org} prend le relais.",
        "vous": "Pas de réponse dans le délai pour votre demande {number} : un coordinateur "
        "{of_org} prend le relais.",
    },
    "done": {
        "tu": "Ta demande {number} est terminée. Merci ! Dis-moi si tu as d'autres questions.",
        "vous": "Votre demande {number} est terminée. Merci ! Dites-moi si vous avez d'autres "
        "questions.",
    },
}


def _when(request: ContactRequest | None) -> str:
    if request is None or request.proposed_date is None:
        return ""
    when = f" Date proposée : {request.proposed_date:%d/%m/%Y}"
    if request.meeting_time is not None:
        when += f" à {french_time(request.meeting_time.hour, request.meeting_time.minute)}"
    if request.meeting_place:
        when += f", lieu : {request.meeting_place}"
    return when + "."


def text_of(payload: dict[str, Any], request: ContactRequest | None, register: str) -> str | None:
    """The notice of a `request_update` row; None when there is nothing to tell (the user's
    own cancellation, a report-back recorded after the follow-up)."""
    pair = NOTICES.get(str(payload.get("status")))
    if pair is None or payload.get("quiet"):
        return None
    note = str(payload.get("note", ""))
    return regions.fill(
        pair["vous" if register == "vous" else "tu"],
        number=f"n°{request.id}" if request else "",
        when=_when(request),
        note=f" Message : « {note} »." if note else "",
    )
