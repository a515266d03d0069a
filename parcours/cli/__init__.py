"""Command line of the shared package: `python -m parcours COMMAND …`, one module per group.

Each command module registers its sub-commands with ``add_parsers`` and runs them with
``run``; :func:`main` builds the parser from :data:`COMMAND_MODULES` and dispatches.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from parcours.cli import faq, knowledge, migrate, rasa, requests, stats

#: Command groups in the order `--help` lists them.
COMMAND_MODULES = (faq, migrate, knowledge, rasa, requests, stats)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every sub-command; each sets a ``run`` default that executes it."""
    parser = argparse.ArgumentParser(prog="python -m parcours")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default: the process arguments), run the command, return its exit code."""
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)
