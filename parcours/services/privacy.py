"""Personal data: export everything about a user, and forget them (app DB + Rasa tracker).

Forgetting is done twice: at once, and again once the turns that were in flight when it was
asked have ended (`parcours.services.forgetting` explains why).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours import regions
from parcours.db.base import utcnow
from parcours.models import (
    ContactRequest,
    Handoff,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    StaffTopic,
    User,
    WebMessage,
)
from parcours.repositories import web_messages
from parcours.services import forgetting, rasa_events
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings

#: Tables with rows of one user (besides `users`), deleted when they are forgotten.
_USER_ROWS = (
    ProcessedMessage,
    PendingMessage,
    OutboxMessage,
    Handoff,
    ContactRequest,
    StaffTopic,
    WebMessage,
)


def _conversation(settings: Settings, user_id: str) -> list[dict[str, Any]]:
    """The user's and the bot's messages in Rasa's tracker, oldest first."""
    return [
        {"type": event.type_name, "timestamp": event.timestamp, "text": event.data.get("text")}
        for event in rasa_events.events_of(settings, user_id)
        if event.type_name in ("user", "bot")
    ]


def _iso(value: datetime | date | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def _meeting(request: ContactRequest) -> dict[str, Any]:
    """What an accepted request's meeting keeps: date, time, place, the reminder and
    follow-up sent, the user's answer, the report-back of the ambassador or company."""
    return {
        "answer_note": request.answer_note,
        "meeting_date": _iso(request.proposed_date),
        "meeting_time": _iso(request.meeting_time),
        "meeting_place": request.meeting_place,
        "meeting_set_at": _iso(request.meeting_set_at),
        "reminder_sent_at": _iso(request.meeting_reminded_at),
        "follow_up_sent_at": _iso(request.follow_up_sent_at),
        "follow_up_answer": request.follow_up_answer,
        "follow_up_answered_at": _iso(request.follow_up_answered_at),
        "report": request.report,
        "report_at": _iso(request.report_at),
    }


def export_user(session: Session, settings: Settings, *, user_id: str) -> dict[str, Any]:
    """Everything stored about the user, as a JSON-serialisable document, with the data
    controller of the region (its pack's `privacy_controller`)."""
    controller = regions.region(settings.region).privacy_controller
    user = session.get(User, user_id)
    if user is None:
        return {
            "controller": controller,
            "user": None,
            "conversation": _conversation(settings, user_id),
            "web_chat": _web_chat(session, user_id),
        }
    handoffs = session.scalars(select(Handoff).where(Handoff.user_id == user_id)).all()
    staff_messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user_id)
    ).all()
    return {
        "controller": controller,
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
                **_meeting(r),
            }
            for r in session.scalars(
                select(ContactRequest).where(ContactRequest.user_id == user_id)
            )
        ],
        "conversation": _conversation(settings, user_id),
        "web_chat": _web_chat(session, user_id),
    }


def _web_chat(session: Session, user_id: str) -> list[dict[str, Any]]:
    """The web chat's transcript (empty for Telegram users); files by name only."""
    return [
        {
            "role": row.role,
            "created_at": row.created_at.isoformat(),
            **row.body,
            **({"document": row.document_name} if row.document_name else {}),
        }
        for row in web_messages.of_user(session, user_id=user_id)
    ]


def forget_user(
    session: Session, settings: Settings, *, user_id: str, now: datetime | None = None
) -> None:
    """Delete the user's rows here and their conversation in Rasa's tracker store, and lay
    a tombstone so that a turn in flight cannot bring them back (`forgetting`).

    Bots cannot delete group messages older than 48 h, so the user's staff forum topic is
    deleted as a whole: queued here (an anonymous outbox row), done by the Telegram bot.
    """
    forgetting.mark(session, user_id, now=now or utcnow())
    _erase(session, settings, user_id)


def _erase(session: Session, settings: Settings, user_id: str) -> None:
    topic = session.get(StaffTopic, user_id)
    if topic is not None:
        session.add(
            OutboxMessage(
                user_id=None,
                kind=OutboxKind.STAFF_DELETE_TOPIC,
                payload={"chat_id": topic.chat_id, "thread_id": topic.thread_id},
            )
        )
    for model in _USER_ROWS:
        for row in session.scalars(select(model).where(model.user_id == user_id)):
            session.delete(row)
    user = session.get(User, user_id)
    if user is not None:
        session.delete(user)
    session.flush()
    rasa_events.delete_conversation(settings, user_id)


def finish_forgetting_of(
    session: Session, settings: Settings, *, user_id: str, now: datetime
) -> bool:
    """The user writes again: if their tombstone's window has passed, delete again what
    turns in flight wrote back and lift it; True while they are still being forgotten."""
    since = forgetting.forgotten_at(session, user_id)
    if since is None:
        return False
    if now < since + forgetting.window(settings):
        return True
    _erase(session, settings, user_id)
    forgetting.drop(session, {forgetting.user_hash(user_id)})
    return False


def finish_forgetting(session: Session, settings: Settings, *, now: datetime) -> int:
    """The second deletion for every tombstone whose window has passed, then the tombstones
    go; how many. Only hashes are kept, so the ids are found by hashing every id the app
    tables and the tracker know (run every few seconds by the bot, rarely with work)."""
    due = forgetting.due(session, settings, now=now)
    if not due:
        return 0
    known = rasa_events.senders(settings) | set(session.scalars(select(User.id)))
    for model in _USER_ROWS:
        known |= {str(u) for u in session.scalars(select(model.user_id).distinct()) if u}
    for user_id in known:
        if forgetting.user_hash(user_id) in due:
            _erase(session, settings, user_id)
    forgetting.drop(session, due)
    return len(due)
