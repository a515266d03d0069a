"""Zones of intervention as the Orient'Est charter defines them (région, département, ville,
bassin d'emploi): import, search and what is said about a bassin.

tests/fixtures/zones_emploi_FIXTURE.csv is a TEST FIXTURE with invented codes (T901…) and
names ending in "(fixture)": it stands for the official INSEE file, it is not official data.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.search_results import ActionSearchAmbassadors
from parcours import regions
from parcours.cli import knowledge
from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.importers.zones import MISSING_MAP
from parcours.models import Ambassador, Commune, Metier
from parcours.search.ranking import Candidate, Origin, rank_candidates
from parcours.search.zones import Place, covers
from parcours.services import catalogue_search
from parcours.services.zone_notes import asks_for_bassin, bassin_note
from parcours.settings import Settings
from tests.factories import ambassador, text_file, tracker

FIXTURE_MAP = Path(__file__).resolve().parents[2] / "fixtures" / "zones_emploi_FIXTURE.csv"

# Real Grand Est communes (INSEE code, name, department, EPCI): Metz and Thionville are in
# Moselle, Reims in the Marne, Strasbourg in the Bas-Rhin; Woippy is in Metz Métropole.
COMMUNES = [
    ("57463", "Metz", "57", "200039865"),
    ("57672", "Thionville", "57", "200068120"),
    ("57751", "Woippy", "57", "200039865"),
    ("51454", "Reims", "51", "200067213"),
    ("67482", "Strasbourg", "67", "246700488"),
]
HEADER = "key,kind,display_name,metier,years_in_job,formats,publics,zone_type,zone_code,commune\n"


@pytest.fixture
def grand_est(settings: Settings) -> Iterator[Settings]:
    """Five Grand Est communes and the métier boulanger; search indexes rebuilt."""
    with session_scope() as session:
        for insee, nom, dept, epci in COMMUNES:
            session.add(
                Commune(
                    insee=insee,
                    nom=nom,
                    codes_postaux="",
                    departement=dept,
                    region="44",
                    epci=epci,
                    epci_nom=f"EPCI {nom}",
                    population=1000,
                )
            )
        session.add(Metier(code="boulanger", libelle="Boulanger", secteur="alimentation"))
    catalogue_search.metier_index.cache_clear()
    yield settings
    catalogue_search.metier_index.cache_clear()


def _import_ambassadors(folder: Path, *rows: str) -> dict[str, tuple[str, str]]:
    path = text_file(folder, "a.csv", HEADER + "".join(f"{r}\n" for r in rows))
    with session_scope() as session:
        import_csv(session, "ambassadors", path, insee_codes=True)
        return {a.key: (a.zone_type, a.zone_code) for a in session.query(Ambassador)}


def _import_map() -> None:
    with session_scope() as session:
        import_csv(session, "zones_emploi", FIXTURE_MAP, insee_codes=True)


def test_the_three_zone_types_without_a_map_are_imported_as_codes(
    grand_est: Settings, tmp_path: Path
) -> None:
    zones = _import_ambassadors(
        tmp_path,
        "r1,metier,Léa B.,boulanger,4,visio,college,region,Grand Est,51454",
        "d1,metier,Tom R.,boulanger,4,visio,college,departement,Moselle,57672",
        "c1,metier,Ana P.,boulanger,4,visio,college,commune,Metz,57463",
    )
    assert zones == {
        "r1": ("region", "44"),
        "d1": ("departement", "57"),
        "c1": ("commune", "57463"),
    }


def test_a_bassin_without_the_official_map_is_refused_in_french(
    grand_est: Settings, tmp_path: Path
) -> None:
    with pytest.raises(ImportFailedError) as failure:
        _import_ambassadors(
            tmp_path, "b1,metier,Zoé K.,boulanger,4,visio,college,bassin,Metz,57463"
        )
    (error,) = failure.value.errors
    assert error.startswith("ligne 2 : colonne « zone_code » : zone « bassin » impossible")
    assert "zones_emploi.csv" in error
    assert MISSING_MAP in error


def test_with_the_map_a_bassin_is_given_by_code_or_name_and_an_unknown_one_is_refused(
    grand_est: Settings, tmp_path: Path
) -> None:
    _import_map()
    zones = _import_ambassadors(
        tmp_path,
        "b1,metier,Zoé K.,boulanger,4,visio,college,bassin,T901,57463",
        "b2,metier,Hugo D.,boulanger,4,visio,college,bassin,test reims fixture,51454",
    )
    assert zones == {"b1": ("bassin", "T901"), "b2": ("bassin", "T902")}
    with pytest.raises(ImportFailedError) as failure:
        _import_ambassadors(
            tmp_path, "b3,metier,Eva S.,boulanger,4,visio,college,bassin,BE-Metz,57463"
        )
    assert "zone d'emploi « BE-Metz » inconnue" in failure.value.errors[0]


def test_the_map_only_takes_known_communes(grand_est: Settings, tmp_path: Path) -> None:
    path = text_file(tmp_path, "z.csv", "insee,ze2020,libze2020\n99999,T9,Nulle part\n")
    with session_scope() as session, pytest.raises(ImportFailedError):
        import_csv(session, "zones_emploi", path, insee_codes=True)


@pytest.mark.parametrize(
    ("zone_type", "zone_code", "covered"),
    [
        ("region", "44", True),
        ("region", "28", False),
        ("departement", "57", True),
        ("departement", "54", False),
        ("commune", "57463", True),
        ("commune", "57672", False),
        ("bassin", "T901", True),
        ("bassin", "T902", False),
    ],
)
def test_a_zone_covers_the_communes_in_it(zone_type: str, zone_code: str, covered: bool) -> None:
    metz = Place(insee="57463", departement="57", region="44", zone_emploi="T901")
    assert covers(zone_type, zone_code, metz) is covered


def test_no_map_no_bassin_covers_anything() -> None:
    metz = Place(insee="57463", departement="57", region="44")
    assert not covers("bassin", "T901", metz)
    assert not covers("arrondissement", "579", metz)  # not a zone type of the charter


def test_ranking_puts_covering_zones_first_and_keeps_them_whatever_the_distance() -> None:
    origin = Origin(insee="57463", epci="200039865", departement="57")
    near = Candidate(id=1, metier_code="m", insee="57751", epci="200039865", departement="57")
    far = Candidate(
        id=2, metier_code="m", insee="67482", epci="246700488", departement="67", in_zone=True
    )
    farther = Candidate(id=3, metier_code="m", insee="08105", epci="x", departement="08")
    ranked = rank_candidates([near, far, farther], {"m": 1.0}, origin)
    assert [r.candidate.id for r in ranked] == [2, 1]  # 08 is no neighbour of 57: left out


@pytest.mark.parametrize(
    ("zone_type", "zone_code"),
    [("region", "44"), ("departement", "57"), ("commune", "57463"), ("bassin", "T901")],
)
def test_an_ambassador_is_found_for_a_user_whose_commune_lies_in_the_zone(
    grand_est: Settings, zone_type: str, zone_code: str
) -> None:
    """A baker living in Reims whose zone covers Metz comes before a baker in Woippy (next to
    Metz) whose zone is his own town only."""
    _import_map()
    with session_scope() as session:
        session.add(
            ambassador(
                key="far", company=None, commune="51454", zone_type=zone_type, zone_code=zone_code
            )
        )
        session.add(
            ambassador(
                key="near", company=None, commune="57751", zone_type="commune", zone_code="57751"
            )
        )
        session.flush()
        hits = catalogue_search.find_ambassadors(
            session, metier_query="boulanger", insee="57463", meeting_format=None
        )
    assert [(h.key, h.in_zone) for h in hits] == [("far", True), ("near", False)]


def test_a_zone_elsewhere_does_not_count(grand_est: Settings) -> None:
    with session_scope() as session:
        session.add(
            ambassador(
                key="reims", company=None, commune="51454", zone_type="commune", zone_code="51454"
            )
        )
        session.add(
            ambassador(
                key="woippy",
                company=None,
                commune="57751",
                zone_type="departement",
                zone_code="57",
            )
        )
        session.flush()
        hits = catalogue_search.find_ambassadors(
            session, metier_query="boulanger", insee="57672", meeting_format="visio"
        )
    assert [(h.key, h.in_zone) for h in hits] == [("woippy", True), ("reims", False)]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("un ambassadeur dans le bassin d'emploi de Metz", True),
        ("BASSIN DEMPLOI reims svp", True),
        ("qqn sur la zone d'emploi de Nancy ?", True),
        ("un ambassadeur boulanger a Metz", False),
    ],
)
def test_a_question_about_a_bassin_is_recognised(text: str, asked: bool) -> None:
    assert asks_for_bassin(["bonjour", text]) is asked


def test_what_is_said_about_a_bassin_with_and_without_the_map(grand_est: Settings) -> None:
    with session_scope() as session:
        without = bassin_note(session, insee="57463", town="Metz", register="tu")
        polite = bassin_note(session, insee="57463", town="Metz", register="vous")
    assert without.startswith("Je ne connais pas les limites officielles des bassins d'emploi")
    assert "je ne peux donc pas chercher par bassin" in without
    assert "Je te montre" in without
    assert "Je vous montre" in polite
    _import_map()
    with session_scope() as session:
        known = bassin_note(session, insee="57463", town="Metz", register="tu")
        unmapped = bassin_note(session, insee="67482", town="Strasbourg", register="tu")
    assert known.startswith("Metz fait partie de la zone d'emploi « Test Metz (fixture) »")
    assert unmapped.startswith("Je ne connais pas")  # a commune the map does not list


async def test_the_search_says_how_it_reads_a_bassin_and_who_intervenes_here(
    grand_est: Settings,
) -> None:
    with session_scope() as session:
        session.add(
            ambassador(
                key="reims", company=None, commune="51454", zone_type="region", zone_code="44"
            )
        )
    slots = {"metier": "boulanger", "town": "Metz", "town_insee": "57463", "register": "vous"}
    for text, noted in (("un ambassadeur dans le bassin d'emploi de Metz", True), ("Metz", False)):
        search = tracker(slots=slots)
        search.events = [{"event": "user", "text": "bonjour"}, {"event": "user", "text": text}]
        dispatcher = CollectingDispatcher()
        await ActionSearchAmbassadors().run(dispatcher, search, {})
        found = dispatcher.messages[-1]
        assert found["response"] == "utter_ambassadors_found"
        assert found["buttons"][0]["title"].endswith("– Reims (intervient ici)")
        notes = [m["text"] for m in dispatcher.messages if m.get("text")]
        if noted:
            assert notes[0].startswith("Je ne connais pas les limites officielles")
            assert "Je vous montre d'abord les ambassadeurs qui interviennent à Metz" in notes[0]
        else:
            assert notes == []


def test_import_knowledge_takes_the_regions_zones_map_before_the_ambassadors(
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With the (fixture) map in the region's pack, shipped ambassadors may have bassin zones;
    without it, the same file is refused and import-knowledge fails."""
    monkeypatch.setattr(knowledge, "KNOWLEDGE_DIR", tmp_path)
    monkeypatch.setattr(regions, "REGIONS_DIR", tmp_path / "regions")
    pack = tmp_path / "regions" / settings.region
    pack.mkdir(parents=True)
    text_file(
        tmp_path,
        "communes.csv",
        "insee,nom,codes_postaux,departement,region,epci,epci_nom,population\n"
        "57463,Metz,57000,57,44,200039865,Metz Métropole,120000\n",
    )
    text_file(
        tmp_path,
        "metiers.csv",
        "code,libelle,secteur,synonymes,mots_cles\nboulanger,Boulanger,alimentation,,\n",
    )
    text_file(
        pack,
        "ambassadors.csv",
        HEADER + "b1,metier,Zoé K.,boulanger,4,visio,college,bassin,T901,57463\n",
    )
    args = argparse.Namespace(if_empty=False)
    assert knowledge.run_knowledge(args) == 1
    assert "zone « bassin » impossible" in capsys.readouterr().err  # no map: refused
    text_file(pack, "zones_emploi.csv", "insee,ze2020,libze2020\n57463,T901,Test Metz (fixture)\n")
    assert knowledge.run_knowledge(args) == 0
    with session_scope() as session:
        person = session.get(Ambassador, "b1")
        assert person is not None
        assert (person.zone_type, person.zone_code) == ("bassin", "T901")
