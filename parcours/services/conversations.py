"""What the dialogue pipeline keeps about a user's conversation, one unit of work per call.

For front ends (`bot/`), which do not open database sessions: who holds the chat and the
user's register, the answers already given (a redelivered input gets the same answer, not a
second turn), messages kept while Rasa is down, messages relayed to the staff while a
coordinator holds the chat, and the users' own commands (rating, /recommencer, /mes_donnees,
/oubli). Nothing is written for a user being forgotten (`parcours.services.forgetting`).
Database outages surface as `parcours.services.health.OUTAGE` errors; callers
retry whole turns.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.db.engine import session_scope, wal_checkpoint
from parcours.models import Commune, User
from parcours.models import HandoffState as HandoffState  # for front ends, which see no models
from parcours.repositories import outbox, pending, processed, users
from parcours.repositories.pending import Kept
from parcours.services import forgetting, handoff, meetings, privacy, rasa_events
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings

#: States in which a coordinator holds (or is about to hold) the chat: no Rasa turns.
HELD = frozenset({HandoffState.WAITING, HandoffState.HUMAN})
Replies = list[dict[str, Any]]


def _register(session: Session, user_id: str) -> str:
    """The user's register (`tu` for a user unknown to the database); `session.get` finds a
    user the unit of work already read without another round trip."""
    user = users.get(session, user_id=user_id)
    return user.register if user is not None else "tu"


def state(user_id: str) -> HandoffState:
    """Who holds the chat."""
    with session_scope() as session:
        return handoff.current_state(session, user_id=user_id)


def register_of(user_id: str) -> str:
    """The user's register (`tu` for a user unknown to the database)."""
    with session_scope() as session:
        return _register(session, user_id)


def department_of(user_id: str) -> str | None:
    """The department of the user's stored commune, if known (its public holidays)."""
    with session_scope() as session:
        user = session.get(User, user_id)
        commune = session.get(Commune, user.town_code) if user and user.town_code else None
        return commune.departement if commune else None


def where(user_id: str) -> tuple[HandoffState, str]:
    """Who holds the chat, and the user's register, in one read."""
    with session_scope() as session:
        return handoff.current_state(session, user_id=user_id), _register(session, user_id)


def already_answered(
    settings: Settings, user_id: str, message_key: str
) -> tuple[Replies | None, HandoffState, str, bool]:
    """The replies already given to this input (None if new), who holds the chat, the user's
    register, and whether their /oubli is not final yet (`being_forgotten`): one unit of work
    for all four unless the user has a tombstone."""
    with session_scope() as session:
        found = _answered(session, user_id, message_key)
        tombstoned = forgetting.forgotten_at(session, user_id) is not None
    if not tombstoned:
        return (*found, False)
    if being_forgotten(settings, user_id):
        return (*found, True)
    with session_scope() as session:  # the deletion just became final: what is left now
        return (*_answered(session, user_id, message_key), False)


def _answered(
    session: Session, user_id: str, message_key: str
) -> tuple[Replies | None, HandoffState, str]:
    replies = processed.answer_to(session, user_id=user_id, message_key=message_key)
    return replies, handoff.current_state(session, user_id=user_id), _register(session, user_id)


def remember(user_id: str, message_key: str, replies: Replies) -> None:
    """Store the answer to an input; the user was seen now (nothing for a user forgotten
    while the turn ran)."""
    with session_scope() as session:
        if forgetting.is_forgotten(session, user_id):
            return
        users.get_or_create(session, user_id=user_id).last_seen_at = utcnow()
        processed.remember(session, user_id=user_id, message_key=message_key, replies=replies)


def request_handoff(user_id: str, *, reason: str, urgent: bool) -> HandoffState:
    """Rasa asked for a human: queue the user (idempotent); the state after it."""
    with session_scope() as session:
        if forgetting.is_forgotten(session, user_id):
            return HandoffState.BOT
        handoff.request(session, user_id=user_id, reason=reason, urgent=urgent)
        return handoff.current_state(session, user_id=user_id)


