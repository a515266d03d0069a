"""Command line of the shared package: `python -m parcours faq|migrate|stats|purge ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from parcours import KNOWLEDGE_DIR, faq, rasa_endpoints, requests_cli, stats_cli
from parcours.db import migrate
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


def _has_reference_data() -> bool:
    with session_scope() as session:
        return session.scalars(select(Commune.insee).limit(1)).first() is not None


def _has_rome_data() -> bool:
    with session_scope() as session:
        return session.scalars(select(RomeMetier.rome_code).limit(1)).first() is not None


def run_import(kind: str, path: Path) -> bool:
    """Import one file in its own transaction; print the outcome. True on success."""
    try:
        with session_scope() as session:
            report = import_csv(session, kind, path)
    except ImportFailedError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        for error in exc.errors[:200]:
            print(f"  {error}", file=sys.stderr)
        if len(exc.errors) > 200:
            print(f"  … et {len(exc.errors) - 200} autres", file=sys.stderr)
        return False
    print(f"{path}: {kind}: {report.created} créé(s), {report.updated} mis à jour")
    return True


def main(argv: list[str] | None = None) -> int:
    """Dispatch the sub-command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m parcours")
    sub = parser.add_subparsers(dest="command", required=True)
    faq_cmd = sub.add_parser("faq", help="FAQ catalogue (knowledge/faq/)")
    faq_cmd.add_argument("action", choices=["generate", "check"])
    mig = sub.add_parser("migrate", help="database schema (Alembic)")
    mig.add_argument("action", choices=["upgrade", "check"])
    imp = sub.add_parser("import", help="import a CSV file (columns: knowledge/README.md)")
    imp.add_argument("kind", choices=sorted(SPECS))
    imp.add_argument("file", type=Path)
    know = sub.add_parser("import-knowledge", help="import every shipped knowledge/*.csv")
    know.add_argument(
        "--if-empty",
        action="store_true",
        help="only into an empty database (and the ROME into a database without it)",
    )
    ends = sub.add_parser("rasa-endpoints", help="write Rasa's endpoints file from the settings")
    ends.add_argument("--out", type=Path, required=True)
    requests_cli.add_parser(sub)
    stats_cli.add_parsers(sub)
    args = parser.parse_args(argv)

    if args.command == "rasa-endpoints":
        rasa_endpoints.write(get_settings(), args.out)
        return 0

    if args.command == "requests":
        return requests_cli.run(args)
    if args.command in ("stats", "purge"):
        return stats_cli.run(args)

    if args.command == "import":
        return 0 if run_import(args.kind, args.file) else 1
    if args.command == "import-knowledge":
        paths = [(kind, KNOWLEDGE_DIR / name) for kind, name in KNOWLEDGE_FILES]
        if args.if_empty and _has_reference_data():
            # A database filled before the ROME was shipped still gets it (nothing else).
            if _has_rome_data():
                return 0
            paths = [(kind, path) for kind, path in paths if kind == "rome"]
        return 0 if all(run_import(k, p) for k, p in paths if p.exists()) else 1

    if args.command == "faq":
        if args.action == "generate":
            changed = faq.generate()
            print(
                f"FAQ: {len(faq.load_catalogue().entries)} entries; "
                f"{len(changed)} generated file(s) updated"
            )
            return 0
        stale = faq.out_of_sync()
        for path in stale:
            print(f"out of sync with knowledge/faq/: {path} (run `make faq`)", file=sys.stderr)
        return 1 if stale else 0
    if args.action == "upgrade":
        migrate.upgrade()
    else:
        migrate.check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
