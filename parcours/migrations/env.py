"""Alembic environment: app tables only; Rasa's tracker tables are never touched."""

from __future__ import annotations

from typing import Any

from alembic import context

import parcours.models  # noqa: F401  (registers every table on Base.metadata)
from parcours.db.base import Base, UTCDateTime
from parcours.db.engine import build_engine
from parcours.settings import get_settings

#: Tables that belong to Rasa's SQL tracker store when it shares the database.
RASA_TABLES = frozenset({"events"})


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Keep Rasa's tables out of autogenerate and `alembic check`."""
    if type_ == "table" and name in RASA_TABLES:
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and table.name in RASA_TABLES)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the UTC datetime decorator as a plain timezone-aware DateTime."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _url() -> str:
    return context.config.attributes.get("url") or get_settings().database_url


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(
        url=_url(),
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the configured database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = build_engine(_url())
    with engine.connect() as conn:
        _configure_and_run(conn)
    engine.dispose()


def _configure_and_run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
