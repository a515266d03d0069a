"""Personal data: export everything about a user, and forget them (app DB + Rasa tracker)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from parcours.db.engine import get_engine
from parcours.db.urls import for_app
from parcours.models import (
    ContactRequest,
    Handoff,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    StaffTopic,
    User,
)
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings


def tracker_url(settings: Settings) -> str:
    """SQLAlchemy URL of Rasa's tracker store (the settings `make up` writes into Rasa's
    endpoints), for this process's driver."""
    return for_app(settings.rasa_tracker_url or f"sqlite:///{settings.rasa_tracker_db}")


def tracker_missing(settings: Settings) -> bool:
    """True when the tracker is a SQLite file that does not exist yet (Rasa never ran).

    Readers check this first: connecting to a missing SQLite file would create it empty.
    """
    parsed = make_url(tracker_url(settings))
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database
    return not database or (database != ":memory:" and not Path(database).exists())


def _tracker_events(settings: Settings, user_id: str) -> list[dict[str, Any]]:
    if tracker_missing(settings):
        return []
    try:
        with get_engine(tracker_url(settings)).connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT type_name, timestamp, data FROM events WHERE sender_id = :id "
                    "ORDER BY id"
                ),
                {"id": user_id},
            ).all()
    except (OperationalError, ProgrammingError):  # no tracker table yet
        return []
    events = []
    for type_name, timestamp, data in rows:
        event = json.loads(data) if data else {}
        if type_name in ("user", "bot"):
            events.append({"type": type_name, "timestamp": timestamp, "text": event.get("text")})
    return events


def export_user(session: Session, settings: Settings, *, user_id: str) -> dict[str, Any]:
    """Everything stored about the user, as a JSON-serialisable document."""
    user = session.get(User, user_id)
    if user is None:
        return {"user": None, "conversation": _tracker_events(settings, user_id)}
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
        "conversation": _tracker_events(settings, user_id),
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
    if tracker_missing(settings):
        return  # Rasa never ran: no conversation stored
    try:
        with get_engine(tracker_url(settings)).begin() as conn:
            conn.execute(text("DELETE FROM events WHERE sender_id = :id"), {"id": user_id})
    except (OperationalError, ProgrammingError):
        pass  # no tracker table yet: nothing to delete
