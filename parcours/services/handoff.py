"""Hand-off to a human: a pure state machine plus the persisted transitions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import Handoff, HandoffEvent, HandoffState, OutboxMessage
from parcours.repositories import users

S = HandoffState

#: Allowed transitions; anything else is a bug or a stale command.
TRANSITIONS: dict[HandoffState, frozenset[HandoffState]] = {
    S.BOT: frozenset({S.WAITING, S.HUMAN}),
    S.WAITING: frozenset({S.HUMAN, S.BOT, S.CLOSED}),
    S.HUMAN: frozenset({S.BOT, S.CLOSED}),
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
        user_id=user_id, state=S.WAITING, reason=reason, urgent=urgent, summary=summary
    )
    handoff.events.append(HandoffEvent(from_state=previous, to_state=S.WAITING, actor="user"))
    session.add(handoff)
    session.add(
        OutboxMessage(
            user_id=user_id,
            kind="handoff_requested",
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
