"""`python -m devstack.shifted_clock FILE`: the Telegram bot with a clock a test moves.

The bot's periodic jobs go by `Context.now()`; here it is the real time plus the number of
seconds written in FILE (read at every call; missing or empty: no shift). An end-to-end test
writes "two days" there to see the day-before reminder and the follow-up without waiting.
Tests only: the product never reads such a file.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.telegram_app import run_telegram
from parcours.logging_setup import configure_logging
from parcours.settings import get_settings


def shifted_clock(path: Path) -> datetime:
    """The real time plus the offset (seconds) in `path`."""
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        text = ""
    return datetime.now(UTC) + timedelta(seconds=float(text or 0))


def main(argv: list[str]) -> int:
    """Run the bot until interrupted, its jobs on the shifted clock."""
    if len(argv) != 1:
        print("usage: python -m devstack.shifted_clock OFFSET_FILE", file=sys.stderr)
        return 2
    path = Path(argv[0])
    settings = get_settings()
    configure_logging(settings.log_format == "json", settings.log_level, salt=settings.log_salt)
    run_telegram(clock=lambda: shifted_clock(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
