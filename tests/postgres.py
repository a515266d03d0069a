"""PostgreSQL and Redis for the tests: TEST_DATABASE_URL / TEST_REDIS_URL, or a loud skip.

`eval "$(scripts/services.sh)"` starts both and prints the variables (`.ci/run` does it).
When both are set, the `both_databases` unit tests and the integration suite run on
PostgreSQL too (Rasa's tracker store in PostgreSQL, its lock store in Redis); when not, those
cases are not generated and `tests/test_postgres_redis.py` says loudly that they were skipped.
The role of TEST_DATABASE_URL must be allowed to create databases: every test session works
in databases of its own, dropped at the end.
"""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from parcours.db.urls import for_app

SKIP_REASON = (
    "PostgreSQL/Redis suite SKIPPED: TEST_DATABASE_URL/TEST_REDIS_URL not set "
    '(eval "$(scripts/services.sh)" starts both and sets them)'
)
DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip()
ENABLED = bool(DATABASE_URL and REDIS_URL)


def param(name: str = "postgresql") -> object:
    """The PostgreSQL case of a parametrization (marked `postgres`)."""
    return pytest.param(name, marks=pytest.mark.postgres)


def database_url() -> str:
    """TEST_DATABASE_URL for this venv's driver, or skip the test loudly."""
    if not DATABASE_URL:
        pytest.skip(SKIP_REASON)
    return for_app(DATABASE_URL)


def redis_url() -> str:
    """TEST_REDIS_URL, or skip the test loudly."""
    if not REDIS_URL:
        pytest.skip(SKIP_REASON)
    return REDIS_URL


def create_database(prefix: str) -> str:
    """A new empty database `<prefix>_<random>` on the test server; returns its URL."""
    server = make_url(database_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by `create_database` (closing its connections)."""
    name = make_url(url).database
    engine = create_engine(make_url(database_url()), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _resp(*args: str) -> bytes:
    encoded = [a.encode() for a in args]
    return f"*{len(encoded)}\r\n".encode() + b"".join(
        b"$%d\r\n%s\r\n" % (len(a), a) for a in encoded
    )


def redis_command(*args: str) -> bytes:
    """One command to TEST_REDIS_URL's server, the reply's payload (a status line or a bulk
    string). Plain RESP over a socket: only Rasa's venv needs a Redis client."""
    parts = urlsplit(redis_url())
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 5) as s:
        reader = s.makefile("rb")
        if parts.password:
            s.sendall(_resp("AUTH", unquote(parts.password)))
            reader.readline()
        s.sendall(_resp(*args))
        header = reader.readline()
        if header.startswith(b"$") and header[1:].strip() != b"-1":
            return bytes(reader.read(int(header[1:]) + 2)[:-2])
        return header.rstrip(b"\r\n")


def redis_stat(name: str) -> int:
    """An integer field of `INFO stats` (e.g. total_commands_processed)."""
    for line in redis_command("INFO", "stats").decode().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split(":", 1)[1])
    raise KeyError(name)
