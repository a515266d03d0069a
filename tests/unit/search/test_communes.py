"""Commune lookup over knowledge/communes.csv: postal codes, names as typed, typos, regions."""

from __future__ import annotations

import pytest

from parcours import KNOWLEDGE_DIR
from parcours.search.communes import (
    NEIGHBOUR_DEPARTMENTS,
    NORMANDIE,
    CommuneIndex,
    are_neighbours,
    neighbour_departments,
)
from parcours.search.normalize import fold, normalize_commune_query

CAEN, SAINT_LO, LISIEUX, CHERBOURG = "14118", "50502", "14366", "50129"


@pytest.fixture(scope="module")
def communes() -> CommuneIndex:
    return CommuneIndex.from_csv(KNOWLEDGE_DIR / "communes.csv")


def _population(communes: CommuneIndex, insee: str) -> int:
    commune = communes.get(insee)
    assert commune is not None
    return commune.population or 0


def test_official_names_are_left_alone_by_the_query_normalisation(
    communes: CommuneIndex,
) -> None:
    changed = [c.nom for c in communes.communes if normalize_commune_query(c.nom) != fold(c.nom)]
    assert changed == []


def test_the_whole_file_is_indexed(communes: CommuneIndex) -> None:
    assert len(communes) > 34_900
    caen = communes.get(CAEN)
    assert caen is not None
    assert (caen.nom, caen.departement, caen.region) == ("Caen", "14", NORMANDIE)
    assert caen.epci_nom == "CU Caen la Mer"


@pytest.mark.parametrize(
    ("query", "insee"),
    [
        ("14000", CAEN),
        ("14 000", CAEN),
        ("50000", SAINT_LO),  # shared with four smaller communes: the largest comes first
        ("14100", LISIEUX),
        ("50100", CHERBOURG),
    ],
)
def test_postal_code_finds_the_commune(communes: CommuneIndex, query: str, insee: str) -> None:
    found = communes.find(query)
    assert found[0].insee == insee
    assert found[0].score == 100


def test_a_shared_postal_code_lists_all_its_communes_by_population(communes: CommuneIndex) -> None:
    found = communes.find("50000", limit=10)
    assert found[0].insee == SAINT_LO
    assert len(found) == 5
    assert {m.score for m in found} == {100}
    populations = [_population(communes, m.insee) for m in found]
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize(
    ("query", "insee"),
    [
        ("st lo", SAINT_LO),
        ("saint lo", SAINT_LO),
        ("St-Lô", SAINT_LO),
        ("SAINT-LÔ", SAINT_LO),
        ("caen", CAEN),
        ("Caen", CAEN),
        ("j'habite à Caen", CAEN),
        ("lisieux", LISIEUX),
        ("cherbourg", CHERBOURG),
        ("Cherbourg-en-Cotentin", CHERBOURG),
        ("cherboug", CHERBOURG),
        ("lisieu", LISIEUX),
        ("evreu", "27229"),
        ("alencon", "61001"),
        ("havre", "76351"),
        ("mt st michel", "50353"),
        ("Condé s/ Vire", "50139"),
        ("deauvile", "14220"),
        ("caen 14000", CAEN),
    ],
)
def test_names_as_typed_find_the_commune(communes: CommuneIndex, query: str, insee: str) -> None:
    assert communes.find(query)[0].insee == insee
    assert communes.find(query, region=NORMANDIE)[0].insee == insee


def test_a_match_carries_the_commune_fields(communes: CommuneIndex) -> None:
    (match,) = communes.find("saint lo", limit=1)
    assert match.nom == "Saint-Lô"
    assert match.codes_postaux == ("50000",)
    assert match.departement == "50"
    assert match.epci == "200066389"
    assert match.epci_nom == "CA Saint-Lô Agglo"
    assert match.score == 100


def test_homonyms_go_by_population(communes: CommuneIndex) -> None:
    found = [m for m in communes.find("flers", limit=10) if m.score == 100]
    assert {m.nom for m in found} == {"Flers"}
    assert len(found) >= 3
    assert found[0].departement == "61"
    populations = [_population(communes, m.insee) for m in found]
    assert populations == sorted(populations, reverse=True)


