"""The coordinators' side of a user's conversation: their forum topic and its summary card."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from parcours.db.base import Base, TimestampMixin


class StaffTopic(TimestampMixin, Base):
    """One forum topic per user in the staff supergroup, with its pinned summary card.

    The topic name holds the user's first name (as Telegram shows it) and territory: it is
    deleted with the topic on `/oubli` and by the retention purge.
    """

    __tablename__ = "staff_topics"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger, index=True)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    card_text: Mapped[str | None] = mapped_column(String(4096))
    name: Mapped[str] = mapped_column(String(128))
