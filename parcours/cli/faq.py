"""`python -m parcours faq generate|check`: the Rasa files generated from knowledge/faq/."""

from __future__ import annotations

import argparse
import sys

from parcours import faq


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `faq` sub-command."""
    parser = sub.add_parser("faq", help="FAQ catalogue (knowledge/faq/)")
    parser.add_argument("action", choices=["generate", "check"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Regenerate the FAQ files, or fail (exit code 1) when they are out of sync."""
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
