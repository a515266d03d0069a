"""Users: lookup, creation and profile updates."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from parcours.db.base import utcnow
from parcours.models import AGE_BANDS, ROLES, User


def get(session: Session, *, user_id: str) -> User | None:
    """The user with this sender id, if known."""
    return session.get(User, user_id)


def get_or_create(session: Session, *, user_id: str) -> User:
    """The user with this sender id, created on first contact.

    The bot and the action server (and replicas of either) may see a new user at the same
    moment: INSERT … ON CONFLICT DO NOTHING lets the first one create the row and the others
    read it, where a plain INSERT would fail the others' whole unit of work.
    """
    user = session.get(User, user_id)
    if user is None:
        dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
        session.execute(
            dialect.insert(User).values(id=user_id).on_conflict_do_nothing(index_elements=["id"])
        )
        user = session.get(User, user_id)
        assert user is not None  # inserted here or by a concurrent first contact
    return user


def update_profile(
    session: Session,
    *,
    user_id: str,
    role: str | None = None,
    age_band: str | None = None,
) -> User:
    """Store the role and/or age band (unknown values are rejected)."""
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if age_band is not None and age_band not in AGE_BANDS:
        raise ValueError(f"unknown age band {age_band!r}")
    user = get_or_create(session, user_id=user_id)
    if role is not None:
        user.role = role
    if age_band is not None:
        user.age_band = age_band
    user.last_seen_at = utcnow()
    return user


def mark_consent_shown(session: Session, *, user_id: str) -> User:
    """Remember that the privacy notice was shown (it is shown once)."""
    user = get_or_create(session, user_id=user_id)
    if user.consent_shown_at is None:
        user.consent_shown_at = utcnow()
    return user
