"""CSV imports of files as agencies export them: encodings, separators, NUL bytes, huge
fields and over-long values give line-numbered French errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.models import Commune, Company, Structure

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

COMMUNES = """insee,nom,codes_postaux,departement,region,epci,epci_nom,population
14118,Caen,14000,14,28,200065597,CU Caen la Mer,109400
"""
COMPANIES = "key,name,commune,secteur,charter_signed_on,demo\n"


@pytest.fixture
def base(db_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "communes.csv"
    path.write_text(COMMUNES, encoding="utf-8")
    with session_scope() as session:
        import_csv(session, "communes", path)
    return tmp_path


def write_bytes(folder: Path, data: bytes) -> Path:
    path = folder / "file.csv"
    path.write_bytes(data)
    return path


def refused(kind: str, path: Path) -> list[str]:
    with session_scope() as session, pytest.raises(ImportFailedError) as failure:
        import_csv(session, kind, path)
    return failure.value.errors


def company_name(key: str) -> str | None:
    with session_scope() as session:
        company = session.get(Company, key)
        return None if company is None else company.name


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_latin1_windows_and_utf16_files_are_read(base: Path, encoding: str) -> None:
    text = COMPANIES + "c1,Crêperie Éloïse,14118,alimentation,,non\n"
    with session_scope() as session:
        import_csv(session, "companies", write_bytes(base, text.encode(encoding)))
    assert company_name("c1") == "Crêperie Éloïse"


def test_an_unreadable_encoding_is_a_french_error_with_its_line(base: Path) -> None:
    data = (COMPANIES + "c1,Fournil,14118,,,non\n").encode() + b"c2,Caf\xc3\x81\x9d,14118,,,non\n"
    errors = refused("companies", write_bytes(base, data))
    assert len(errors) == 1
    assert errors[0].startswith("ligne 3 : octet 0x81 illisible")
    assert "CSV UTF-8" in errors[0]


def test_an_excel_workbook_is_recognised(base: Path) -> None:
    errors = refused("companies", write_bytes(base, b"PK\x03\x04\x14\x00\x06\x00binary"))
    assert errors == [
        "ligne 1 : c'est un classeur Excel, pas un CSV : enregistrez-le en « CSV UTF-8 » "
        "depuis le tableur"
    ]


def test_a_nul_byte_is_refused_on_every_database(base: Path) -> None:
    text = COMPANIES + "c1,Fournil,14118,,,non\nc2,Bou\x00langerie,14118,,,non\n"
    errors = refused("companies", write_bytes(base, text.encode()))
    assert len(errors) == 1
    assert errors[0].startswith("ligne 3 : caractère NUL")
    assert company_name("c1") is None


def test_a_field_over_the_csv_limit_is_a_french_error(base: Path) -> None:
    text = COMPANIES + "c1,Fournil,14118,,,non\n" + 'c2,"' + "x" * 140_000 + '",14118,,,non\n'
    errors = refused("companies", write_bytes(base, text.encode()))
    assert errors == [
        "ligne 3 : une valeur dépasse 131 072 caractères (un guillemet ouvert et jamais "
        "refermé ?) ; rien n'est lu au-delà"
    ]


def test_values_longer_than_their_column_are_refused_on_every_database(base: Path) -> None:
    header = "key,kind,name,commune,publics,age_min,age_max\n"
    text = header + "s1,cio," + "N" * 5000 + ",14118,tous,,\n" + "s2,cio,CIO,14118,tous,,\n"
    errors = refused("structures", write_bytes(base, text.encode()))
    assert errors == [
        "ligne 2 : colonne « name » : 5000 caractères, au plus 256 (« " + "N" * 30 + "… »)"
    ]
    with session_scope() as session:
        assert session.get(Structure, "s2") is None


def test_an_integer_too_big_for_its_column_is_refused(base: Path) -> None:
    text = COMMUNES.replace("109400", "99999999999")
    errors = refused("communes", write_bytes(base, text.encode()))
    assert errors == [
        "ligne 2 : colonne « population » : 99999999999 est trop grand (au plus 2147483647)"
    ]
    with session_scope() as session:
        commune = session.get(Commune, "14118")
        assert commune is not None
        assert commune.population == 109400


@pytest.mark.parametrize("separator", [";", "|"])
def test_semicolon_and_pipe_separated_files_are_read(base: Path, separator: str) -> None:
    text = (COMPANIES + 'c1,"Fournil, Caen",14118,alimentation,2024-03-01,oui\n').replace(
        ",", separator
    )
    text = text.replace(f'"Fournil{separator} Caen"', '"Fournil, Caen"')
    with session_scope() as session:
        import_csv(session, "companies", write_bytes(base, text.encode("utf-8-sig")))
    assert company_name("c1") == "Fournil, Caen"


def test_header_names_ignore_case_and_spaces(base: Path) -> None:
    text = "Key ; Name ; Commune\nc1;Fournil;14118\n"
    with session_scope() as session:
        import_csv(session, "companies", write_bytes(base, text.encode()))
    assert company_name("c1") == "Fournil"


def test_a_row_with_more_values_than_columns_is_reported(base: Path) -> None:
    text = "key,name,commune\nc1,Fournil,14118\nc2,Fournil, Caen,14118\n"
    errors = refused("companies", write_bytes(base, text.encode()))
    assert errors[0].startswith("ligne 3 : 4 valeurs pour 3 colonnes")


def test_unnamed_columns_of_a_spreadsheet_are_ignored_when_empty(base: Path) -> None:
    text = "key;name;commune;;\nc1;Fournil;14118;;\n;;;;\n"
    with session_scope() as session:
        import_csv(session, "companies", write_bytes(base, text.encode("cp1252")))
    assert company_name("c1") == "Fournil"
    errors = refused("companies", write_bytes(base, b"key;name;commune;\nc2;Fournil;14118;x\n"))
    assert errors == ["ligne 2 : une valeur est dans une colonne sans nom"]


def test_a_huge_cell_is_not_copied_whole_into_its_error(base: Path) -> None:
    text = "key,kind,name,commune,publics,age_min,age_max\n"
    text += "s1,cio,CIO," + "Caen " * 20_000 + ",tous,,\ns2," + "cio" * 30_000 + ",CIO,14118,,,\n"
    errors = refused("structures", write_bytes(base, text.encode()))
    assert [e[:40] for e in errors] == [
        "ligne 2 : colonne « commune » : commune ",
        "ligne 3 : colonne « kind » : « ciociocio",
    ]
    assert all(len(e) <= 1000 for e in errors)


def test_a_missing_file_is_a_french_error(base: Path) -> None:
    assert refused("companies", base / "absent.csv") == [
        f"fichier introuvable : {base / 'absent.csv'}"
    ]
