"""Engine and session factory, built lazily once per process (no I/O at import)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from parcours.db.urls import for_app
from parcours.settings import get_settings

BUSY_TIMEOUT_MS = 10000
#: How long a checkpoint waits for readers before giving up (the next one finishes it).
CHECKPOINT_BUSY_TIMEOUT_MS = 1000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL and a busy timeout: bot, action server and CLI share one SQLite file.

    synchronous=NORMAL (safe with WAL: no corruption; a power cut may lose the last commits)
    spares an fsync per commit, which blocked the bot's event loop (README "Load").
    secure_delete=ON: deleted rows are overwritten with zeros, not left readable in free
    pages (a forgotten user's messages, `parcours.services.privacy`)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def build_engine(url: str) -> Engine:
    """Create an engine for `url`, preparing SQLite files and pragmas."""
    url = for_app(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


_ENGINES: dict[str, Engine] = {}
_FACTORIES: dict[str, sessionmaker[Session]] = {}


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: DATABASE_URL)."""
    key = url or get_settings().database_url
    if key not in _ENGINES:
        _ENGINES[key] = build_engine(key)
    return _ENGINES[key]


def _session_factory(url: str | None = None) -> sessionmaker[Session]:
    key = url or get_settings().database_url
    if key not in _FACTORIES:
        _FACTORIES[key] = sessionmaker(get_engine(key), expire_on_commit=False)
    return _FACTORIES[key]


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    session = _session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def wal_checkpoint(url: str | None = None) -> bool:
    """SQLite: copy the write-ahead log into the database and truncate it to zero bytes, so
    that deleted rows are no longer readable in the `-wal` file; True when done (False: a
    reader was still on an older snapshot, or another backend: nothing to do)."""
    engine = get_engine(url)
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as conn:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_TIMEOUT_MS}")
        try:
            busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return not busy


def reset_engines() -> None:
    """Dispose cached engines (tests switch databases between cases)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _FACTORIES.clear()
