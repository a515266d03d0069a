"""`python -m parcours migrate upgrade|check`: the database schema (Alembic)."""

from __future__ import annotations

import argparse

from parcours.db import migrate


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `migrate` sub-command."""
    parser = sub.add_parser("migrate", help="database schema (Alembic)")
    parser.add_argument("action", choices=["upgrade", "check"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Upgrade the schema to the latest revision, or check models and migrations agree."""
    if args.action == "upgrade":
        migrate.upgrade()
    else:
        migrate.check()
    return 0
