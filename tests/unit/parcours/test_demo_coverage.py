"""The Normandy pack's demo data (knowledge/regions/normandie/*.csv, written by
scripts/generate_demo_data.py) is labelled
as such and never dead-ends on the commonest wishes: structures for every commune of Normandy,
and offers and ambassadors for the métiers young people ask about most in every department."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache

import pytest

from parcours import KNOWLEDGE_DIR

NORMANDY = ("14", "27", "50", "61", "76")
#: The kinds of structure the "where to go" answers look for near the user.
LOCAL_KINDS = ("mission_locale", "cio", "psad", "info_jeunes")
#: The commonest wishes, as métier codes of knowledge/metiers.csv.
WISHES = (
    "infirmier",
    "aide_soignant",
    "auxiliaire_puericulture",
    "educateur_jeunes_enfants",
    "mecanicien_auto",
    "coiffeur",
    "cuisinier",
    "boulanger",
    "patissier",
    "dev_logiciel",
    "dev_web",
    "technicien_support",
    "veterinaire",
    "asv",
    "soigneur_animalier",
    "macon",
    "electricien_batiment",
    "plombier",
    "policier",
    "gendarme",
    "soldat_armee_terre",
    "sapeur_pompier",
    "estheticienne",
    "vendeur",
    "agent_proprete",
    "agriculteur",
)
PUPILS = {"college", "lycee", "etudiant"}
#: The formats a user can ask for (tiers-lieu is on site too, as in the search).
MEETING_FORMATS = {"sur_place", "collectif", "visio", "telephone"}
DEMO_FILES = ("companies", "ambassadors", "ministages", "structures", "coordinators")


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    folder = KNOWLEDGE_DIR / "regions" / "normandie" if name in DEMO_FILES else KNOWLEDGE_DIR
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def communes() -> dict[str, dict[str, str]]:
    return {r["insee"]: r for r in rows("communes")}


def department(insee: str) -> str:
    return communes()[insee]["departement"]


def normandy_communes() -> list[dict[str, str]]:
    return [c for c in communes().values() if c["region"] == "28"]


def test_the_wishes_are_metiers_of_the_catalogue() -> None:
    codes = {r["code"] for r in rows("metiers")}
    assert [w for w in WISHES if w not in codes] == []


@pytest.mark.parametrize("name", DEMO_FILES)
def test_every_demo_row_is_labelled(name: str) -> None:
    real = {"info_jeunes_rouen"} if name == "structures" else set()
    key = "telegram_id" if name == "coordinators" else "key"
    assert rows(name)
    assert [r[key] for r in rows(name) if (r["demo"] == "oui") == (r[key] in real)] == []
    assert len({r[key] for r in rows(name)}) == len(rows(name))
    demo = [r for r in rows(name) if r["demo"] == "oui"]
    if name in ("companies", "structures", "coordinators"):
        assert [r["name"] for r in demo if not r["name"].endswith(" (démo)")] == []
    if name == "structures":
        assert {(r["address"], r["contact"], r["latitude"], r["longitude"]) for r in demo} == {
            ("Adresse de démonstration", "Contact de démonstration", "", "")
        }
    if name == "ambassadors":
        assert [r["display_name"] for r in demo if not r["display_name"].endswith(" (démo)")] == []
        assert [r["school"] for r in demo if r["school"] and "(démo)" not in r["school"]] == []


def test_the_one_real_structure_is_rouen_info_jeunes() -> None:
    (real,) = [r for r in rows("structures") if r["demo"] != "oui"]
    assert real["key"] == "info_jeunes_rouen"
    assert (real["kind"], real["name"], real["commune"]) == (
        "info_jeunes",
        "Rouen Info Jeunes",
        "76540",
    )
    assert real["address"] == "27 rue Victor Hugo, 76000 Rouen"
    assert (real["publics"], real["age_min"], real["age_max"]) == (
        "11-30 ans et parents",
        "11",
        "30",
    )


def test_every_commune_of_normandy_has_each_local_structure_in_its_epci_or_department() -> None:
    """The answer takes the structure of the commune's EPCI, else of its department (never of
    another department): each kind must be in the department, and is in the EPCI for most."""
    in_dept, in_epci = set(), set()
    for structure in rows("structures"):
        commune = communes()[structure["commune"]]
        in_dept.add((commune["departement"], structure["kind"]))
        in_epci.add((commune["epci"], commune["departement"], structure["kind"]))
    missing, in_own_epci = [], 0
    for commune in normandy_communes():
        for kind in LOCAL_KINDS:
            if (commune["epci"], commune["departement"], kind) in in_epci:
                in_own_epci += 1
            elif (commune["departement"], kind) not in in_dept:
                missing.append((commune["insee"], kind))
    assert missing == []
    assert in_own_epci >= 0.98 * len(LOCAL_KINDS) * len(normandy_communes())


def test_every_epci_of_normandy_has_each_local_structure_in_its_main_town() -> None:
    """Except an EPCI whose most populated commune is outside Normandy (CA du Pays de Dreux,
    CC Maine Saosnois): its few Normandy communes are served by their department."""
    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for commune in communes().values():
        if commune["epci"]:
            members[commune["epci"]].append(commune)
    ours = {c["epci"] for c in normandy_communes() if c["epci"]}
    assert len(ours) >= 65
    located = {(s["commune"], s["kind"]) for s in rows("structures")}
    centred_elsewhere, missing = [], []
    for epci in sorted(ours):
        main = max(members[epci], key=lambda c: int(c["population"] or 0))
        if main["region"] != "28":
            centred_elsewhere.append(main["epci_nom"])
            continue
        missing += [(main["nom"], k) for k in LOCAL_KINDS if (main["insee"], k) not in located]
    assert missing == []
    assert len(centred_elsewhere) <= 3, centred_elsewhere


def test_transitions_pro_is_regional() -> None:
    regional = [r for r in rows("structures") if r["kind"] == "transitions_pro"]
    regions = [communes()[r["commune"]]["region"] for r in regional]
    assert 1 <= len(regional) <= 2
    assert regions.count("28") == 1


@pytest.mark.parametrize("metier", WISHES)
def test_each_wish_has_mini_stages_for_pupils_in_every_department(metier: str) -> None:
    companies = {r["key"]: r for r in rows("companies")}
    offers: dict[str, list[dict[str, str]]] = defaultdict(list)
    for offer in rows("ministages"):
        if offer["metier"] == metier and PUPILS & set(offer["levels"].split()):
            assert companies[offer["company"]]["commune"] == offer["commune"]
            offers[department(offer["commune"])].append(offer)
    for dept in NORMANDY:
        levels = {level for offer in offers[dept] for level in offer["levels"].split()}
        assert len(offers[dept]) >= 2, (metier, dept)
        assert {"college", "lycee"} <= levels, (metier, dept)
        assert len({offer["commune"] for offer in offers[dept]}) >= 2, (metier, dept)


@pytest.mark.parametrize("metier", WISHES)
def test_each_wish_has_ambassadors_for_pupils_and_adults_in_every_department(
    metier: str,
) -> None:
    """At least two available ambassadors meet pupils, in two towns; pupils, job seekers and
    employees each find someone in each format they may ask for."""
    people: dict[str, list[dict[str, str]]] = defaultdict(list)
    for person in rows("ambassadors"):
        if person["metier"] == metier and person["available"] == "oui":
            people[department(person["commune"])].append(person)
    for dept in NORMANDY:
        pupils = [p for p in people[dept] if PUPILS & set(p["publics"].split())]
        assert len(pupils) >= 2, (metier, dept)
        assert len({p["commune"] for p in pupils}) >= 2, (metier, dept)
        for group in (PUPILS, {"demandeur_emploi"}, {"salarie"}):
            formats = {
                f.replace("tiers_lieu", "sur_place")
                for p in people[dept]
                if group & set(p["publics"].split())
                for f in p["formats"].split()
            }
            assert formats >= MEETING_FORMATS, (metier, dept, group, formats)


@pytest.mark.parametrize("name", DEMO_FILES)
def test_the_normandy_pack_holds_normandy_rows_only(name: str) -> None:
    if name == "coordinators":
        departements = {d for r in rows(name) for d in r["departements"].split()}
        assert departements <= set(NORMANDY)
    else:
        assert {department(r["commune"]) for r in rows(name)} <= set(NORMANDY)
