"""Where to go: communes named in free text, and the nearest structures of a kind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from parcours.db.engine import session_scope
from parcours.models import Structure
from parcours.services import catalogue_search
from parcours.services.structures import nearest
from parcours.settings import Settings
from parcours.understanding.places import place_in_text
from tests.factories import add_communes

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

COMMUNES = [
    ("14118", "Caen", "14000", "14", "E1"),
    ("14366", "Lisieux", "14100", "14", "E2"),
    ("14327", "Hérouville-Saint-Clair", "14200", "14", "E1"),
    ("50502", "Saint-Lô", "50000", "50", "E3"),
]


@pytest.fixture
def places(settings: Settings) -> Iterator[None]:
    with session_scope() as session:
        add_communes(session, COMMUNES)
        session.flush()
        session.add(
            Structure(
                key="ml_caen",
                kind="mission_locale",
                name="ML Caen (démo)",
                commune="14118",
                demo=True,
            )
        )
        session.add(
            Structure(
                key="ml_lisieux",
                kind="mission_locale",
                name="ML Lisieux (démo)",
                commune="14366",
                demo=True,
            )
        )
        session.add(
            Structure(key="psad_her", kind="psad", name="PSAD (démo)", commune="14327", demo=True)
        )
    catalogue_search.commune_index.cache_clear()
    yield
    catalogue_search.commune_index.cache_clear()


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("j'habite à Lisieux", "14366"),
        ("je suis de st lo", "50502"),
        ("cp 14000", "14118"),
        ("j'ai arrêté le lycée", None),
        ("je suis en 3e", None),
        ("un stage vers Caen", "14118"),
        ("du côté de Lisieux", "14366"),
        ("dans le coin de Saint-Lô", "50502"),
        ("c'est pas à Lisieux, c'est à Caen", "14118"),
        ("j'ai 14 ans", None),
        ("dans le 14", "14118"),
        ("dans la Manche", "50502"),
    ],
)
def test_a_place_is_found_only_when_clearly_named(
    places: None, text: str, insee: str | None
) -> None:
    match = place_in_text(text, "normandie")
    assert (match.insee if match else None) == insee


def test_the_same_epci_comes_first_then_the_department(places: None) -> None:
    with session_scope() as session:
        found = nearest(session, insee="14366", kinds=["mission_locale", "psad"])
    assert [p.name for p in found] == ["ML Lisieux (démo)", "PSAD (démo)"]
    assert "16–25 ans" in found[0].why


def test_nothing_in_the_department_means_nothing_suggested(places: None) -> None:
    with session_scope() as session:
        assert nearest(session, insee="50502", kinds=["mission_locale"]) == []


def test_a_regional_body_is_found_in_another_department_of_the_region(places: None) -> None:
    with session_scope() as session:
        session.add(
            Structure(
                key="tp", kind="transitions_pro", name="TP (démo)", commune="14118", demo=True
            )
        )
        session.flush()
        found = nearest(session, insee="50502", kinds=["transitions_pro", "mission_locale"])
    assert [p.name for p in found] == ["TP (démo)"]
