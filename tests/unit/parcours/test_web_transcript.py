"""The web chat's transcript service: stored turns, pushes, files, notices, and what
forgetting and /mes_donnees make of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from parcours.db.engine import session_scope
from parcours.models import OutboxMessage, User, WebMessage
from parcours.repositories import outbox
from parcours.services import privacy, web_transcript
from parcours.services.outbox import OutboxKind
from parcours.services.web_transcript import Bubble
from parcours.settings import Settings

pytestmark = pytest.mark.both_databases

WEB = "web:AbCdEfGhIjKlMnOpQrStUv"


def test_a_turn_is_stored_in_order_and_read_back(settings: Settings) -> None:
    stored = web_transcript.record(
        WEB,
        [
            Bubble("user", {"text": "bonjour"}),
            Bubble("ai", {"text": "Bonjour !", "buttons": [{"title": "A", "payload": "/menu"}]}),
        ],
    )
    assert [e.id > 0 for e in stored] == [True, True]
    history = web_transcript.history(WEB)
    assert [(e.role, e.body["text"]) for e in history] == [
        ("user", "bonjour"),
        ("ai", "Bonjour !"),
    ]
    assert web_transcript.history("web:someone-else") == []


def test_history_keeps_the_latest_bubbles(settings: Settings) -> None:
    for n in range(12):
        web_transcript.record(WEB, [Bubble("user", {"text": str(n)})])
    assert [e.body["text"] for e in web_transcript.history(WEB, limit=5)] == [
        "7", "8", "9", "10", "11",
    ]  # fmt: skip


def test_pushes_are_found_after_an_id_and_turns_are_not(settings: Settings) -> None:
    start = web_transcript.last_id()
    web_transcript.record(WEB, [Bubble("ai", {"text": "réponse du tour"})])
    pushed = web_transcript.push(WEB, [Bubble("coordinateur", {"text": "Bonjour, Julie ici"})])
    found = web_transcript.pushed_after(start)
    assert [(e.id, e.role, e.body["text"]) for e in found] == [
        (pushed[0].id, "coordinateur", "Bonjour, Julie ici")
    ]
    assert web_transcript.pushed_after(pushed[0].id) == []


def test_an_unknown_role_is_refused(settings: Settings) -> None:
    with pytest.raises(ValueError, match="role"):
        web_transcript.record(WEB, [Bubble("admin", {"text": "x"})])


def test_a_file_is_given_to_its_owner_only(settings: Settings) -> None:
    (entry,) = web_transcript.record(
        WEB, [Bubble("ai", {"text": "Tes données"}, ("mes_donnees.json", b'{"a": 1}'))]
    )
    assert entry.document_name == "mes_donnees.json"
    assert web_transcript.document(WEB, entry.id) == ("mes_donnees.json", b'{"a": 1}')
    assert web_transcript.document("web:other", entry.id) is None
    assert web_transcript.document(WEB, entry.id + 1000) is None


def test_nothing_is_stored_for_a_user_being_forgotten(settings: Settings) -> None:
    web_transcript.record(WEB, [Bubble("user", {"text": "mon fils a 17 ans"})])
    with session_scope() as session:
        privacy.forget_user(session, settings, user_id=WEB)
    assert web_transcript.history(WEB) == []
    stored = web_transcript.record(WEB, [Bubble("ai", {"text": "Données effacées"})])
    assert [e.id for e in stored] == [0]  # shown, not stored
    assert web_transcript.push(WEB, [Bubble("coordinateur", {"text": "tardif"})])[0].id == 0
    with session_scope() as session:
        assert session.query(WebMessage).count() == 0


def test_the_second_deletion_removes_what_came_back(settings: Settings) -> None:
    """A bubble written by a turn in flight (before the tombstone) is deleted at the end."""
    with session_scope() as session:
        privacy.forget_user(session, settings, user_id=WEB)
        session.add(WebMessage(user_id=WEB, role="ai", body={"text": "en vol"}))
    later = datetime.now(UTC) + timedelta(hours=1)
    with session_scope() as session:
        assert privacy.finish_forgetting(session, settings, now=later) == 1
    with session_scope() as session:
        assert session.query(WebMessage).count() == 0


def test_my_data_includes_the_web_chat(settings: Settings) -> None:
    web_transcript.record(
        WEB,
        [
            Bubble("user", {"text": "bonjour"}),
            Bubble("ai", {"text": "Voici"}, ("mes_donnees.json", b"{}")),
        ],
    )
    with session_scope() as session:
        exported = privacy.export_user(session, settings, user_id=WEB)
    chat = exported["web_chat"]
    assert [(m["role"], m["text"]) for m in chat] == [("user", "bonjour"), ("ai", "Voici")]
    assert chat[1]["document"] == "mes_donnees.json"  # the name, not the content again


def test_request_notices_reach_web_users_once(settings: Settings) -> None:
    with session_scope() as session:
        session.add_all([User(id=WEB), User(id="12345")])
        session.flush()
        outbox.add(
            session,
            user_id=WEB,
            kind=OutboxKind.REQUEST_UPDATE,
            payload={"status": "declined", "request_id": 999},
        )
        outbox.add(
            session,
            user_id="12345",
            kind=OutboxKind.REQUEST_UPDATE,
            payload={"status": "done", "request_id": 999},
        )
    start = web_transcript.last_id()
    assert web_transcript.deliver_notices() == 1
    assert web_transcript.deliver_notices() == 0  # marked sent in the same unit of work
    (pushed,) = web_transcript.pushed_after(start)
    assert pushed.user_id == WEB
    assert "n'a pas pu être acceptée" in pushed.body["text"]
    with session_scope() as session:  # the Telegram user's notice is left to Telegram
        telegram = session.query(OutboxMessage).filter_by(user_id="12345").one()
        assert telegram.sent_at is None


def test_telegram_notices_are_not_starved_by_web_ones(settings: Settings) -> None:
    from parcours.services import notifications

    with session_scope() as session:
        session.add_all([User(id=WEB), User(id="12345")])
        session.flush()
        for _ in range(5):
            outbox.add(
                session,
                user_id=WEB,
                kind=OutboxKind.REQUEST_UPDATE,
                payload={"status": "done", "request_id": 999},
            )
        outbox.add(
            session,
            user_id="12345",
            kind=OutboxKind.REQUEST_UPDATE,
            payload={"status": "done", "request_id": 999},
        )
    with session_scope() as session:
        notices = notifications.pending(session, limit=3)
    assert [(n.chat_id, n.user_id) for n in notices] == [(12345, "12345")]
