"""Database URLs: one setting, two drivers.

The app's venv has SQLAlchemy 2 with psycopg 3; Rasa's venv has SQLAlchemy 1.4 with psycopg2.
DATABASE_URL and RASA_TRACKER_URL may name either driver (or none, `postgresql://…`): each
side rewrites the PostgreSQL driver to the one it has, and leaves other databases alone.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

_POSTGRES_BACKENDS = frozenset({"postgres", "postgresql"})


def _with_driver(url: str, drivername: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() not in _POSTGRES_BACKENDS:
        return url
    return parsed.set(drivername=drivername).render_as_string(hide_password=False)


def for_app(url: str) -> str:
    """`url` for this process (SQLAlchemy 2): PostgreSQL through psycopg 3."""
    return _with_driver(url, "postgresql+psycopg")


def for_rasa(url: str) -> str:
    """`url` for Rasa's SQL tracker store (SQLAlchemy 1.4): PostgreSQL through psycopg2."""
    return _with_driver(url, "postgresql+psycopg2")
