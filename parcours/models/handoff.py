"""Hand-off episodes to a human coordinator, with an audit trail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parcours.db.base import Base, TimestampMixin, utcnow


class HandoffState(StrEnum):
    """Who holds the conversation."""

    BOT = "bot"
    WAITING = "waiting"
    HUMAN = "human"
    CLOSED = "closed"


class Handoff(TimestampMixin, Base):
    """One episode: from the request for a human to the hand back or closing."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str | None] = mapped_column(Text)
    coordinator_id: Mapped[int | None] = mapped_column(BigInteger)
    topic_id: Mapped[int | None] = mapped_column(BigInteger)
    departement: Mapped[str | None] = mapped_column(String(3))  # territory, for statistics
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    taken_at: Mapped[datetime | None]
    reannounced_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    satisfaction: Mapped[int | None]  # 1–3, the user's one-tap answer after closing

    events: Mapped[list[HandoffEvent]] = relationship(
        back_populates="handoff", cascade="all, delete-orphan", order_by="HandoffEvent.id"
    )
    notes: Mapped[list[HandoffNote]] = relationship(
        back_populates="handoff", cascade="all, delete-orphan", order_by="HandoffNote.id"
    )


class HandoffEvent(TimestampMixin, Base):
    """Audit row written in the same unit of work as the state change."""

    __tablename__ = "handoff_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))

    handoff: Mapped[Handoff] = relationship(back_populates="events")


class HandoffNote(TimestampMixin, Base):
    """A coordinator's private note (`/note`): never relayed to the user."""

    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)

    handoff: Mapped[Handoff] = relationship(back_populates="notes")
