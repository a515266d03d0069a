"""Where to go, practically: address, hours, phone, web page, map link and venue of a
structure, from the import columns to the answer's lines."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.models import Commune, Structure
from parcours.services.structures import Nearby, describe, details, nearest, venue
from tests.factories import text_file

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[3]
COMMUNES = """insee,nom,codes_postaux,departement,region,epci,epci_nom,population,latitude,\
longitude
14118,Caen,14000,14,28,200065597,CU Caen la Mer,109400,49.1829,-0.3707
14366,Lisieux,14100,14,28,200069532,CA Lisieux Normandie,19645,49.1461,0.2279
"""
HEADER = (
    "key,kind,name,commune,address,publics,age_min,age_max,contact,hours,phone,website,"
    "latitude,longitude,demo\n"
)
ROWS = (
    "ml_caen,mission_locale,ML Caen,14118,1 rue A,,16,25,,lun-ven 9h-17h,02 00 00 00 00,"
    "https://ml.example.org,49.18,-0.37,non\n"
    "cio_caen,cio,CIO Caen (démo),14118,Adresse de démonstration,,11,,,"
    "lun-ven 9h-12h (horaires de démonstration),,,,,oui\n"
)


@pytest.fixture
def imported(db_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        import_csv(session, "communes", text_file(tmp_path, "communes.csv", COMMUNES))
        import_csv(session, "structures", text_file(tmp_path, "s.csv", HEADER + ROWS))


def test_the_import_takes_hours_phone_and_website(imported: None) -> None:
    with session_scope() as session:
        ml = session.get(Structure, "ml_caen")
        assert ml is not None
        assert (ml.hours, ml.phone, ml.website) == (
            "lun-ven 9h-17h",
            "02 00 00 00 00",
            "https://ml.example.org",
        )
        cio = session.get(Structure, "cio_caen")
        assert cio is not None
        assert (cio.phone, cio.website, cio.latitude) == ("", "", None)


def test_the_new_columns_are_optional(db_url: str, tmp_path: Path) -> None:
    old = "key,kind,name,commune,publics,age_min,age_max\nml,mission_locale,ML,14118,,,\n"
    with session_scope() as session:
        import_csv(session, "communes", text_file(tmp_path, "communes.csv", COMMUNES))
        import_csv(session, "structures", text_file(tmp_path, "old.csv", old))
        structure = session.get(Structure, "ml")
        assert structure is not None
        assert (structure.hours, structure.phone, structure.website) == ("", "", "")


def test_a_website_that_is_not_a_web_address_is_refused(db_url: str, tmp_path: Path) -> None:
    row = "ml,mission_locale,ML,14118,,,,,,,,www.example.org,,,non\n"
    with session_scope() as session:
        import_csv(session, "communes", text_file(tmp_path, "communes.csv", COMMUNES))
        with pytest.raises(ImportFailedError) as failure:
            import_csv(session, "structures", text_file(tmp_path, "bad.csv", HEADER + row))
    assert failure.value.errors == [
        "ligne 2 : colonne « website » : « www.example.org » n'est pas une adresse web (https://…)"
    ]


def test_an_answer_gives_what_the_data_has_and_an_approximate_map_otherwise(
    imported: None,
) -> None:
    with session_scope() as session:
        found = nearest(session, insee="14366", kinds=["mission_locale", "cio"])
    ml, cio = found
    assert details(ml) == [
        "Adresse : 1 rue A",
        "Horaires : lun-ven 9h-17h",
        "Tél. : 02 00 00 00 00",
        "Site : https://ml.example.org",
        "Carte : https://www.openstreetmap.org/?mlat=49.18000&mlon=-0.37000"
        "#map=17/49.18000/-0.37000",
    ]
    assert not ml.approximate
    # No coordinates of its own: Caen's centre, said to be approximate; no phone, no site.
    assert details(cio) == [
        "Adresse : Adresse de démonstration",
        "Horaires : lun-ven 9h-12h (horaires de démonstration)",
        "Carte (emplacement approximatif : centre de la commune) : "
        "https://www.openstreetmap.org/?mlat=49.18290&mlon=-0.37070#map=17/49.18290/-0.37070",
    ]
    assert cio.approximate
    assert 40 < ml.distance_km < 50


def test_a_place_without_any_point_gets_no_map_and_no_venue() -> None:
    bare = Nearby("PSAD (démo)", "Lisieux", "", "aide les jeunes")
    assert details(bare) == []
    assert describe([bare]) == ["• PSAD (démo) (Lisieux) : aide les jeunes."]
    assert venue([bare]) is None


def test_the_details_are_indented_under_each_place() -> None:
    place = Nearby("CIO Caen (démo)", "Caen", "Adresse de démonstration", "conseils")
    assert describe([place]) == [
        "• CIO Caen (démo) : conseils.\n   Adresse : Adresse de démonstration"
    ]


def test_the_venue_is_the_nearest_place_with_a_point() -> None:
    far = Nearby("ML Caen", "Caen", "1 rue A", "w", latitude=49.18, longitude=-0.37)
    far = Nearby(**{**far.__dict__, "distance_km": 45.0})
    near = Nearby(
        "CIO Lisieux (démo)",
        "Lisieux",
        "",
        "w",
        latitude=49.1461,
        longitude=0.2279,
        approximate=True,
        distance_km=0.0,
    )
    assert venue([far, near]) == {
        "latitude": 49.1461,
        "longitude": 0.2279,
        "title": "CIO Lisieux (démo)",
        "address": "Lisieux (emplacement approximatif : centre de la commune)",
    }
    assert venue([far]) == {
        "latitude": 49.18,
        "longitude": -0.37,
        "title": "ML Caen",
        "address": "1 rue A",
    }
    assert math.isinf(Nearby("x", "y", "", "").distance_km)


def test_the_shipped_structures_are_demo_labelled_or_public_only() -> None:
    with (ROOT / "knowledge/regions/normandie/structures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["demo"] == "oui":
            assert row["hours"].endswith("(horaires de démonstration)"), row["key"]
            assert (row["phone"], row["website"]) == ("", ""), row["key"]
        else:
            # The one real row: only the public details the agency's charter gives.
            assert row["key"] == "info_jeunes_rouen"
            assert (row["hours"], row["phone"], row["website"], row["latitude"]) == ("",) * 4


def test_a_commune_without_coordinates_gives_no_point(imported: None) -> None:
    with session_scope() as session:
        caen = session.get(Commune, "14118")
        assert caen is not None
        caen.latitude = caen.longitude = None
        session.flush()
        (cio,) = nearest(session, insee="14366", kinds=["cio"])
    assert cio.map_url is None
    assert not cio.approximate
