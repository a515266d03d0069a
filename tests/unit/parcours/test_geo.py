"""A shared position → the nearest commune (bounding box, then haversine)."""

from __future__ import annotations

import pytest

from parcours.db.engine import session_scope
from parcours.models import Commune
from parcours.services.geo import (
    closest,
    departement_name,
    haversine_km,
    nearest_commune,
    valid_position,
)
from parcours.settings import Settings

# (insee, name, department, latitude, longitude), as in knowledge/communes.csv.
PLACES = [
    ("14366", "Lisieux", "14", 49.1461, 0.2279),
    ("14118", "Caen", "14", 49.1811, -0.3725),
    ("14654", "Saint-Désir", "14", 49.1400, 0.2000),
    ("76540", "Rouen", "76", 49.4433, 1.0998),
    ("14999", "Sans coordonnées", "14", None, None),
]


@pytest.fixture
def communes(settings: Settings) -> None:
    with session_scope() as session:
        for insee, nom, dep, lat, lon in PLACES:
            session.add(
                Commune(
                    insee=insee,
                    nom=nom,
                    codes_postaux="",
                    departement=dep,
                    region="28",
                    latitude=lat,
                    longitude=lon,
                )
            )


def test_haversine_gives_the_known_caen_to_rouen_distance() -> None:
    assert haversine_km(49.1811, -0.3725, 49.4433, 1.0998) == pytest.approx(110, abs=3)
    assert haversine_km(49.0, 0.0, 49.0, 0.0) == 0


def test_closest_ignores_communes_without_coordinates() -> None:
    rows = [Commune(insee="1", nom="x"), Commune(insee="2", nom="y", latitude=49, longitude=0)]
    best = closest(49.1, 0.0, rows)
    assert best is not None
    assert best[0].insee == "2"
    assert closest(49.1, 0.0, rows[:1]) is None


def test_a_position_in_lisieux_resolves_to_lisieux(communes: None) -> None:
    with session_scope() as session:
        found = nearest_commune(session, latitude=49.146, longitude=0.226)
    assert found is not None
    assert (found.nom, found.departement) == ("Lisieux", "14")
    assert found.distance_km < 1


def test_a_position_between_boxes_still_finds_the_nearest(communes: None) -> None:
    # 20 km east of Caen: outside the first box of every commune but Caen's larger ones.
    with session_scope() as session:
        found = nearest_commune(session, latitude=49.18, longitude=-0.10)
    assert found is not None
    assert found.nom == "Caen"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(48.85, 2.35), (50.5, -0.5), (float("nan"), 0.0), (91.0, 0.0), (0.0, 181.0)],
)
def test_far_or_invalid_positions_give_no_commune(communes: None, lat: float, lon: float) -> None:
    with session_scope() as session:
        assert nearest_commune(session, latitude=lat, longitude=lon) is None


def test_positions_are_checked_for_range() -> None:
    assert valid_position(49.1, 0.2)
    assert not valid_position(float("inf"), 0.2)


def test_departments_are_named_and_unknown_codes_still_said() -> None:
    assert departement_name("14") == "Calvados"
    assert departement_name("75") == "département 75"
