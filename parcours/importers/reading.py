"""Read an import file as agencies export it: UTF-8 (with or without BOM), UTF-16 with a BOM
or Windows-1252 / latin-1; `,` `;` or `|` separated; NUL bytes and over-long fields reported
with their line number instead of a traceback."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from parcours.importers.errors import ImportFailedError

#: Separators an import accepts; the one that makes the most known columns of the header wins.
SEPARATORS = (",", ";", "|")
#: Python's csv module refuses longer fields (131,072 characters by default).
FIELD_LIMIT = csv.field_size_limit()
_SAVE_AS = "enregistrez-le en « CSV UTF-8 » depuis le tableur"
_NUL_SHOWN = 5


@dataclass(frozen=True)
class Table:
    """The lines of a file: header names (trimmed, lower case) and rows with their line number."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str
    separator: str


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with, or ImportFailedError."""
    if data.startswith(b"PK\x03\x04"):
        raise ImportFailedError([f"ligne 1 : c'est un classeur Excel, pas un CSV : {_SAVE_AS}"])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _unreadable(data, exc) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _unreadable(data, exc) from None


def _unreadable(data: bytes, exc: UnicodeDecodeError) -> ImportFailedError:
    line = data[: exc.start].count(b"\n") + 1
    byte = data[exc.start]
    return ImportFailedError(
        [
            f"ligne {line} : octet 0x{byte:02X} illisible : le fichier n'est ni en UTF-8 ni en "
            f"Windows-1252 (latin-1) ; {_SAVE_AS}"
        ]
    )


def nul_errors(text: str) -> list[str]:
    """Line-numbered errors for the lines holding a NUL character (PostgreSQL refuses them)."""
    if "\x00" not in text:
        return []
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if "\x00" in line]
    errors = [
        f"ligne {n} : caractère NUL (octet 0) : fichier abîmé ou en UTF-16 sans BOM ; {_SAVE_AS}"
        for n in lines[:_NUL_SHOWN]
    ]
    if len(lines) > _NUL_SHOWN:
        errors.append(f"… et {len(lines) - _NUL_SHOWN} autres lignes avec un caractère NUL")
    return errors


def _header_names(line: str, separator: str) -> list[str]:
    return [name.strip().strip('"').strip().lower() for name in line.split(separator)]


def separator_of(first_line: str, expected: Collection[str]) -> str:
    """The separator of :data:`SEPARATORS` that splits the header into the most known names."""

    def known(separator: str) -> int:
        return sum(name in expected for name in _header_names(first_line, separator))

    return max(SEPARATORS, key=lambda sep: (known(sep), first_line.count(sep)))


def read_table(path: Path, expected: Collection[str]) -> Table:
    """The header and rows of ``path`` (``expected``: the column names the import knows)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailedError([f"fichier introuvable : {path}"]) from None
    except OSError as exc:
        raise ImportFailedError([f"fichier illisible : {path} ({exc.strerror})"]) from None
    text, encoding = decode(data)
    errors = nul_errors(text)
    if errors:
        raise ImportFailedError(errors)
    separator = separator_of(text.split("\n", 1)[0], expected)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    start = 1
    try:
        for cells in reader:
            if not header:
                header = [cell.strip().lower() for cell in cells]
            elif any(cell.strip() for cell in cells):  # blank lines (even ";;;") are skipped
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                    errors.append(
                        f"ligne {start} : {len(cells)} valeurs pour {len(header)} colonnes "
                        f"(séparateur « {separator} » dans une valeur non entre guillemets ?)"
                    )
                if any(c.strip() for n, c in zip(header, cells, strict=False) if not n):
                    errors.append(f"ligne {start} : une valeur est dans une colonne sans nom")
                rows.append((start, dict(zip(header, cells, strict=False))))
            start = reader.line_num + 1
    except csv.Error as exc:
        errors.append(_csv_error(start, exc))
    if errors:
        raise ImportFailedError(errors)
    if not header:
        raise ImportFailedError(["ligne 1 : fichier vide, la ligne d'en-tête manque"])
    return Table(header, rows, encoding, separator)


def _csv_error(line: int, exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return (
            f"ligne {line} : une valeur dépasse {FIELD_LIMIT:,} caractères".replace(",", " ")
            + " (un guillemet ouvert et jamais refermé ?) ; rien n'est lu au-delà"
        )
    return f"ligne {line} : CSV illisible ({exc}) ; rien n'est lu au-delà"
