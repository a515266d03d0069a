"""Users' profile rules, and migrations that match the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.db import migrate
from parcours.db.engine import session_scope
from parcours.models import User
from parcours.repositories import users

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)


@pytest.mark.parametrize(
    ("role", "age_band", "register"),
    [
        ("eleve", "15_17", "tu"),
        ("parent", None, "vous"),
        ("professionnel", None, "vous"),
        ("salarie", "26_plus", "vous"),
        ("demandeur_emploi", "18_25", "tu"),
        ("demandeur_emploi", "26_plus", "vous"),
        (None, None, "tu"),
    ],
)
def test_register_is_vous_for_parents_professionals_and_adults_at_work(
    role: str | None, age_band: str | None, register: str
) -> None:
    assert User(id="x", role=role, age_band=age_band).register == register


def test_profile_updates_are_stored_and_unknown_values_refused(db_url: str) -> None:
    with session_scope() as session:
        users.update_profile(session, user_id="u1", role="parent")
        with pytest.raises(ValueError, match="unknown role"):
            users.update_profile(session, user_id="u1", role="astronaute")
    with session_scope() as session:
        stored = users.get(session, user_id="u1")
        assert stored is not None
        assert stored.role == "parent"


def test_consent_is_marked_once(db_url: str) -> None:
    with session_scope() as session:
        first = users.mark_consent_shown(session, user_id="u1").consent_shown_at
    with session_scope() as session:
        assert users.mark_consent_shown(session, user_id="u1").consent_shown_at == first


def test_migrations_build_a_fresh_database_that_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)
    migrate.check(url)  # raises if models and migrations disagree
