"""Personal data: export everything about a user, and forget them (app DB + Rasa tracker)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import (
    ContactRequest,
    Handoff,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    StaffTopic,
    User,
)
from parcours.services import rasa_events
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings


def _conversation(settings: Settings, user_id: str) -> list[dict[str, Any]]:
    """The user's and the bot's messages in Rasa's tracker, oldest first."""
    return [
        {"type": event.type_name, "timestamp": event.timestamp, "text": event.data.get("text")}
        for event in rasa_events.events_of(settings, user_id)
        if event.type_name in ("user", "bot")
    ]


def export_user(session: Session, settings: Settings, *, user_id: str) -> dict[str, Any]:
    """Everything stored about the user, as a JSON-serialisable document."""
    user = session.get(User, user_id)
    if user is None:
        return {"user": None, "conversation": _conversation(settings, user_id)}
    handoffs = session.scalars(select(Handoff).where(Handoff.user_id == user_id)).all()
    staff_messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user_id)
    ).all()
    return {
        "user": {
            "id": user.id,
            "role": user.role,
            "age_band": user.age_band,
            "town_code": user.town_code,
            "created_at": user.created_at.isoformat(),
            "consent_shown_at": user.consent_shown_at.isoformat()
            if user.consent_shown_at
            else None,
        },
        "handoffs": [
            {"state": h.state, "reason": h.reason, "created_at": h.created_at.isoformat()}
            for h in handoffs
        ],
        "messages_to_staff": [m.payload for m in staff_messages],
        "contact_requests": [
            {
                "id": r.id,
                "target": f"{r.target_type}:{r.target_key}",
                "status": r.status,
                "message": r.message,
                "availability": r.availability,
                "created_at": r.created_at.isoformat(),
            }
            for r in session.scalars(
                select(ContactRequest).where(ContactRequest.user_id == user_id)
            )
        ],
        "conversation": _conversation(settings, user_id),
    }


def forget_user(session: Session, settings: Settings, *, user_id: str) -> None:
    """Delete the user's rows here and their conversation in Rasa's tracker store.

    Bots cannot delete group messages older than 48 h, so the user's staff forum topic is
    deleted as a whole: queued here (an anonymous outbox row), done by the Telegram bot.
    """
    topic = session.get(StaffTopic, user_id)
    if topic is not None:
        session.add(
            OutboxMessage(
                user_id=None,
                kind=OutboxKind.STAFF_DELETE_TOPIC,
                payload={"chat_id": topic.chat_id, "thread_id": topic.thread_id},
            )
        )
    models = (ProcessedMessage, PendingMessage, OutboxMessage, Handoff, ContactRequest, StaffTopic)
    for model in models:
        for row in session.scalars(select(model).where(model.user_id == user_id)):
            session.delete(row)
    user = session.get(User, user_id)
    if user is not None:
        session.delete(user)
    session.flush()
    rasa_events.delete_conversation(settings, user_id)
