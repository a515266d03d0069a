"""Shared fixtures: an isolated, migrated app database per test and fresh settings.

Modules marked `both_databases` run each test that uses `db_url` on SQLite and, when
TEST_DATABASE_URL / TEST_REDIS_URL are set, on PostgreSQL too (tests/postgres.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import parcours.models  # noqa: F401  (registers every table on Base.metadata)
from parcours.db import migrate
from parcours.db.base import Base
from parcours.db.engine import reset_engines
from parcours.settings import Settings, get_settings
from tests import postgres

_MIGRATED_TEMPLATE: dict[str, bytes] = {}
DATABASES = ["sqlite", postgres.param()] if postgres.ENABLED else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run `both_databases` tests on each database."""
    if "db_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_databases"
    ):
        metafunc.parametrize("database", DATABASES, indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """Which database `db_url` is: sqlite unless the test is parametrized."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_app_database() -> Iterator[str]:
    """A migrated PostgreSQL database for this session (dropped at the end)."""
    url = postgres.create_database("parcours_unit")
    try:
        migrate.upgrade(url)
        yield url
    finally:
        reset_engines()
        postgres.drop_database(url)


def _emptied(url: str) -> str:
    """`url` with every app table emptied (faster than a new database per test)."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


def _sqlite(path: Path) -> str:
    if "sqlite" not in _MIGRATED_TEMPLATE:
        migrate.upgrade(f"sqlite:///{path}")
        _MIGRATED_TEMPLATE["sqlite"] = path.read_bytes()
    else:
        path.write_bytes(_MIGRATED_TEMPLATE["sqlite"])
    return f"sqlite:///{path}"


@pytest.fixture
def db_url(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """A migrated, empty app database, made the default DATABASE_URL for this test."""
    if database == "postgresql":
        url = _emptied(request.getfixturevalue("postgres_app_database"))
    else:
        url = _sqlite(tmp_path / "app.db")
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engines()
    yield url
    reset_engines()
    get_settings.cache_clear()


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings read from the test environment."""
    return get_settings()