def test_the_region_is_searched_first(communes: CommuneIndex) -> None:
    # France-wide, "rouan" is closest to Rouans (44); in Normandie it is Rouen.
    assert communes.find("rouan")[0].insee == "44145"
    assert communes.find("rouan", region=NORMANDIE)[0].insee == "76540"
    assert [m.nom for m in communes.find("lisieu")][:2] == ["Lisieux", "Lissieu"]
    assert [m.nom for m in communes.find("lisieu", region=NORMANDIE)] == ["Lisieux"]
    assert communes.find("flers", region=NORMANDIE)[0].departement == "61"
    assert all(
        m.departement in {"14", "27", "50", "61", "76"}
        for m in communes.find("saint pierre", region=NORMANDIE)
    )


def test_exact_short_forms_of_larger_communes_come_first(communes: CommuneIndex) -> None:
    # Viré (71, 1,100 inhabitants) is the exact name, Vire Normandie (17,000) the likely one.
    assert [m.nom for m in communes.find("vire")][:2] == ["Vire Normandie", "Viré"]
    assert communes.find("charleville")[0].nom == "Charleville-Mézières"
    assert communes.find("herouville")[0].nom == "Hérouville-Saint-Clair"
    assert communes.find("bagnoles de l'orne")[0].insee == "61483"
    # A full name beats a short form of a commune less than ten times larger.
    assert communes.find("saint martin")[0].nom == "Saint-Martin"


def test_outside_the_region_the_search_falls_back_to_all_france(communes: CommuneIndex) -> None:
    assert communes.find("lyon", region=NORMANDIE)[0].insee == "69123"
    assert communes.find("strasbourg", region=NORMANDIE)[0].insee == "67482"


def test_a_department_in_parentheses_narrows_homonyms(communes: CommuneIndex) -> None:
    found = communes.find("Saint-Martin (50)")
    assert found
    assert all(m.departement == "50" for m in found)


def test_paris_arrondissements(communes: CommuneIndex) -> None:
    assert communes.find("paris")[0].insee == "75056"
    assert communes.find("paris 15")[0].insee == "75115"
    assert {m.insee for m in communes.find("75015")} == {"75056", "75115"}


@pytest.mark.parametrize(
    "query", ["", "   ", "azerty", "xyzxyz", "qsdfghjklm", "99999", "00000", "12", "!!!", "je"]
)
def test_nothing_found(communes: CommuneIndex, query: str) -> None:
    assert communes.find(query) == []
    assert communes.find(query, region=NORMANDIE) == []


def test_limit(communes: CommuneIndex) -> None:
    assert len(communes.find("saint martin", limit=3)) == 3
    assert communes.find("caen", limit=0) == []


def test_from_rows_builds_a_small_index() -> None:
    row = {
        "insee": "14118",
        "nom": "Caen",
        "codes_postaux": "14000",
        "departement": "14",
        "region": "28",
        "epci": "",
        "epci_nom": "",
        "population": "",
    }
    index = CommuneIndex.from_rows([row])
    (match,) = index.find("caen")
    assert (match.insee, match.epci, match.epci_nom) == ("14118", None, None)
    assert index.find("14000")[0].insee == "14118"


# --- neighbouring departments --------------------------------------------------------------


@pytest.mark.parametrize(
    ("departement", "neighbours"),
    [
        ("14", {"50", "61", "27"}),
        ("27", {"76", "14", "61", "28", "78", "95", "60"}),
        ("50", {"14", "61", "35", "53"}),
        ("61", {"14", "50", "27", "28", "72", "53"}),
        ("76", {"27", "80", "60"}),
        ("57", {"54", "67"}),
        ("88", {"52", "54", "55", "67", "68", "70", "90"}),
    ],
)
def test_neighbour_departments(departement: str, neighbours: set[str]) -> None:
    assert NEIGHBOUR_DEPARTMENTS[departement] == neighbours


def test_the_map_covers_normandie_and_grand_est_and_is_symmetric_within_them() -> None:
    normandie = {"14", "27", "50", "61", "76"}
    grand_est = {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}
    assert set(NEIGHBOUR_DEPARTMENTS) == normandie | grand_est
    for departement, around in NEIGHBOUR_DEPARTMENTS.items():
        assert departement not in around
        for other in around & set(NEIGHBOUR_DEPARTMENTS):
            assert departement in NEIGHBOUR_DEPARTMENTS[other]


def test_neighbours_are_read_both_ways() -> None:
    assert are_neighbours("14", "50")
    assert are_neighbours("35", "50")  # Ille-et-Vilaine is no key, Manche knows it
    assert not are_neighbours("14", "76")  # only the estuary between them
    assert not are_neighbours("14", "14")
    assert neighbour_departments("35") == {"50"}
    assert neighbour_departments("14") == {"27", "50", "61"}
