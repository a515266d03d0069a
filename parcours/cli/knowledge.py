"""`python -m parcours import KIND FILE` and `import-knowledge`: reference data from CSV files
(the shared knowledge/*.csv, then the REGION pack's knowledge/regions/<region>/*.csv)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from parcours import KNOWLEDGE_DIR, regions
from parcours.db.engine import session_scope
from parcours.importers.csv_import import ImportFailedError, import_csv
from parcours.importers.specs import SPECS
from parcours.models import Commune, RomeMetier

#: Shipped files (import kind, file name), in dependency order (communes before what is located
#: in them, the ROME before the métiers that list ROME codes, …): shared ones in knowledge/,
#: then the region pack's (REGION_FILES) in knowledge/regions/<region>/.
KNOWLEDGE_FILES = [
    ("communes", "communes.csv"),
    ("rome", "rome_metiers.csv"),
    ("metiers", "metiers.csv"),
]
REGION_FILES = [
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
    know = sub.add_parser(
        "import-knowledge", help="import the shared knowledge/*.csv and the REGION pack's"
    )
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


def _with_zones_emploi(paths: list[tuple[str, Path]], folder: Path) -> list[tuple[str, Path]]:
    """The region's optional commune → zone d'emploi map (not shipped: an agency adds it, see
    knowledge/README.md) goes just before the ambassadors, whose `bassin` zones need it."""
    before = next(i for i, (kind, _) in enumerate(paths) if kind == "ambassadors")
    return [*paths[:before], ("zones_emploi", folder / "zones_emploi.csv"), *paths[before:]]


def shipped_files(code: str | None = None) -> list[tuple[str, Path]]:
    """(import kind, path) of the shared files and of a region pack (REGION by default),
    with the pack's optional zones d'emploi map."""
    folder = regions.region(code).folder if code else regions.current().folder
    paths = [(kind, KNOWLEDGE_DIR / name) for kind, name in KNOWLEDGE_FILES] + [
        (kind, folder / name) for kind, name in REGION_FILES
    ]
    return _with_zones_emploi(paths, folder)


def run_knowledge(args: argparse.Namespace) -> int:
    """`import-knowledge`: every shipped file of REGION, in dependency order (absent ones
    skipped)."""
    paths = shipped_files()
    if args.if_empty and _has_reference_data():
        # A database filled before the ROME was shipped still gets it (nothing else).
        if _has_rome_data():
            return 0
        paths = [(kind, path) for kind, path in paths if kind == "rome"]
    # The shipped files give communes by INSEE code (some are also another town's postal code).
    return 0 if all(run_import(k, p, insee_codes=True) for k, p in paths if p.exists()) else 1
