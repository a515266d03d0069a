"""Whether the PostgreSQL/Redis suite runs: one loud skip when it does not, a clear failure
when it was asked for and the servers do not answer."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests import postgres


def test_postgresql_and_redis_answer_when_the_suite_is_asked_for() -> None:
    if not (postgres.DATABASE_URL or postgres.REDIS_URL):
        pytest.skip(postgres.SKIP_REASON)
    assert postgres.ENABLED, "set both TEST_DATABASE_URL and TEST_REDIS_URL, or neither"
    engine = create_engine(postgres.database_url())
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
        can_create = conn.execute(
            text("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
    engine.dispose()
    assert can_create, "the TEST_DATABASE_URL role must have CREATEDB (scripts/services.sh)"
    assert postgres.redis_command("PING") == b"+PONG"
    print(f"PostgreSQL {version} and Redis answer: the PostgreSQL/Redis suite runs")
