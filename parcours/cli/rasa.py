"""`python -m parcours rasa-endpoints --out FILE`: Rasa's endpoints file from the settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from parcours import rasa_endpoints
from parcours.settings import get_settings


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `rasa-endpoints` sub-command."""
    parser = sub.add_parser("rasa-endpoints", help="write Rasa's endpoints file from the settings")
    parser.add_argument("--out", type=Path, required=True)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the endpoints file (scripts/up.sh and serve.sh run it before Rasa starts)."""
    rasa_endpoints.write(get_settings(), args.out)
    return 0
