"""The web chat's transcript, one unit of work per call (for `bot/web_*`, which opens no
database session).

Every bubble a web user sees is stored, so that a reload, or a visit the next day, shows the
conversation again: what the user typed (or the button they pressed), the assistant's
replies, and what reached them outside their turns — a coordinator's reply, a request
notice — stored as *pushed* for the web server to send to the open page (`pushed_after`).
Nothing is stored for a user being forgotten (`parcours.services.forgetting`); forgetting
and retention delete these rows with the user's others (`privacy`, `retention`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from parcours.db.engine import session_scope
from parcours.models import WebMessage
from parcours.repositories import web_messages
from parcours.services import forgetting, notifications
from parcours.services.notifications import WEB_PREFIX

#: Bubbles shown again on a reload (older ones stay in /mes_donnees until the retention).
HISTORY_LIMIT = 200
ROLES = frozenset({"user", "ai", "coordinateur"})


@dataclass(frozen=True)
class Bubble:
    """One bubble to store: who said it, the channel-neutral body, an optional file."""

    role: str
    body: dict[str, Any]
    document: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class Entry:
    """A stored bubble; `id` is 0 when it was not stored (user being forgotten)."""

    id: int
    user_id: str
    role: str
    body: dict[str, Any]
    document_name: str | None = None


def is_web_user(user_id: str) -> bool:
    """Web users' ids are `web:<random>` (never numeric, unlike Telegram chat ids)."""
    return user_id.startswith(WEB_PREFIX)


def _entry(row: WebMessage) -> Entry:
    return Entry(row.id, row.user_id, row.role, dict(row.body), row.document_name)


def _store(session: Session, user_id: str, bubbles: list[Bubble], pushed: bool) -> list[Entry]:
    if forgetting.is_forgotten(session, user_id):
        return [Entry(0, user_id, b.role, b.body, b.document and b.document[0]) for b in bubbles]
    for bubble in bubbles:
        if bubble.role not in ROLES:
            raise ValueError(f"unknown role {bubble.role!r}")
    return [
        _entry(
            web_messages.add(
                session,
                user_id=user_id,
                role=b.role,
                body=b.body,
                pushed=pushed,
                document=b.document,
            )
        )
        for b in bubbles
    ]


def record(user_id: str, bubbles: list[Bubble]) -> list[Entry]:
    """A turn's bubbles (the user's input first), in order; what was stored."""
    with session_scope() as session:
        return _store(session, user_id, bubbles, pushed=False)


def push(user_id: str, bubbles: list[Bubble]) -> list[Entry]:
    """Bubbles reaching the user outside their turns, for the web server to push."""
    with session_scope() as session:
        return _store(session, user_id, bubbles, pushed=True)


def history(user_id: str, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """The user's last bubbles, oldest first."""
    with session_scope() as session:
        return [_entry(row) for row in web_messages.latest(session, user_id=user_id, limit=limit)]


def pushed_after(after_id: int, limit: int = 500) -> list[Entry]:
    """Pushed bubbles of every web user stored after `after_id`, oldest first."""
    with session_scope() as session:
        rows = web_messages.pushed_after(session, after_id=after_id, limit=limit)
        return [_entry(row) for row in rows]


def last_id() -> int:
    """Where pushes start for a server starting now."""
    with session_scope() as session:
        return web_messages.last_id(session)


def document(user_id: str, message_id: int) -> tuple[str, bytes] | None:
    """A file offered in one of the user's bubbles (None if not theirs)."""
    with session_scope() as session:
        return web_messages.document(session, user_id=user_id, message_id=message_id)


def deliver_notices(limit: int = 50) -> int:
    """Request notices for web users become pushed bubbles, marked sent in the same unit of
    work (nothing lost, nothing twice); how many."""
    with session_scope() as session:
        notices = notifications.pending(session, limit=limit, web=True)
        for notice in notices:
            _store(session, notice.user_id, [Bubble("ai", {"text": notice.text})], pushed=True)
        notifications.mark_sent(session, outbox_ids=[n.outbox_id for n in notices])
        return len(notices)
