"""Retention purge: inactive users forgotten, old rows of the others deleted, idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from parcours.db.engine import session_scope
from parcours.models import (
    ContactRequest,
    ContactRequestEvent,
    Handoff,
    HandoffEvent,
    HandoffNote,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    StaffTopic,
    User,
    WebMessage,
)
from parcours.services import retention
from parcours.services.retention import ForumTopic
from parcours.settings import Settings
from tests.factories import tracker_event, tracker_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)  # retention is 365 days
RECENT = NOW - timedelta(days=10)
MODELS = (
    User,
    StaffTopic,
    ProcessedMessage,
    PendingMessage,
    OutboxMessage,
    Handoff,
    HandoffNote,
    HandoffEvent,
    ContactRequest,
    ContactRequestEvent,
    WebMessage,
)


def closed_handoff(user: str, at: datetime, state: str = "closed") -> Handoff:
    handoff = Handoff(
        user_id=user, state=state, reason="user_request", created_at=at, updated_at=at
    )
    if state in ("closed", "bot"):
        handoff.ended_at = at
    handoff.notes.append(HandoffNote(author_id=7, text="rappeler", created_at=at))
    handoff.events.append(
        HandoffEvent(from_state="waiting", to_state=state, actor="7", created_at=at)
    )
    return handoff


def contact_request(user: str, at: datetime, status: str) -> ContactRequest:
    request = ContactRequest(
        user_id=user,
        target_type="ambassador",
        target_key="a1",
        status=status,
        created_at=at,
        due_at=at + timedelta(days=10),
        remind_at=at + timedelta(days=7),
    )
    request.events.append(
        ContactRequestEvent(from_status="sent", to_status=status, actor="cli", created_at=at)
    )
    return request


def message_rows(user: str, at: datetime, key: str) -> list[object]:
    return [
        ProcessedMessage(user_id=user, message_key=key, replies=[], created_at=at),
        PendingMessage(user_id=user, message_key=key, text="allô ?", created_at=at),
        OutboxMessage(
            user_id=user, kind="handoff_requested", payload={}, created_at=at, sent_at=at
        ),
        WebMessage(user_id=user, role="user", body={"text": key}, created_at=at),
    ]


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> tuple[Settings, Engine]:
    """`gone` (inactive), `active` (old and recent rows), `busy` (inactive but waiting)."""
    engine = tracker_store(tmp_path / "tracker.db")
    with session_scope() as session:
        session.add_all(
            [
                User(id="gone", created_at=OLD, last_seen_at=OLD),
                # last_seen_at only moves with the profile: the tracker shows recent activity.
                User(id="active", created_at=OLD, last_seen_at=OLD),
                User(id="busy", created_at=OLD, last_seen_at=OLD),
            ]
        )
        session.flush()
        session.add(StaffTopic(user_id="gone", chat_id=-100123, thread_id=77, name="Léa · 14"))
        session.add(StaffTopic(user_id="active", chat_id=-100123, thread_id=78, name="Tom · 50"))
        session.add_all(message_rows("gone", OLD, "g1"))
        session.add(closed_handoff("gone", OLD))
        session.add(contact_request("gone", OLD, "done"))
        session.add_all(message_rows("active", OLD, "a-old"))
        session.add_all(message_rows("active", RECENT, "a-new"))
        session.add(
            OutboxMessage(user_id="active", kind="request_update", payload={}, created_at=OLD)
        )  # never delivered: kept
        session.add(closed_handoff("active", OLD))
        session.add(closed_handoff("active", OLD, state="bot"))
        session.add(closed_handoff("active", RECENT))
        session.add(contact_request("active", OLD, "done"))
        session.add(contact_request("active", OLD, "expired"))
        session.add(contact_request("active", OLD, "accepted"))  # not finished: kept
        session.add(contact_request("active", RECENT, "declined"))
        session.add(closed_handoff("busy", OLD, state="waiting"))
    for at in (OLD, OLD + timedelta(minutes=1)):
        tracker_event(engine, sender="gone", at=at)
        tracker_event(engine, sender="active", at=at)
    tracker_event(engine, sender="active", at=RECENT)
    tracker_event(engine, sender="bench-1", at=OLD)  # a sender with no app user
    return settings.model_copy(update={"rasa_tracker_db": str(tmp_path / "tracker.db")}), engine


def counts(session: Session) -> dict[str, int]:
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS}


def tracker_rows(engine: Engine) -> list[tuple[str, float]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sender_id, timestamp FROM events ORDER BY id"))
        return [(s, t) for s, t in rows]


def purge(settings: Settings, *, dry_run: bool = False) -> retention.PurgeResult:
    with session_scope() as session:
        return retention.purge(session, settings, now=NOW, dry_run=dry_run)


EXPECTED = {
    "forgotten_users": 1,
    "staff_topics": 1,
    "tracker_events": 3,  # active's two old events and the app-less sender's
    "processed_messages": 1,
    "pending_messages": 1,
    "outbox_messages": 1,
    "handoffs": 2,
    "contact_requests": 2,
    "web_messages": 1,  # active's old bubble (gone's go with them)
}


def test_an_inactive_user_is_forgotten_entirely_and_their_topic_listed(
    world: tuple[Settings, Engine],
) -> None:
    settings, engine = world
    result = purge(settings)
    assert result.topics == (ForumTopic(chat_id=-100123, thread_id=77),)
    assert result.forgotten_users == 1
    with session_scope() as session:
        assert session.get(User, "gone") is None
        assert session.get(StaffTopic, "gone") is None
        for model in (
            ProcessedMessage,
            PendingMessage,
            OutboxMessage,
            Handoff,
            ContactRequest,
            WebMessage,
        ):
            assert session.scalars(select(model).where(model.user_id == "gone")).first() is None
    assert all(sender != "gone" for sender, _ in tracker_rows(engine))


def test_old_rows_of_kept_users_go_and_recent_ones_stay(world: tuple[Settings, Engine]) -> None:
    settings, engine = world
    result = purge(settings)
    assert result.counts() == EXPECTED
    with session_scope() as session:
        assert session.get(User, "active") is not None
        assert session.get(User, "busy") is not None  # inactive, but waiting for a human
        assert session.get(StaffTopic, "active") is not None
        assert session.scalars(select(ProcessedMessage.message_key)).all() == ["a-new"]
        assert session.scalars(select(PendingMessage.message_key)).all() == ["a-new"]
        assert session.scalars(select(WebMessage.body)).all() == [{"text": "a-new"}]
        outbox = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(o.kind, o.sent_at is None) for o in outbox] == [
            ("handoff_requested", False),
            ("request_update", True),
            ("staff_delete_topic", True),  # the forgotten user's topic, queued for the bot
        ]
        handoffs = session.scalars(select(Handoff).order_by(Handoff.id)).all()
        assert [(h.user_id, h.state) for h in handoffs] == [
            ("active", "closed"),
            ("busy", "waiting"),
        ]
        assert all(h.created_at == RECENT for h in handoffs if h.user_id == "active")
        assert counts(session)["HandoffNote"] == 2  # the kept hand-offs' notes only
        statuses = session.scalars(select(ContactRequest.status).order_by(ContactRequest.id))
        assert list(statuses) == ["accepted", "declined"]
        assert counts(session)["ContactRequestEvent"] == 2
    assert tracker_rows(engine) == [("active", RECENT.timestamp())]


def test_a_dry_run_counts_the_same_and_changes_nothing(world: tuple[Settings, Engine]) -> None:
    settings, engine = world
    with session_scope() as session:
        before = counts(session)
    events_before = tracker_rows(engine)
    result = purge(settings, dry_run=True)
    assert result.dry_run
    assert result.counts() == EXPECTED
    assert result.topics == (ForumTopic(chat_id=-100123, thread_id=77),)
    with session_scope() as session:
        assert counts(session) == before
    assert tracker_rows(engine) == events_before


def test_purging_twice_deletes_nothing_more(world: tuple[Settings, Engine]) -> None:
    settings, engine = world
    purge(settings)
    with session_scope() as session:
        after_first = counts(session)
    events = tracker_rows(engine)
    second = purge(settings)
    assert second.counts() == dict.fromkeys(EXPECTED, 0)
    assert second.topics == ()
    with session_scope() as session:
        assert counts(session) == after_first
    assert tracker_rows(engine) == events


def test_purge_works_without_a_tracker_store(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"rasa_tracker_db": str(tmp_path / "absent.db")})
    with session_scope() as session:
        session.add(User(id="gone", created_at=OLD, last_seen_at=OLD))
    result = purge(settings)
    assert (result.forgotten_users, result.tracker_events) == (1, 0)
    assert not (tmp_path / "absent.db").exists()
