"""Import one CSV file of one kind: validate every line, then write all of it or nothing.

Re-importing the same file is idempotent: rows are upserted on their stable key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from parcours.importers.errors import ImportFailedError
from parcours.importers.limits import limit_errors
from parcours.importers.reading import read_table
from parcours.importers.resolving import Resolver
from parcours.importers.specs import SPECS, Row, Spec

__all__ = ["ImportFailedError", "ImportReport", "import_csv", "validate"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    kind: str
    created: int
    updated: int


#: A message quoting a huge cell is cut there (the file's line number is enough to find it).
MESSAGE_MAX = 1000


def _column_error(line: int, name: str, exc: ValueError) -> str:
    message = f"ligne {line} : colonne « {name} » : {exc}"
    return message if len(message) <= MESSAGE_MAX else message[: MESSAGE_MAX - 1] + "…"


def _existing_keys(session: Session, spec: Spec, column: str) -> set[Any]:
    """Primary keys already in the referenced table."""
    model = spec.references[column]
    return set(session.scalars(select(inspect(model).primary_key[0])))


def _parse(
    spec: Spec, raw: dict[str, str], line: int, header: set[str], resolver: Resolver
) -> tuple[Row, list[str]]:
    """Parse the columns present in the file (absent optional ones keep model defaults),
    resolve the names they give, then check what the database would refuse."""
    row: Row = {}
    errors = []
    for name, parser in spec.columns.items():
        if name not in header:
            continue
        try:
            row[name] = parser(raw.get(name) or "")
        except ValueError as exc:
            errors.append(_column_error(line, name, exc))
    for name, how in spec.resolved.items():
        value = row.get(name)
        if isinstance(value, str) and value:  # a column that failed to parse is not in row
            try:
                row[name] = resolver.resolve(how, value, row)
            except ValueError as exc:
                del row[name]  # reported here, not again as an unknown reference
                errors.append(_column_error(line, name, exc))
    errors += [f"ligne {line} : {error}" for error in limit_errors(spec.model, row)]
    if not errors:
        for check in spec.checks:
            problem = check(row)
            if problem:
                errors.append(f"ligne {line} : {problem}")
    return row, errors


def _header_errors(spec: Spec, names: list[str]) -> list[str]:
    names = [name for name in names if name]  # unnamed columns: read_table checks them empty
    header = set(names)
    doubled = sorted({name for name in names if names.count(name) > 1})
    missing = sorted(set(spec.columns) - spec.optional - header)
    unknown = sorted(header - set(spec.columns))
    problems = [f"ligne 1 : colonne en double « {name} »" for name in doubled]
    problems += [f"ligne 1 : colonne manquante « {name} »" for name in missing]
    problems += [f"ligne 1 : colonne inconnue « {name} »" for name in unknown]
    return problems


def validate(session: Session, kind: str, path: Path, *, insee_codes: bool = False) -> list[Row]:
    """Parsed rows of `path`, or ImportFailedError with every problem found.

    ``insee_codes``: a five-digit code in a commune column is an INSEE code, even when it is
    also the postal code of another commune (the shipped files).
    """
    spec = SPECS[kind]
    table = read_table(path, spec.columns)
    problems = _header_errors(spec, table.header)
    if problems:
        raise ImportFailedError(problems)
    header = set(table.header)
    resolver = Resolver(session, insee_codes=insee_codes)
    references = {col: _existing_keys(session, spec, col) for col in spec.references}
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[Any, int] = {}
    for line, raw in table.rows:
        row, row_errors = _parse(spec, raw, line, header, resolver)
        key = row.get(spec.key)
        if key is not None:  # None: the key itself is wrong, already reported
            if key in seen:
                row_errors.append(f"ligne {line} : clé « {key} » déjà vue ligne {seen[key]}")
            seen[key] = line
        for col, known in references.items():
            value = row.get(col)
            values = str(value or "").split() if col in spec.reference_lists else [value]
            for item in values:
                if item and item not in known:
                    row_errors.append(f"ligne {line} : colonne « {col} » : « {item} » inconnu")
        errors += row_errors
        rows.append(row)
    if errors:
        raise ImportFailedError(errors)
    return rows


def import_csv(
    session: Session, kind: str, path: Path, *, insee_codes: bool = False
) -> ImportReport:
    """Validate then upsert every row (caller commits). Raises ImportFailedError.

    ``insee_codes``: see :func:`validate`."""
    if kind not in SPECS:
        raise ImportFailedError([f"type d'import inconnu « {kind} » ({', '.join(SPECS)})"])
    spec = SPECS[kind]
    rows = validate(session, kind, path, insee_codes=insee_codes)
    key_column = getattr(spec.model, spec.key)
    existing = set(session.scalars(select(key_column)))
    new = [r for r in rows if r[spec.key] not in existing]
    old = [r for r in rows if r[spec.key] in existing]
    if new:
        session.execute(insert(spec.model), new)
    if old:
        session.execute(update(spec.model), old)
    session.flush()
    return ImportReport(kind=kind, created=len(new), updated=len(old))
