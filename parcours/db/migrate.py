"""Programmatic Alembic entry points (used by `make up`, tests and the CLI)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from parcours import PROJECT_ROOT


def alembic_config(url: str | None = None) -> Config:
    """Alembic config pointing at the project's migrations (and `url` if given)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "parcours" / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the database at `url` (default DATABASE_URL) to the latest revision."""
    command.upgrade(alembic_config(url), "head")


def check(url: str | None = None) -> None:
    """Fail if the models and the migrations disagree."""
    command.check(alembic_config(url))
