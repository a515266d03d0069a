"""A person talking to the assistant: the minimum needed to answer well."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from parcours.db.base import Base, TimestampMixin, utcnow

ROLES = ("eleve", "parent", "demandeur_emploi", "salarie", "professionnel")
AGE_BANDS = ("moins_15", "15_17", "18_25", "26_plus")


class User(TimestampMixin, Base):
    """Keyed by the channel's sender id (Telegram user id, or a replay id).

    No name, phone or e-mail is stored: role, age band and town are enough to adapt answers
    and route to a territory.
    """

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str | None] = mapped_column(String(32))
    age_band: Mapped[str | None] = mapped_column(String(16))
    town_code: Mapped[str | None] = mapped_column(String(8))
    consent_shown_at: Mapped[datetime | None]
    handoff_state: Mapped[str] = mapped_column(String(16), default="bot")
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def audience(self) -> str:
        """`adulte` for job seekers and employees (their own menu), `jeune` otherwise."""
        return "adulte" if self.role in ("demandeur_emploi", "salarie") else "jeune"

    @property
    def register(self) -> str:
        """`vous` for parents, professionals and adults at work; `tu` otherwise."""
        if self.role in ("parent", "professionnel", "salarie"):
            return "vous"
        if self.role == "demandeur_emploi" and self.age_band == "26_plus":
            return "vous"
        return "tu"


class ForgottenUser(Base):
    """A tombstone: this user asked to be forgotten at `forgotten_at` (/oubli).

    Only a keyed hash of the id is kept (`parcours.services.forgetting`). While it lasts,
    nothing is written for that user and the action server refuses to act for them; when it
    is due, a second deletion removes whatever a turn in flight wrote back, then the tombstone
    itself goes.
    """

    __tablename__ = "forgotten_users"

    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    forgotten_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
