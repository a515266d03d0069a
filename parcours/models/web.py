"""The web chat's transcript: what a web user and the assistant (or a coordinator) said."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from parcours.db.base import Base, TimestampMixin


class WebMessage(TimestampMixin, Base):
    """One bubble of a web conversation, shown again when the page is reloaded.

    `body` is the channel-neutral reply (`bot.render.Reply.as_dict`: text, buttons,
    location), or `{"text": …}` for what the user typed. `pushed` marks what reached the
    user outside one of their turns (a coordinator's reply, a request notice): the web
    server pushes those to the open page. No foreign key to `users`: the first bubble may
    be stored before the user row exists; forgetting and retention delete by `user_id`.
    """

    __tablename__ = "web_messages"
    __table_args__ = (Index("ix_web_messages_pushed_id", "pushed", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))  # user | ai | coordinateur
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    pushed: Mapped[bool] = mapped_column(default=False)
    #: A file offered for download (/mes_donnees, a meeting's .ics): name and content.
    document_name: Mapped[str | None] = mapped_column(String(128))
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
