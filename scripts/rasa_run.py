"""`rasa` with two measured fixes, for `rasa run` (scripts/up.sh, serve.sh; .venv-rasa).

Rasa 3.6 validates every action server reply with `jsonschema.validate(result, schema)`,
which first re-checks the (large, constant) event schema against the JSON Schema
meta-schema: ~30 % of the Rasa process's time under load (py-spy, README "Load"). Here the
schema is checked once and a validator is reused; replies are validated exactly as before
(same schema, same ValidationError message). And the SQLite tracker store commits without
an fsync each (below). The repository root is importable, for the input channel of
credentials.yml (rasa_channels/). Everything else is plain `rasa`.
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


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # rasa_channels.secured_rest, named in credentials.yml
    _patch_action_validation()
    _sqlite_tracker_pragmas()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    sys.exit(main())
