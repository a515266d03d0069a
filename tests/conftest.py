"""Shared fixtures: an isolated, migrated app database per test and fresh settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parcours.db import migrate
from parcours.db.engine import reset_engines
from parcours.settings import Settings, get_settings

_MIGRATED_TEMPLATE: dict[str, bytes] = {}


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated SQLite database, made the default DATABASE_URL for this test."""
    path = tmp_path / "app.db"
    if "sqlite" not in _MIGRATED_TEMPLATE:
        migrate.upgrade(f"sqlite:///{path}")
        _MIGRATED_TEMPLATE["sqlite"] = path.read_bytes()
    else:
        path.write_bytes(_MIGRATED_TEMPLATE["sqlite"])
    url = f"sqlite:///{path}"
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
