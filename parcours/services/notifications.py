"""Tell users what changed on their requests: outbox rows → French messages to deliver, in
each user's register (tu / vous)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours import regions
from parcours.db.base import utcnow
from parcours.models import ContactRequest, OutboxMessage
from parcours.repositories import users
from parcours.services.outbox import USER_KINDS


@dataclass(frozen=True)
class Notice:
    """One message to send to one Telegram chat."""

    outbox_id: int
    chat_id: int
    text: str


#: What the user is told when a request changes status, in each register (tu / vous).
NOTICES: dict[str, dict[str, str]] = {
    "accepted": {
        "tu": "Bonne nouvelle ✅ ta demande {number} a été acceptée.{when}{note}",
        "vous": "Bonne nouvelle ✅ votre demande {number} a été acceptée.{when}{note}",
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


def _text(status: str, request: ContactRequest | None, note: str, register: str) -> str | None:
    pair = NOTICES.get(status)
    if pair is None:
        return None
    proposed: date | None = request.proposed_date if request else None
    return regions.fill(
        pair["vous" if register == "vous" else "tu"],
        number=f"n°{request.id}" if request else "",
        when=f" Date proposée : {proposed:%d/%m/%Y}." if proposed else "",
        note=f" Message : « {note} »." if note else "",
    )


def pending(session: Session, *, limit: int = 50) -> list[Notice]:
    """Undelivered user notices for Telegram users (numeric ids), oldest first."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind.in_(USER_KINDS), OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    notices = []
    for row in rows:
        if row.user_id is None or not row.user_id.isdigit():
            continue  # replay or terminal users: nothing to deliver to
        request = session.get(ContactRequest, row.payload.get("request_id"))
        user = users.get(session, user_id=row.user_id)
        text = _text(
            str(row.payload.get("status")),
            request,
            str(row.payload.get("note", "")),
            user.register if user is not None else "tu",
        )
        if text is None:  # e.g. the user's own cancellation: nothing to tell
            row.sent_at = utcnow()
            continue
        notices.append(Notice(row.id, int(row.user_id), text))
    return notices


def mark_sent(session: Session, *, outbox_ids: list[int]) -> None:
    """Remember delivered (or undeliverable) notices."""
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outbox_ids))):
        row.sent_at = utcnow()
