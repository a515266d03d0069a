"""A user's request to meet an ambassador or to take a mini-stage offer, tracked to its end."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parcours.db.base import Base, TimestampMixin


class RequestStatus(StrEnum):
    """Where a contact request stands."""

    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DONE = "done"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class ContactRequest(TimestampMixin, Base):
    """Filed by a user; answered (through a coordinator) by the ambassador or company.

    Its id is the request number users and coordinators quote (`/demande N acceptee`): never
    reused, so SQLite's AUTOINCREMENT (a plain rowid primary key reuses the largest id after
    it is deleted); PostgreSQL's sequences never go back.
    """

    __tablename__ = "contact_requests"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(16))  # ambassador | ministage
    target_key: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[str] = mapped_column(String(256), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    due_at: Mapped[datetime]
    remind_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    proposed_date: Mapped[date | None]
    answer_note: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[str] = mapped_column(Text, default="")
    # After an acceptance with a date (parcours/services/meetings.py): the meeting's time and
    # place when known, when its date was (last) set and how many times (the .ics SEQUENCE),
    # the day-before reminder, the follow-up to the user and the report-back of the charter.
    meeting_time: Mapped[time | None]
    meeting_place: Mapped[str] = mapped_column(String(256), default="", server_default="")
    meeting_set_at: Mapped[datetime | None]
    meeting_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    meeting_reminded_at: Mapped[datetime | None]
    follow_up_sent_at: Mapped[datetime | None]
    follow_up_answer: Mapped[str | None] = mapped_column(String(8))  # oui | moyen | non
    follow_up_answered_at: Mapped[datetime | None]
    report_at: Mapped[datetime | None]  # the ambassador's or company's report-back recorded

    events: Mapped[list[ContactRequestEvent]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ContactRequestEvent.id"
    )


class ContactRequestEvent(TimestampMixin, Base):
    """Audit trail of status changes (who, when, why)."""

    __tablename__ = "contact_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[ContactRequest] = relationship(back_populates="events")
