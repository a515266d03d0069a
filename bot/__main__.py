"""Entry point: `python -m bot [run|replay|terminal|web]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.dialogue import Dialogue
from bot.rasa_client import RasaClient
from parcours.logging_setup import configure_logging
from parcours.settings import get_settings


def build_dialogue() -> tuple[Dialogue, RasaClient]:
    """The pipeline wired from settings."""
    settings = get_settings()
    rasa = RasaClient.from_settings(settings)
    # Replay and the terminal feed scripted turns as fast as they can: no flood control.
    return Dialogue(rasa, settings, rate_limit=False), rasa


async def _replay() -> None:
    from bot.replay import replay

    dialogue, rasa = build_dialogue()
    try:
        await replay(dialogue)
    finally:
        await rasa.aclose()


async def _terminal() -> None:
    from bot.terminal import chat
    from bot.web_server import WebServer

    dialogue, rasa = build_dialogue()
    # The demo also serves the web chat (flood control on: it is a real channel).
    web = WebServer(dialogue.settings, Dialogue(rasa, dialogue.settings))
    try:
        if await web.start():
            print(f"Chat web : {web.url}")
        await chat(dialogue)
    finally:
        await web.stop()
        await rasa.aclose()


async def _web() -> None:
    """The web chat alone (tests, bench, a web-only deployment), until interrupted."""
    import signal

    from bot.web_server import WebServer

    settings = get_settings()
    rasa = RasaClient.from_settings(settings)
    web = WebServer(settings, Dialogue(rasa, settings))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        if not await web.start():
            raise SystemExit("web chat not started: WEB_PORT is 0 or the port is taken")
        print(f"Chat web : {web.url}", flush=True)
        await stop.wait()
    finally:
        await web.stop()
        await rasa.aclose()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen mode."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    parser.add_argument(
        "mode",
        nargs="?",
        default="run",
        choices=["run", "replay", "terminal", "web"],
        help="run: Telegram if TELEGRAM_TOKEN is set, else terminal (both serve the web chat "
        "on WEB_PORT); replay: JSON lines; web: the web chat alone",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    # JSON lines in production (LOG_FORMAT=json), text for the terminal; never personal data.
    configure_logging(settings.log_format == "json", settings.log_level, salt=settings.log_salt)
    if args.mode == "replay":
        asyncio.run(_replay())
    elif args.mode == "web":
        asyncio.run(_web())
    elif args.mode == "terminal" or not settings.telegram_token:
        asyncio.run(_terminal())
    else:
        from bot.telegram_app import run_telegram

        run_telegram()
    return 0


if __name__ == "__main__":
    sys.exit(main())
