"""Message bookkeeping: the staff outbox and de-duplication of processed inputs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parcours.db.base import Base, TimestampMixin


class OutboxMessage(TimestampMixin, Base):
    """A notification for staff, kept until a sender (Telegram staff group) delivers it
    (or parks it after too many failures)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    sent_at: Mapped[datetime | None]
    #: Failed deliveries so far; the next one is not tried before `next_try_at` (backoff).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_try_at: Mapped[datetime | None]
    #: Given up after too many failures (a notice told the staff): never tried again.
    parked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(256))


class ProcessedMessage(TimestampMixin, Base):
    """An input already answered: a retried delivery must not produce a second turn."""

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("user_id", "message_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_key: Mapped[str] = mapped_column(String(64))
    replies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class PendingMessage(TimestampMixin, Base):
    """A message Rasa could not answer (down): kept and replayed when it is back."""

    __tablename__ = "pending_messages"
    __table_args__ = (UniqueConstraint("user_id", "message_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(4096))
    attempts: Mapped[int] = mapped_column(default=0)
