"""`python -m parcours import KIND FILE` and `import-knowledge`: reference data from CSV files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from parcours import KNOWLEDGE_DIR
from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.importers.specs import SPECS
from parcours.models import Commune, RomeMetier
from parcours.settings import get_settings

#: Shipped files (import kind, file name), in dependency order (communes before what is located
#: in them, the ROME before the métiers that list ROME codes, …).
KNOWLEDGE_FILES = [
    ("communes", "communes.csv"),
    ("rome", "rome_metiers.csv"),
    ("metiers", "metiers.csv"),
    ("structures", "structures.csv"),
    ("companies", "companies.csv"),
    ("ambassadors", "ambassadors.csv"),
    ("ministages", "ministages.csv"),
    ("coordinators", "coordinators.csv"),
]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `import` and `import-knowledge` sub-commands."""
    imp = sub.add_parser("import", help="import a CSV file (columns: knowledge/README.md)")
    imp.add_argument("kind", choices=sorted(SPECS))
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--codes-insee",
        action="store_true",
        help="the five-digit codes of commune columns are INSEE codes, never postal codes",
    )
    imp.set_defaults(run=run_one)
    know = sub.add_parser("import-knowledge", help="import every shipped knowledge/*.csv")
    know.add_argument(
        "--if-empty",
        action="store_true",
        help="only into an empty database (and the ROME into a database without it)",
    )
    know.set_defaults(run=run_knowledge)


def _has_reference_data() -> bool:
    with session_scope() as session:
        return session.scalars(select(Commune.insee).limit(1)).first() is not None


def _has_rome_data() -> bool:
    with session_scope() as session:
        return session.scalars(select(RomeMetier.rome_code).limit(1)).first() is not None


def run_import(kind: str, path: Path, *, insee_codes: bool = False) -> bool:
    """Import one file in its own transaction; print the outcome. True on success."""
    try:
        with session_scope() as session:
            report = import_csv(session, kind, path, insee_codes=insee_codes)
    except ImportFailedError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        for error in exc.errors[:200]:
            print(f"  {error}", file=sys.stderr)
        if len(exc.errors) > 200:
            print(f"  … et {len(exc.errors) - 200} autres", file=sys.stderr)
        return False
    print(f"{path}: {kind}: {report.created} créé(s), {report.updated} mis à jour")
    return True


def run_one(args: argparse.Namespace) -> int:
    """`import KIND FILE`: exit code 1 when the file is refused."""
    return 0 if run_import(args.kind, args.file, insee_codes=args.codes_insee) else 1


def _with_zones_emploi(paths: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The region's optional commune → zone d'emploi map (not shipped: an agency adds it, see
    knowledge/README.md) goes just before the ambassadors, whose `bassin` zones need it."""
    zones = KNOWLEDGE_DIR / "regions" / get_settings().region / "zones_emploi.csv"
    before = next(i for i, (kind, _) in enumerate(paths) if kind == "ambassadors")
    return [*paths[:before], ("zones_emploi", zones), *paths[before:]]


def run_knowledge(args: argparse.Namespace) -> int:
    """`import-knowledge`: every shipped file, in dependency order (absent ones skipped)."""
    paths = _with_zones_emploi([(kind, KNOWLEDGE_DIR / name) for kind, name in KNOWLEDGE_FILES])
    if args.if_empty and _has_reference_data():
        # A database filled before the ROME was shipped still gets it (nothing else).
        if _has_rome_data():
            return 0
        paths = [(kind, path) for kind, path in paths if kind == "rome"]
    # The shipped files give communes by INSEE code (some are also another town's postal code).
    return 0 if all(run_import(k, p, insee_codes=True) for k, p in paths if p.exists()) else 1
