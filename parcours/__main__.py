"""Command line of the shared package: `python -m parcours faq|migrate ...`."""

from __future__ import annotations

import argparse
import sys

from parcours import faq
from parcours.db import migrate


def main(argv: list[str] | None = None) -> int:
    """Dispatch the sub-command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m parcours")
    sub = parser.add_subparsers(dest="command", required=True)
    faq_cmd = sub.add_parser("faq", help="FAQ catalogue (knowledge/faq/)")
    faq_cmd.add_argument("action", choices=["generate", "check"])
    mig = sub.add_parser("migrate", help="database schema (Alembic)")
    mig.add_argument("action", choices=["upgrade", "check"])
    args = parser.parse_args(argv)

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
