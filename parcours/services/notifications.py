"""Tell users what changed on their requests: outbox rows → French messages to deliver, in
each user's register (tu / vous)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import ContactRequest, OutboxMessage
from parcours.repositories import users
from parcours.services.outbox import USER_KINDS

#: Web users' ids start with it (never numeric: no collision with Telegram chat ids).
WEB_PREFIX = "web:"


@dataclass(frozen=True)
class Notice:
    """One message to send to one user: a Telegram chat (`chat_id`), or a web user
    (`chat_id` 0; `parcours.services.web_transcript` delivers it)."""

    outbox_id: int
    chat_id: int
    text: str
    user_id: str = ""


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
        "tu": "Pas de réponse dans le délai pour ta demande {number} : un coordinateur de "
        "l'Agence prend le relais.",
        "vous": "Pas de réponse dans le délai pour votre demande {number} : un coordinateur de "
        "l'Agence prend le relais.",
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
    return pair["vous" if register == "vous" else "tu"].format(
        number=f"n°{request.id}" if request else "",
        when=f" Date proposée : {proposed:%d/%m/%Y}." if proposed else "",
        note=f" Message : « {note} »." if note else "",
    )


def _deliverable(user_id: str, web: bool) -> bool:
    """Telegram users have numeric ids, web users `web:…` ids; others (replay, terminal)
    have nowhere to be told."""
    return user_id.startswith(WEB_PREFIX) if web else user_id.isdigit()


def pending(session: Session, *, limit: int = 50, web: bool = False) -> list[Notice]:
    """Undelivered user notices for Telegram users (numeric ids), or with `web` for web
    users, oldest first; a notice with nothing to say is marked sent here."""
    web_user = OutboxMessage.user_id.startswith(WEB_PREFIX, autoescape=True)
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind.in_(USER_KINDS),
            OutboxMessage.sent_at.is_(None),
            web_user if web else ~web_user,  # one channel's rows never starve the other's
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    notices = []
    for row in rows:
        if row.user_id is None or not _deliverable(row.user_id, web):
            continue  # another channel's, or nowhere to deliver
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
        chat_id = 0 if web else int(row.user_id)
        notices.append(Notice(row.id, chat_id, text, row.user_id))
    return notices


def mark_sent(session: Session, *, outbox_ids: list[int]) -> None:
    """Remember delivered (or undeliverable) notices."""
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outbox_ids))):
        row.sent_at = utcnow()
