"""Hand-off to a human: a pure state machine plus the persisted transitions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import (
    Commune,
    Handoff,
    HandoffEvent,
    HandoffNote,
    HandoffState,
    OutboxMessage,
)
from parcours.repositories import users
from parcours.services.outbox import OutboxKind

S = HandoffState

#: Allowed transitions; anything else is a bug or a stale command.
TRANSITIONS: dict[HandoffState, frozenset[HandoffState]] = {
    S.BOT: frozenset({S.WAITING, S.HUMAN}),
    S.WAITING: frozenset({S.HUMAN, S.BOT, S.CLOSED}),
    S.HUMAN: frozenset({S.BOT, S.CLOSED, S.WAITING}),  # → waiting: transferred
    S.CLOSED: frozenset({S.BOT, S.WAITING, S.HUMAN}),
}


class InvalidTransitionError(ValueError):
    """A transition the state machine does not allow."""


def next_state(current: HandoffState, target: HandoffState) -> HandoffState:
    """Validate `current → target` and return the target."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransitionError(f"{current} → {target} is not allowed")
    return target


def current_state(session: Session, *, user_id: str) -> HandoffState:
    """Who holds the conversation of this user now."""
    user = users.get(session, user_id=user_id)
    return HandoffState(user.handoff_state) if user else S.BOT


def open_handoff(session: Session, *, user_id: str) -> Handoff | None:
    """The episode in progress (waiting or human), if any."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.user_id == user_id, Handoff.state.in_([S.WAITING, S.HUMAN]))
        .order_by(Handoff.id.desc())
        .limit(1)
    ).first()


def request(
    session: Session,
    *,
    user_id: str,
    reason: str,
    urgent: bool = False,
    summary: str | None = None,
) -> Handoff:
    """Put the user in the waiting queue (idempotent while an episode is open)."""
    existing = open_handoff(session, user_id=user_id)
    if existing is not None:
        if urgent and not existing.urgent:
            existing.urgent = True
        return existing
    user = users.get_or_create(session, user_id=user_id)
    previous = HandoffState(user.handoff_state)
    user.handoff_state = next_state(previous, S.WAITING)
    handoff = Handoff(
        user_id=user_id,
        state=S.WAITING,
        reason=reason,
        urgent=urgent,
        summary=summary,
        departement=_departement(session, user.town_code),
    )
    handoff.events.append(HandoffEvent(from_state=previous, to_state=S.WAITING, actor="user"))
    session.add(handoff)
    session.add(
        OutboxMessage(
            user_id=user_id,
            kind=OutboxKind.HANDOFF_REQUESTED,
            payload={"reason": reason, "urgent": urgent, "summary": summary or ""},
        )
    )
    session.flush()
    return handoff


def transition(
    session: Session, *, user_id: str, target: HandoffState, actor: str
) -> Handoff | None:
    """Move the user's open episode (or the user, back to the bot) to `target`."""
    user = users.get_or_create(session, user_id=user_id)
    previous = HandoffState(user.handoff_state)
    user.handoff_state = next_state(previous, target)
    handoff = open_handoff(session, user_id=user_id)
    if handoff is not None:
        handoff.state = target
        if target in (S.BOT, S.CLOSED):
            handoff.ended_at = utcnow()
        handoff.events.append(HandoffEvent(from_state=previous, to_state=target, actor=actor))
    session.flush()
    return handoff


def take(session: Session, *, user_id: str, coordinator_id: int) -> Handoff:
    """A coordinator takes the chat: from the queue, from a colleague, or on their own."""
    user = users.get_or_create(session, user_id=user_id)
    previous = HandoffState(user.handoff_state)
    handoff = open_handoff(session, user_id=user_id)
    if handoff is None:  # the coordinator steps in without being asked
        handoff = Handoff(
            user_id=user_id,
            state=S.HUMAN,
            reason="coordinator",
            departement=_departement(session, user.town_code),
        )
        session.add(handoff)
    if previous is not S.HUMAN:
        user.handoff_state = next_state(previous, S.HUMAN)
        handoff.state = S.HUMAN
        handoff.events.append(
            HandoffEvent(
                from_state=previous, to_state=S.HUMAN, actor=f"coordinator:{coordinator_id}"
            )
        )
    handoff.coordinator_id = coordinator_id
    handoff.taken_at = handoff.taken_at or utcnow()
    session.flush()
    return handoff


def transfer(session: Session, *, user_id: str, actor: str) -> Handoff | None:
    """Put a held chat back in the queue for another coordinator or territory."""
    handoff = open_handoff(session, user_id=user_id)
    if handoff is None:
        return None
    if handoff.state == S.HUMAN:
        transition(session, user_id=user_id, target=S.WAITING, actor=actor)
    handoff.coordinator_id = None
    handoff.reannounced_at = None
    session.flush()
    return handoff


def latest(session: Session, *, user_id: str) -> Handoff | None:
    """The user's most recent episode, open or not."""
    return session.scalars(
        select(Handoff).where(Handoff.user_id == user_id).order_by(Handoff.id.desc()).limit(1)
    ).first()


def add_note(session: Session, *, user_id: str, author_id: int, text: str) -> HandoffNote | None:
    """A private coordinator note on the user's latest episode (None: no episode yet)."""
    handoff = latest(session, user_id=user_id)
    if handoff is None:
        return None
    note = HandoffNote(author_id=author_id, text=text.strip()[:2000])
    handoff.notes.append(note)
    session.flush()
    return note


def rate(session: Session, *, user_id: str, score: int) -> bool:
    """The user's one-tap satisfaction answer after a closed episode (first answer counts)."""
    handoff = latest(session, user_id=user_id)
    if handoff is None or handoff.state != S.CLOSED or not 1 <= score <= 3:
        return False
    if handoff.satisfaction is None:
        handoff.satisfaction = score
    return True


def waiting(session: Session) -> list[Handoff]:
    """Chats waiting for a coordinator, urgent first, then oldest first."""
    return list(
        session.scalars(
            select(Handoff)
            .where(Handoff.state == S.WAITING)
            .order_by(Handoff.urgent.desc(), Handoff.created_at)
        )
    )


def due_for_reannounce(session: Session, *, now: datetime, minutes: int) -> list[Handoff]:
    """Waiting chats nobody took within `minutes`, not yet announced to a backup."""
    return [
        h
        for h in waiting(session)
        if h.reannounced_at is None and h.created_at <= now - timedelta(minutes=minutes)
    ]


def _departement(session: Session, town_code: str | None) -> str | None:
    commune = session.get(Commune, town_code) if town_code else None
    return commune.departement if commune else None
