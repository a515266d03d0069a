"""Import one CSV file of one kind: validate every line, then write all of it or nothing.

Re-importing the same file is idempotent: rows are upserted on their stable key.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from parcours.importers.specs import SPECS, Row, Spec


class ImportFailedError(Exception):
    """The file has errors; nothing was written. `errors` are line-numbered French messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} erreur(s), rien n'a été importé")
        self.errors = errors


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    kind: str
    created: int
    updated: int


def _existing_keys(session: Session, spec: Spec, column: str) -> set[Any]:
    """Primary keys already in the referenced table."""
    model = spec.references[column]
    return set(session.scalars(select(inspect(model).primary_key[0])))


def _parse(spec: Spec, raw: dict[str, str], line: int, header: set[str]) -> tuple[Row, list[str]]:
    """Parse the columns present in the file (absent optional ones keep model defaults)."""
    row: Row = {}
    errors = []
    for name, parser in spec.columns.items():
        if name not in header:
            continue
        try:
            row[name] = parser(raw.get(name) or "")
        except ValueError as exc:
            errors.append(f"ligne {line} : colonne « {name} » : {exc}")
    if not errors:
        for check in spec.checks:
            problem = check(row)
            if problem:
                errors.append(f"ligne {line} : {problem}")
    return row, errors


def validate(session: Session, kind: str, path: Path) -> list[Row]:
    """Parsed rows of `path`, or ImportFailedError with every problem found."""
    spec = SPECS[kind]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = set(reader.fieldnames or [])
        missing = sorted(set(spec.columns) - spec.optional - header)
        unknown = sorted(header - set(spec.columns))
        if missing or unknown:
            problems = [f"ligne 1 : colonne manquante « {name} »" for name in missing]
            problems += [f"ligne 1 : colonne inconnue « {name} »" for name in unknown]
            raise ImportFailedError(problems)
        references = {col: _existing_keys(session, spec, col) for col in spec.references}
        rows: list[Row] = []
        errors: list[str] = []
        seen: dict[Any, int] = {}
        for line, raw in enumerate(reader, start=2):
            row, row_errors = _parse(spec, raw, line, header)
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


def import_csv(session: Session, kind: str, path: Path) -> ImportReport:
    """Validate then upsert every row (caller commits). Raises ImportFailedError."""
    if kind not in SPECS:
        raise ImportFailedError([f"type d'import inconnu « {kind} » ({', '.join(SPECS)})"])
    spec = SPECS[kind]
    rows = validate(session, kind, path)
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