def cancel_waiting(user_id: str) -> tuple[HandoffState, str]:
    """The user goes back to the assistant if still waiting; the state after it, and the
    user's register."""
    with session_scope() as session:
        if handoff.current_state(session, user_id=user_id) is HandoffState.WAITING:
            handoff.transition(session, user_id=user_id, target=HandoffState.BOT, actor="user")
        return handoff.current_state(session, user_id=user_id), _register(session, user_id)


def rate(user_id: str, score: int) -> None:
    """The user's satisfaction answer after a closed episode."""
    with session_scope() as session:
        handoff.rate(session, user_id=user_id, score=score)


def answer_follow_up(user_id: str, request_id: int, answer: str) -> bool:
    """The user's one-tap answer after a meeting; False when the request is not theirs (or
    gone, or never followed up)."""
    with session_scope() as session:
        return meetings.answer_follow_up(
            session, user_id=user_id, request_id=request_id, answer=answer, now=utcnow()
        )


def relay_text(user_id: str, text: str) -> None:
    """A message typed while held: queued for the user's staff topic."""
    _relay(user_id, OutboxKind.USER_MESSAGE, {"text": text})


def relay_media(user_id: str, chat_id: int, message_id: int) -> None:
    """A photo, document, voice… sent while held: queued to be copied to the staff topic."""
    _relay(user_id, OutboxKind.USER_MEDIA, {"chat_id": chat_id, "message_id": message_id})


def _relay(user_id: str, kind: OutboxKind, payload: dict[str, Any]) -> None:
    with session_scope() as session:
        if forgetting.is_forgotten(session, user_id):
            return
        users.get_or_create(session, user_id=user_id)
        outbox.add(session, user_id=user_id, kind=kind, payload=payload)


def keep_for_later(user_id: str, message_key: str, text: str) -> None:
    """Rasa is down: keep the message, to answer it once Rasa is back."""
    with session_scope() as session:
        if forgetting.is_forgotten(session, user_id):
            return
        users.get_or_create(session, user_id=user_id)
        pending.keep(session, user_id=user_id, message_key=message_key, text=text)


def kept(limit: int) -> list[Kept]:
    """The oldest kept messages, in arrival order."""
    with session_scope() as session:
        return pending.oldest(session, limit=limit)


def answered_kept(pending_id: int) -> None:
    """A kept message was answered: it leaves the queue."""
    with session_scope() as session:
        pending.drop(session, pending_id=pending_id)


def start_over(user_id: str) -> None:
    """/recommencer: forget the role and age band (asked again)."""
    with session_scope() as session:
        if forgetting.is_forgotten(session, user_id):
            return
        user = users.get_or_create(session, user_id=user_id)
        user.role, user.age_band = None, None


def export_data(settings: Settings, user_id: str) -> tuple[str, dict[str, Any]]:
    """/mes_donnees: the user's register and everything kept about them."""
    with session_scope() as session:
        register = _register(session, user_id)
        return register, privacy.export_user(session, settings, user_id=user_id)


def forget(settings: Settings, user_id: str) -> str:
    """A confirmed /oubli: delete the user (and lay their tombstone); their register, read
    before."""
    with session_scope() as session:
        register = _register(session, user_id)
        privacy.forget_user(session, settings, user_id=user_id, now=utcnow())
    scrub_files(settings)
    return register


def being_forgotten(settings: Settings, user_id: str) -> bool:
    """True while the user's /oubli is not final yet (turns that were in flight may still
    write): no Rasa turn for them meanwhile. Past that window, the second deletion is done
    here and the user starts afresh."""
    with session_scope() as session:
        if forgetting.forgotten_at(session, user_id) is None:
            return False
        still = privacy.finish_forgetting_of(session, settings, user_id=user_id, now=utcnow())
    if not still:
        scrub_files(settings)
    return still


def scrub_files(settings: Settings) -> None:
    """After a deletion, SQLite's write-ahead logs of the app and the tracker databases are
    emptied: deleted rows stay readable there otherwise."""
    wal_checkpoint()
    rasa_events.checkpoint(settings)
