"""`rasa` with measured fixes, for `rasa run` (scripts/up.sh, serve.sh; .venv-rasa).

Rasa 3.6 validates every action server reply with `jsonschema.validate(result, schema)`,
which first re-checks the (large, constant) event schema against the JSON Schema
meta-schema: ~30 % of the Rasa process's time under load (py-spy, README "Load"). Here the
schema is checked once and a validator is reused; replies are validated exactly as before
(same schema, same ValidationError message). And the SQLite tracker store commits without
an fsync each (below). The repository root is importable, for the input channel of
credentials.yml (rasa_channels/). A tracker-store failure fails the turn instead of
answering it from an empty in-memory tracker (below). Everything else is plain `rasa`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _patch_action_validation() -> None:
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    cache: dict[int, Any] = {}

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        schema = self.action_response_format_spec()
        key = id(type(self))
        validator = cache.get(key)
        if validator is None:
            cls = validators.validator_for(schema)
            cls.check_schema(schema)  # once per action class (the schema is a constant)
            validator = cache[key] = cls(schema)
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise e

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def _sqlite_tracker_pragmas() -> None:
    """The SQL tracker store on SQLite: WAL (readers never wait for the writer; several Rasa
    processes can share the file), a busy timeout, and no fsync per commit (synchronous=NORMAL,
    safe with WAL). Other databases are left alone."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()


def _sqlite_file(url: Any) -> bool:
    """A SQLite URL naming a file (not `:memory:`)."""
    text = str(url)
    return text.startswith("sqlite") and ":memory:" not in text and text.rstrip("/") != "sqlite:"


def _tracker_store_never_forgets_silently() -> None:
    """Rasa wraps its tracker store in `FailSafeTrackerStore`: when the database fails to read
    or save a conversation it goes on with an EMPTY in-memory tracker — the turn is answered
    out of context (a fresh session, slots and forms gone) and never saved. Seen with a real
    PostgreSQL restart (tests/integration/test_zz_postgres_restart.py): the first query on each
    pooled connection failed ("server closed the connection unexpectedly") and that turn
    vanished from the history. Here a failure propagates instead: Rasa's input channel answers
    nothing, and the bot keeps the message and answers it when the database is back (its
    pending queue). And PostgreSQL connections are pinged before use (`pool_pre_ping`), so
    connections broken by a restart are replaced instead of failing a turn."""
    from rasa.core import tracker_store as stores

    engine_kwargs = stores.create_engine_kwargs

    def create_engine_kwargs(url: Any) -> dict[str, Any]:
        kwargs = engine_kwargs(url)
        if stores.is_postgresql_url(url):
            kwargs["pool_pre_ping"] = True
        elif _sqlite_file(url):
            # SQLAlchemy 1.4 (Rasa's) opens and closes a connection per query on a SQLite
            # file (NullPool), with the pragmas each time: ~12 % of Rasa's time under load.
            # Rasa queries from its event loop thread; the pool keeps a few connections.
            from sqlalchemy.pool import QueuePool

            kwargs["poolclass"] = QueuePool
            kwargs["connect_args"] = {"check_same_thread": False}
        return kwargs

    async def retrieve(self: Any, sender_id: str) -> Any:
        return await self._tracker_store.retrieve(sender_id)

    async def retrieve_full_tracker(self: Any, sender_id: str) -> Any:
        return await self._tracker_store.retrieve_full_tracker(sender_id)

    async def save(self: Any, tracker: Any) -> None:
        await self._tracker_store.save(tracker)

    stores.create_engine_kwargs = create_engine_kwargs
    safe = stores.FailSafeTrackerStore
    safe.retrieve = retrieve  # type: ignore[method-assign]
    safe.retrieve_full_tracker = retrieve_full_tracker  # type: ignore[method-assign]
    safe.save = save  # type: ignore[method-assign]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # rasa_channels.secured_rest, named in credentials.yml
    _patch_action_validation()
    _sqlite_tracker_pragmas()
    _tracker_store_never_forgets_silently()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
