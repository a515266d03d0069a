"""Request numbers are never reused, and requests go only to available rows (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, delete, text

from parcours.db import migrate
from parcours.db.engine import session_scope
from parcours.models import Ambassador, MinistageOffer
from parcours.models.contact_request import ContactRequest
from parcours.services import contact_requests as cr
from parcours.settings import Settings
from tests.factories import add_bakery_near_caen

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def catalogue(settings: Settings) -> Settings:
    """A commune, a métier, a company, an available ambassador `a1` and an offer `o1`."""
    with session_scope() as session:
        add_bakery_near_caen(session)
    return settings


def file(
    settings: Settings,
    user: str = "u1",
    target: str = "a1",
    kind: str = "ambassador",
    register: str | None = None,
) -> int:
    by_register = {} if register is None else {"register": register}
    with session_scope() as session:
        request = cr.file_request(
            session,
            settings,
            user_id=user,
            target_type=kind,
            target_key=target,
            message="Comment devenir boulanger ?",
            availability="mercredi",
            now=T0,
            **by_register,
        )
        return request.id


def test_a_deleted_request_number_is_never_given_again(catalogue: Settings) -> None:
    first = file(catalogue, user="u1")
    with session_scope() as session:
        session.execute(delete(ContactRequest).where(ContactRequest.id == first))
    second = file(catalogue, user="u2")
    assert second != first
    assert second > first


def _make_unavailable(kind: str) -> None:
    with session_scope() as session:
        if kind == "ambassador":
            row = session.get(Ambassador, "a1")
            assert row is not None
            row.available = False
        else:
            offer = session.get(MinistageOffer, "o1")
            assert offer is not None
            offer.places = 0


@pytest.mark.parametrize(("kind", "key"), [("ambassador", "a1"), ("ministage", "o1")])
@pytest.mark.parametrize(
    ("register", "advice"),
    [("tu", "tu peux chercher un autre contact"), ("vous", "vous pouvez chercher un autre")],
)
def test_no_request_against_an_unavailable_row(
    catalogue: Settings, kind: str, key: str, register: str, advice: str
) -> None:
    _make_unavailable(kind)
    with pytest.raises(cr.RequestError) as raised:
        file(catalogue, target=key, kind=kind, register=register)
    assert "plus de demande" in str(raised.value)
    assert advice in str(raised.value)
    with session_scope() as session:
        assert cr.for_user(session, user_id="u1") == []
        assert cr.unavailable_reason(
            session, target_type=kind, target_key=key, register=register
        ) == str(raised.value)


def test_available_rows_have_no_reason_to_refuse(catalogue: Settings) -> None:
    with session_scope() as session:
        for kind, key in (("ambassador", "a1"), ("ministage", "o1")):
            assert (
                cr.unavailable_reason(session, target_type=kind, target_key=key, register="tu")
                is None
            )


def test_the_migration_keeps_requests_and_their_audit_trail(tmp_path: Path) -> None:
    """An existing SQLite database gets AUTOINCREMENT without losing a request or an event
    (the rebuild drops the old table, which cascades with foreign keys on)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(migrate.alembic_config(url), "0007")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, handoff_state, last_seen_at, created_at) "
                "VALUES ('u1', 'bot', '2026-01-01', '2026-01-01')"
            )
        )
        for number in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO contact_requests (id, user_id, target_type, target_key, "
                    "message, availability, status, due_at, remind_at, answer_note, report, "
                    "created_at) VALUES (:n, 'u1', 'ambassador', 'a1', 'm', 'a', 'sent', "
                    "'2026-01-11', '2026-01-08', '', '', '2026-01-01')"
                ),
                {"n": number},
            )
            conn.execute(
                text(
                    "INSERT INTO contact_request_events (request_id, to_status, actor, note, "
                    "created_at) VALUES (:n, 'sent', 'user', '', '2026-01-01')"
                ),
                {"n": number},
            )
    engine.dispose()
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM contact_requests")).scalar() == 2
        assert conn.execute(text("SELECT COUNT(*) FROM contact_request_events")).scalar() == 2
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(text("DELETE FROM contact_requests WHERE id = 2"))
        conn.execute(
            text(
                "INSERT INTO contact_requests (user_id, target_type, target_key, message, "
                "availability, status, due_at, remind_at, answer_note, report, created_at) "
                "VALUES ('u1', 'ambassador', 'a1', 'm', 'a', 'sent', '2026-01-11', "
                "'2026-01-08', '', '', '2026-01-01')"
            )
        )
        numbers = conn.execute(text("SELECT id FROM contact_requests ORDER BY id")).scalars()
        assert list(numbers) == [1, 3]
    engine.dispose()
    migrate.check(url)
