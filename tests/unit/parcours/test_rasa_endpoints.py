"""Rasa's endpoints file from the settings, and database URLs for each venv's driver."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from parcours import rasa_endpoints
from parcours.db.urls import for_app, for_rasa
from parcours.settings import Settings


def test_postgresql_urls_get_each_venv_s_driver_and_keep_their_password() -> None:
    url = "postgresql://rasa:p%40ss@db:5432/rasa"
    assert for_app(url) == "postgresql+psycopg://rasa:p%40ss@db:5432/rasa"
    assert for_rasa(for_app(url)) == "postgresql+psycopg2://rasa:p%40ss@db:5432/rasa"
    assert for_app("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert for_app("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_by_default_rasa_keeps_trackers_in_sqlite_and_locks_in_memory() -> None:
    settings = Settings(rasa_tracker_url="", redis_url="", rasa_tracker_db="/srv/var/t.db")
    document = yaml.safe_load(rasa_endpoints.render(settings))
    assert document["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": "/srv/var/t.db"}
    assert "lock_store" not in document
    assert document["action_endpoint"]["url"] == settings.action_endpoint_url


def test_production_uses_postgresql_and_a_redis_lock_store(tmp_path: Path) -> None:
    settings = Settings(
        rasa_tracker_url="postgresql+psycopg://rasa:secret@db:5432/rasa",
        redis_url="redis://:s%3Dcret@cache:6380/2",
    )
    path = tmp_path / "var" / "endpoints.yml"
    rasa_endpoints.write(settings, path)
    document = yaml.safe_load(path.read_text())
    assert document["tracker_store"] == {
        "type": "SQL",
        "url": "postgresql+psycopg2://rasa:secret@db:5432/rasa",
    }
    assert document["lock_store"] == {
        "type": "redis",
        "url": "cache",
        "port": 6380,
        "db": 2,
        "password": "s=cret",
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds passwords


def test_a_redis_url_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="REDIS_URL"):
        rasa_endpoints.redis_lock_store("localhost:6379")
