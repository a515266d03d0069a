"""Tombstones of forgotten users: what makes /oubli final while turns are in flight.

When /oubli is confirmed while a Rasa turn of the same user is running (the bot's Rasa
timeout, the pending-messages job and several replicas make it reachable), Rasa saves the
whole turn's events when the turn ends, and that turn's front end and actions write app rows:
the forgotten user came back. So forgetting writes a tombstone — a keyed hash of the user id
(LOG_SALT; never the id itself) and the time — and while it lasts:
- nothing is written for that user (`parcours.services.conversations` checks it);
- the bot answers that user without Rasa, and the action server refuses to act for them;
- once every turn that was in flight has ended (`window`: the bot's Rasa timeout plus a
  margin), a second deletion removes whatever they wrote back, then the tombstone goes
  (`parcours.services.privacy.finish_forgetting`, from the bot's periodic job or the user's
  own next message).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parcours.models import ForgottenUser
from parcours.settings import Settings, get_settings

#: Beyond the bot's Rasa timeout, time for Rasa to save a turn it finished late.
MARGIN_SECONDS = 30.0
#: Key of the hash when LOG_SALT is unset (development: every process must agree on it).
_DEV_KEY = "parcours-metier-forgotten"


def user_hash(user_id: str, settings: Settings | None = None) -> str:
    """The tombstone's key: HMAC-SHA256 of the user id under LOG_SALT."""
    key = (settings or get_settings()).log_salt or _DEV_KEY
    return hmac.new(key.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def window(settings: Settings) -> timedelta:
    """How long after forgetting a turn that was in flight may still write."""
    return timedelta(seconds=settings.rasa_timeout_seconds + MARGIN_SECONDS)


def mark(session: Session, user_id: str, *, now: datetime) -> None:
    """Lay (or renew) the user's tombstone."""
    key = user_hash(user_id)
    row = session.get(ForgottenUser, key)
    if row is None:
        session.add(ForgottenUser(user_hash=key, forgotten_at=now))
    else:
        row.forgotten_at = now


def forgotten_at(session: Session, user_id: str) -> datetime | None:
    """When the user was forgotten, while their tombstone lasts (None: not forgotten)."""
    row = session.get(ForgottenUser, user_hash(user_id))
    return None if row is None else row.forgotten_at


def is_forgotten(session: Session, user_id: str) -> bool:
    """True while the user's tombstone lasts: nothing may be written for them."""
    return forgotten_at(session, user_id) is not None


def due(session: Session, settings: Settings, *, now: datetime) -> set[str]:
    """Hashes of the tombstones whose window has passed (ready for the second deletion)."""
    cutoff = now - window(settings)
    return set(
        session.scalars(
            select(ForgottenUser.user_hash).where(ForgottenUser.forgotten_at <= cutoff)
        )
    )


def drop(session: Session, hashes: set[str]) -> None:
    """Remove these tombstones (after the second deletion)."""
    if hashes:
        session.execute(delete(ForgottenUser).where(ForgottenUser.user_hash.in_(hashes)))
