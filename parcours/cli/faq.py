"""`python -m parcours faq generate|check`: the Rasa files generated from knowledge/faq/ and
the region packs; `check` also validates every pack (parcours/faq_check.py)."""

from __future__ import annotations

import argparse
import sys

from parcours import faq, faq_check


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `faq` sub-command."""
    parser = sub.add_parser("faq", help="FAQ catalogue (knowledge/faq/, knowledge/regions/)")
    parser.add_argument("action", choices=["generate", "check"])
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Regenerate the FAQ files, or fail (exit code 1) when they are out of sync."""
    if args.action == "generate":
        changed = faq.generate()
        print(
            f"FAQ: {len(faq.union_catalogue().entries)} keys in all packs; "
            f"{len(changed)} generated file(s) updated"
        )
        return 0
    problems = faq_check.check_packs()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    stale = faq.out_of_sync()
    for path in stale:
        print(f"out of sync with the FAQ packs: {path} (run `make faq`)", file=sys.stderr)
    return 1 if stale else 0
