"""Migration 0011 (meetings) goes down and up again on SQLite without losing a request's
audit trail or its never-reused numbers (the rebuild of `contact_requests`, as in 0009)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from parcours.db import migrate


def test_the_meeting_columns_go_down_and_up_and_the_audit_trail_stays(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(
            text(
                "INSERT INTO users (id, handoff_state, last_seen_at, created_at) "
                "VALUES ('u1', 'bot', '2026-12-01', '2026-12-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contact_requests (user_id, target_type, target_key, message, "
                "availability, status, due_at, remind_at, answer_note, report, created_at, "
                "meeting_place, meeting_sequence, follow_up_answer) VALUES ('u1', 'ambassador', "
                "'a1', '', '', 'accepted', '2026-12-11', '2026-12-08', '', '', '2026-12-01', "
                "'CIO', 1, 'oui')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contact_request_events (request_id, from_status, to_status, actor, "
                "note, created_at) VALUES (1, 'sent', 'accepted', 'c', '', '2026-12-01')"
            )
        )
    engine.dispose()

    command.downgrade(migrate.alembic_config(url), "0010_structure_details")
    engine = create_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("contact_requests")}
    assert "meeting_place" not in columns
    assert "follow_up_answer" not in columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM contact_request_events")).scalar() == 1
        table_sql = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'contact_requests'")
        ).scalar()
    assert "AUTOINCREMENT" in str(table_sql)
    engine.dispose()

    migrate.upgrade(url)
    migrate.check(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, meeting_place, meeting_sequence FROM contact_requests")
        ).one()
    assert tuple(row) == ("accepted", "", 0)
    engine.dispose()
