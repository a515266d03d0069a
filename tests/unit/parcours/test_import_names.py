"""CSV imports accept places, zones and métiers as agencies write them, and never guess:
postal code + town, INSEE code, department names, métier libellés in either gender, synonyms
and ROME codes; what stays ambiguous is a line-numbered error listing the candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.cli import main
from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.models import Ambassador, Commune, Coordinator, MinistageOffer
from tests.factories import text_file

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

# 14400 is the INSEE code of Le Manoir and the postal code of Bayeux, Saint-Vigor-le-Grand
# and Le Manoir itself; two communes are called Saint-Martin.
COMMUNES = """insee,nom,codes_postaux,departement,region,epci,epci_nom,population
14118,Caen,14000,14,28,200065597,CU Caen la Mer,109400
14047,Bayeux,14400,14,28,200069516,CC Bayeux Intercom,12659
14400,Le Manoir,14400,14,28,200069516,CC Bayeux Intercom,195
14663,Saint-Vigor-le-Grand,14400,14,28,200069516,CC Bayeux Intercom,2443
50129,Cherbourg-en-Cotentin,50100 50110,50,28,200067205,CA du Cotentin,78258
65392,Saint-Martin,65360,65,76,200069300,CA Tarbes-Lourdes-Pyrénées,436
67426,Saint-Martin,67220,67,44,246700744,CC de la Vallée de Villé,374
"""
ROME = """rome_code,libelle,appellations
D1102,Boulanger / Boulangère,Boulanger-pâtissier
J1506,Infirmier / Infirmière,Infirmier de bloc opératoire
K1207,Intervenant / Intervenante d'action sociale,
A1214,Patrouilleur modeleur / Patrouilleuse modeleuse VTT,
"""
METIERS = """code,libelle,secteur,synonymes,mots_cles,rome
boulanger,Boulanger / Boulangère,alimentation,boulange,pain,D1102
infirmier,Infirmier / Infirmière,sante,idel,soins,J1506
educateur_specialise,Éducateur spécialisé / Éducatrice spécialisée,social,,,K1207
educateur_prevention,Éducateur / Éducatrice de prévention,social,,,K1207
"""
COMPANIES = "key,name,commune\nc1,Fournil,14118\n"
OFFERS = "key,company,metier,commune,days_min,days_max,levels\n"
AMBASSADORS = (
    "key,kind,display_name,metier,years_in_job,formats,publics,zone_type,zone_code,commune\n"
)


@pytest.fixture
def base(db_url: str, tmp_path: Path) -> Path:
    with session_scope() as session:
        import_csv(session, "communes", text_file(tmp_path, "communes.csv", COMMUNES))
        import_csv(session, "rome", text_file(tmp_path, "rome.csv", ROME))
        import_csv(session, "metiers", text_file(tmp_path, "metiers.csv", METIERS))
        import_csv(session, "companies", text_file(tmp_path, "companies.csv", COMPANIES))
    return tmp_path


def offers(folder: Path, *lines: str, insee_codes: bool = False) -> dict[str, tuple[str, str]]:
    """Import mini-stage lines ``key,metier,commune``: key → (metier, commune) stored."""
    body = "".join(f"{k},c1,{m},{c},3,5,college\n" for k, m, c in (x.split(";") for x in lines))
    path = text_file(folder, "o.csv", OFFERS + body)
    with session_scope() as session:
        if insee_codes:
            import_csv(session, "ministages", path, insee_codes=True)
        else:
            import_csv(session, "ministages", path)
        return {o.key: (o.metier, o.commune) for o in session.query(MinistageOffer)}


def refused(folder: Path, *lines: str) -> list[str]:
    with pytest.raises(ImportFailedError) as failure:
        offers(folder, *lines)
    return failure.value.errors


def test_a_postal_code_with_the_town_name_gives_the_town(base: Path) -> None:
    stored = offers(
        base,
        "o1;boulanger;14400 Bayeux",
        "o2;boulanger;Bayeux (14400)",
        "o3;boulanger;Saint Vigor le Grand 14400",
        "o4;boulanger;14400 Le Manoir",
        "o5;boulanger;50100 Cherbourg",
    )
    assert {k: c for k, (_m, c) in stored.items()} == {
        "o1": "14047",
        "o2": "14047",
        "o3": "14663",
        "o4": "14400",
        "o5": "50129",
    }


def test_a_code_both_insee_and_postal_of_other_towns_is_never_guessed(base: Path) -> None:
    errors = refused(base, "o1;boulanger;14400")
    assert len(errors) == 1
    assert errors[0].startswith(
        "ligne 2 : colonne « commune » : « 14400 » est le code INSEE de Le Manoir"
    )
    assert "Bayeux (14, INSEE 14047, CP 14400)" in errors[0]
    assert "Saint-Vigor-le-Grand (14, INSEE 14663, CP 14400)" in errors[0]


def test_declared_insee_codes_are_taken_as_insee(base: Path) -> None:
    assert offers(base, "o1;boulanger;14400", insee_codes=True) == {"o1": ("boulanger", "14400")}


def test_a_postal_code_alone_gives_its_only_town_and_lists_shared_ones(base: Path) -> None:
    assert offers(base, "o1;boulanger;14000")["o1"] == ("boulanger", "14118")
    with session_scope() as session:  # without Le Manoir, 14400 is only a postal code
        session.delete(session.get(Commune, "14400"))
    errors = refused(base, "o2;boulanger;14400")
    assert errors[0].startswith(
        "ligne 2 : colonne « commune » : le code postal 14400 est celui de plusieurs communes : "
        "Bayeux (14, INSEE 14047, CP 14400), Saint-Vigor-le-Grand"
    )
    assert errors[0].endswith("par exemple « 14400 Bayeux »")


def test_a_town_name_alone_is_taken_only_when_unique(base: Path) -> None:
    assert offers(base, "o1;boulanger;Bayeux", "o2;boulanger;Saint-Martin (67)") == {
        "o1": ("boulanger", "14047"),
        "o2": ("boulanger", "67426"),
    }
    errors = refused(
        base, "o3;boulanger;Saint-Martin", "o4;boulanger;Bayeu", "o5;boulanger;14400 Caen"
    )
    assert errors[0].startswith(
        "ligne 2 : colonne « commune » : plusieurs communes s'appellent « Saint-Martin » :"
    )
    assert "Saint-Martin (65, INSEE 65392, CP 65360)" in errors[0]
    assert "Saint-Martin (67, INSEE 67426, CP 67220)" in errors[0]
    assert errors[1].startswith("ligne 3 : colonne « commune » : commune inconnue « Bayeu » ;")
    assert "Bayeux (14, INSEE 14047" in errors[1]
    assert errors[2].startswith(
        "ligne 4 : colonne « commune » : aucune commune « Caen » sous le code 14400"
    )


def test_metier_libelles_in_either_gender_synonyms_and_rome_codes_are_accepted(base: Path) -> None:
    stored = offers(
        base,
        "o1;Boulangère;Caen",
        "o2;infirmiere;Caen",
        "o3;IDEL;Caen",
        "o4;D1102;Caen",
        "o5;Infirmière de bloc opératoire;Caen",
        "o6;Éducatrice spécialisée;Caen",
    )
    assert {k: m for k, (m, _c) in stored.items()} == {
        "o1": "boulanger",
        "o2": "infirmier",
        "o3": "infirmier",
        "o4": "boulanger",
        "o5": "infirmier",
        "o6": "educateur_specialise",
    }


def test_unknown_or_ambiguous_metiers_are_explained(base: Path) -> None:
    errors = refused(base, "o1;K1207;Caen", "o2;A1214;Caen", "o3;boulangère de nuit;Caen")
    assert errors[0] == (
        "ligne 2 : colonne « metier » : le code ROME K1207 est celui de plusieurs métiers : "
        "educateur_specialise (Éducateur spécialisé / Éducatrice spécialisée), "
        "educateur_prevention (Éducateur / Éducatrice de prévention) ; écrivez le code du métier"
    )
    assert errors[1].startswith(
        "ligne 3 : colonne « metier » : aucun métier de la liste n'a le code ROME A1214"
    )
    assert errors[2].startswith(
        "ligne 4 : colonne « metier » : métier inconnu « boulangère de nuit » ; "
        "métiers proches : boulanger"
    )


def test_department_and_region_names_are_stored_as_codes(base: Path) -> None:
    rows = (
        "a1,metier,Léa B.,boulanger,4,visio,college,departement,Calvados,14047\n"
        "a2,metier,Tom R.,boulanger,4,visio,college,departement,1,14047\n"
        "a3,metier,Ana P.,boulanger,4,visio,college,region,Normandie,14047\n"
        "a4,metier,Zoé K.,boulanger,4,visio,college,commune,14400 Bayeux,14047\n"
    )
    with session_scope() as session:
        import_csv(session, "ambassadors", text_file(base, "a.csv", AMBASSADORS + rows))
        zones = {a.key: (a.zone_code, a.commune) for a in session.query(Ambassador)}
    assert zones == {
        "a1": ("14", "14047"),
        "a2": ("01", "14047"),
        "a3": ("28", "14047"),
        "a4": ("14047", "14047"),
    }


def test_a_name_that_is_no_department_is_refused_not_stored(base: Path) -> None:
    rows = (
        "a1,metier,Léa B.,boulanger,4,visio,college,departement,Normandie,14047\n"
        "a2,metier,Tom R.,boulanger,4,visio,college,region,Calvados,14047\n"
    )
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, "ambassadors", text_file(base, "a.csv", AMBASSADORS + rows))
    assert failure.value.errors == [
        "ligne 2 : colonne « zone_code » : « Normandie » n'est ni un numéro ni un nom de "
        "département (par exemple 14 ou Calvados)",
        "ligne 3 : colonne « zone_code » : « Calvados » n'est ni un code ni un nom de région "
        "(par exemple 28 ou Normandie)",
    ]


def test_coordinators_and_communes_take_department_names(base: Path) -> None:
    coordinators = (
        'telegram_id,name,departements\n1,Camille,"Calvados, Seine-Maritime"\n2,Sam,14 Orne\n'
    )
    with session_scope() as session:
        import_csv(session, "coordinators", text_file(base, "c.csv", coordinators))
        assert {c.telegram_id: c.departements for c in session.query(Coordinator)} == {
            1: "14 76",
            2: "14 61",
        }
    communes = COMMUNES.splitlines()[0] + "\n14001,Ablon,14600,Calvados,28,,,1200\n"
    with session_scope() as session:
        import_csv(session, "communes", text_file(base, "more.csv", communes))
        ablon = session.get(Commune, "14001")
        assert ablon is not None
        assert ablon.departement == "14"
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(
            session,
            "coordinators",
            text_file(base, "c.csv", "telegram_id,name,departements\n3,Alex,Normandie\n"),
        )
    assert failure.value.errors[0].startswith(
        "ligne 2 : colonne « departements » : « Normandie » n'est ni"
    )


def test_the_command_line_reports_in_french_and_takes_declared_insee_codes(
    base: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = text_file(base, "o.csv", OFFERS + "o1,c1,boulanger,14400,3,5,college\n")
    assert main(["import", "ministages", str(path)]) == 1
    err = capsys.readouterr().err
    assert "rien n'a été importé" in err
    assert "ligne 2 : colonne « commune » : « 14400 » est le code INSEE de Le Manoir" in err
    assert main(["import", "ministages", str(path), "--codes-insee"]) == 0
    with session_scope() as session:
        offer = session.get(MinistageOffer, "o1")
        assert offer is not None
        assert offer.commune == "14400"
