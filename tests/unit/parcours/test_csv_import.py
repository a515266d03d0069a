"""CSV imports: line-numbered validation, all or nothing, idempotent upserts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.models import Ambassador, MinistageOffer
from tests.factories import text_file

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

COMMUNES = """insee,nom,codes_postaux,departement,region,epci,epci_nom,population
14118,Caen,14000,14,28,200065597,CU Caen la Mer,109400
14366,Lisieux,14100,14,28,200069532,CA Lisieux Normandie,19645
"""
METIERS = """code,libelle,secteur,synonymes,mots_cles
boulanger,Boulanger / Boulangère,alimentation,boulangere|boulange,pain|viennoiserie
infirmier,Infirmier / Infirmière,sante,infirmiere|idel,soins
"""
COMPANIES = """key,name,commune,secteur,charter_signed_on,demo
c1,Fournil de démo,14118,alimentation,2024-03-01,oui
"""
AMBASSADORS_HEADER = (
    "key,kind,display_name,metier,formation,company,school,years_in_job,formats,publics,"
    "zone_type,zone_code,commune,demo\n"
)


@pytest.fixture
def base(db_url: str, tmp_path: Path) -> Path:
    """Communes, métiers and one company already imported."""
    with session_scope() as session:
        import_csv(session, "communes", text_file(tmp_path, "communes.csv", COMMUNES))
        import_csv(session, "metiers", text_file(tmp_path, "metiers.csv", METIERS))
        import_csv(session, "companies", text_file(tmp_path, "companies.csv", COMPANIES))
    return tmp_path


def count(model: type) -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_valid_file_is_imported_and_reimporting_it_updates_in_place(base: Path) -> None:
    path = text_file(
        base,
        "amb.csv",
        AMBASSADORS_HEADER + "a1,metier,Léa B.,boulanger,,c1,,4,individuel visio,college lycee,"
        "departement,14,14118,oui\n"
        + "a2,formation,Hugo D.,,BTS diététique,,Lycée de démo,,visio,lycee,"
        "region,28,14366,oui\n",
    )
    with session_scope() as session:
        first = import_csv(session, "ambassadors", path)
    with session_scope() as session:
        again = import_csv(session, "ambassadors", path)
    assert (first.created, first.updated) == (2, 0)
    assert (again.created, again.updated) == (0, 2)
    assert count(Ambassador) == 2
    with session_scope() as session:
        amb = session.get(Ambassador, "a1")
        assert amb is not None
        assert amb.formats == "individuel visio"
        assert amb.available is True


def test_a_file_with_errors_reports_each_bad_line_and_imports_nothing(base: Path) -> None:
    row = "metier,{name},{metier},,c1,,{years},{formats},college,departement,14,{commune},oui\n"
    path = text_file(
        base,
        "amb.csv",
        AMBASSADORS_HEADER
        + "a1,"
        + row.format(name="Léa B.", metier="boulanger", years=4, formats="visio", commune="14118")
        + "a2,"
        + row.format(name="Tom R.", metier="boulanger", years=0, formats="visio", commune="14118")
        + "a3,"
        + row.format(name="Zoé K.", metier="astronaute", years=3, formats="visio", commune="14118")
        + "a4,"
        + row.format(name="Ana P.", metier="infirmier", years=2, formats="fax", commune="99999")
        + "a1,"
        + row.format(name="Léa B.", metier="boulanger", years=4, formats="visio", commune="14118"),
    )
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "ambassadors", path)
    errors = failure.value.errors
    assert any(e.startswith("ligne 3 :") and "au moins 1 an" in e for e in errors)
    assert any(e.startswith("ligne 4 :") and "astronaute" in e for e in errors)
    assert any(e.startswith("ligne 5 :") and "fax" in e for e in errors)
    assert any(e.startswith("ligne 6 :") and "déjà vue ligne 2" in e for e in errors)
    assert not any(e.startswith("ligne 2 :") for e in errors)
    assert count(Ambassador) == 0


def test_an_unknown_commune_is_reported(base: Path) -> None:
    header = "key,company,metier,commune,periods,days_min,days_max,levels,places,demo\n"
    path = text_file(base, "o.csv", header + "o1,c1,boulanger,99999,,3,5,college,1,oui\n")
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "ministages", path)
    assert failure.value.errors == [
        "ligne 2 : colonne « commune » : « 99999 » n'est ni un code INSEE ni un code postal connu"
    ]


def test_missing_and_unknown_columns_are_reported_on_line_one(base: Path) -> None:
    path = text_file(base, "offers.csv", "key,company,commune,couleur\nx,c1,14118,bleu\n")
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "ministages", path)
    assert "ligne 1 : colonne manquante « metier »" in failure.value.errors
    assert "ligne 1 : colonne inconnue « couleur »" in failure.value.errors


def test_a_mini_stage_lasts_three_to_five_days(base: Path) -> None:
    header = "key,company,metier,commune,periods,days_min,days_max,levels,places,demo\n"
    path = text_file(
        base,
        "offers.csv",
        header
        + "o1,c1,boulanger,14118,vacances de printemps,3,5,college lycee,2,oui\n"
        + "o2,c1,boulanger,14118,,2,6,college,1,oui\n",
    )
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "ministages", path)
    assert failure.value.errors == [
        "ligne 3 : un mini-stage dure de 3 à 5 jours (3 ≤ days_min ≤ days_max ≤ 5)"
    ]
    assert count(MinistageOffer) == 0


def test_an_unknown_kind_is_refused(db_url: str, tmp_path: Path) -> None:
    with session_scope() as session, pytest.raises(ImportFailedError, match="rien"):
        import_csv(session, "licornes", text_file(tmp_path, "x.csv", "a\n1\n"))
