"""Repositories of the bot's bookkeeping rows: outbox, kept messages, answered inputs, topics."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from parcours.db.engine import session_scope
from parcours.models import OutboxMessage
from parcours.repositories import outbox, pending, processed, staff_topics, users
from parcours.services import staff_outbox
from parcours.services.outbox import STAFF_KINDS, USER_KINDS, OutboxKind


def _user(user_id: str) -> None:
    with session_scope() as session:
        users.get_or_create(session, user_id=user_id)


def test_every_outbox_kind_is_for_the_staff_or_for_the_user_and_fits_the_column() -> None:
    assert set(OutboxKind) == STAFF_KINDS | USER_KINDS
    assert not STAFF_KINDS & USER_KINDS
    assert max(len(kind.value) for kind in OutboxKind) <= 32


@pytest.mark.both_databases
def test_unsent_rows_come_in_order_filtered_by_kind_and_leave_once_sent(db_url: str) -> None:
    _user("u1")
    with session_scope() as session:
        outbox.add(session, user_id="u1", kind=OutboxKind.USER_MESSAGE, payload={"text": "a"})
        outbox.add(session, user_id="u1", kind=OutboxKind.REQUEST_UPDATE, payload={})
        outbox.add(session, user_id=None, kind=OutboxKind.STAFF_DELETE_TOPIC, payload={})
    rows = staff_outbox.unsent(10)
    assert [(r.kind, r.user_id) for r in rows] == [
        (OutboxKind.USER_MESSAGE, "u1"),
        (OutboxKind.STAFF_DELETE_TOPIC, None),
    ]
    assert rows[0].payload == {"text": "a"}
    with staff_outbox.claim(rows[0].id) as claim:
        assert claim is not None
        claim.delivered()
    with staff_outbox.claim(rows[1].id) as claim:
        assert claim is not None  # not delivered (a Telegram failure): stays unsent
    assert [r.id for r in staff_outbox.unsent(10)] == [rows[1].id]
    with staff_outbox.claim(rows[0].id) as claim:
        assert claim is None, "a sent row cannot be claimed again"


def test_a_row_deleted_while_it_is_sent_ends_its_claim_quietly(db_url: str) -> None:
    """The user is forgotten (rows cascade) while the relay sends their row: marking it sent
    used to raise StaleDataError (a traceback in the bot's log) once deliveries ran in the
    background."""
    _user("u1")
    with session_scope() as session:
        outbox.add(session, user_id="u1", kind=OutboxKind.USER_MESSAGE, payload={"text": "a"})
    [row] = staff_outbox.unsent(10)
    with staff_outbox.claim(row.id) as claim:
        assert claim is not None
        with session_scope() as other:
            other.execute(delete(OutboxMessage).where(OutboxMessage.user_id == "u1"))
        claim.delivered()
    assert staff_outbox.unsent(10) == []


@pytest.mark.both_databases
def test_a_kept_message_is_kept_once_per_key_and_answered_oldest_first(db_url: str) -> None:
    _user("u1")
    _user("u2")
    with session_scope() as session:
        pending.keep(session, user_id="u2", message_key="k1", text="first")
        pending.keep(session, user_id="u1", message_key="k1", text="second")
        pending.keep(session, user_id="u2", message_key="k1", text="first again")
    with session_scope() as session:
        kept = pending.oldest(session, limit=10)
        assert [(k.user_id, k.text) for k in kept] == [("u2", "first"), ("u1", "second")]
        assert pending.count(session) == 2
        pending.drop(session, pending_id=kept[0].id)
        pending.drop(session, pending_id=kept[0].id)  # already gone: fine
    with session_scope() as session:
        assert [k.text for k in pending.oldest(session, limit=1)] == ["second"]


def test_an_answered_input_is_found_again_by_user_and_key(db_url: str) -> None:
    _user("u1")
    replies = [{"text": "Bonjour", "buttons": [{"title": "A", "payload": "/a"}]}]
    with session_scope() as session:
        assert processed.answer_to(session, user_id="u1", message_key="k") is None
        processed.remember(session, user_id="u1", message_key="k", replies=replies)
    with session_scope() as session:
        assert processed.answer_to(session, user_id="u1", message_key="k") == replies
        assert processed.answer_to(session, user_id="u2", message_key="k") is None


def test_a_topic_maps_a_user_to_a_thread_and_keeps_its_card(db_url: str) -> None:
    _user("u1")
    with session_scope() as session:
        staff_topics.save(session, user_id="u1", chat_id=-100, thread_id=7, name="Léa · Caen")
    with session_scope() as session:
        assert staff_topics.owner(session, chat_id=-100, thread_id=7) == "u1"
        assert staff_topics.owner(session, chat_id=-100, thread_id=8) is None
        staff_topics.store_card(session, user_id="u1", message_id=99, text="fiche")
    with session_scope() as session:
        topic = staff_topics.get(session, user_id="u1")
        assert topic is not None
        assert (topic.thread_id, topic.card_message_id, topic.card_text) == (7, 99, "fiche")
        staff_topics.delete(session, user_id="u1")
    with session_scope() as session:
        assert staff_topics.get(session, user_id="u1") is None
