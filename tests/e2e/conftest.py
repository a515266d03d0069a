"""End-to-end Telegram fixtures: the Bot API emulator and the real `python -m bot run` process.

The bot process talks HTTP to the emulator (TELEGRAM_API_BASE_URL) and to the real Rasa and
action servers of `stack_env` (reused from the integration suite). Every test checks, when it
ends, that the emulator answered the bot without errors and that the bot logged no traceback.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiohttp import web

from devstack.botapi import BotApiEmulator, Call
from devstack.processes import free_port, terminate
from tests.integration.conftest import ROOT, stack_env

__all__ = ["stack_env"]  # the session fixture of the integration suite, reused here

TOKEN = "123456789:TEST-x"


class STAFF:
    """The coordinators' forum group of the session's bot, and who is in it."""

    chat_id = -1009876543210
    calvados = 700000001  # covers department 14
    eure = 700000002  # covers department 27
    backup = 700000009
    stranger = 700000099  # a member of the group, not a declared coordinator
    members: ClassVar[dict[int, str]] = {
        calvados: "administrator",
        eure: "member",
        backup: "member",
        stranger: "member",
    }
    env: ClassVar[dict[str, str]] = {
        "STAFF_CHAT_ID": str(chat_id),
        "COORDINATORS": f"{calvados}:14:Claire Test;{eure}:27:Yves Test;{backup}:*:Bruno Secours",
        "OPENING_HOURS": "mon-sun 00:00-24:00",
    }


STARTUP_TIMEOUT = 30.0
_EMULATORS: list[BotApiEmulator] = []
_BOTS: list[BotProcess] = []
_user_ids = itertools.count(random.randint(100_000_000, 900_000_000) * 10)


def new_user_id() -> int:
    """A fresh Telegram user id (a new private chat and a new Rasa conversation)."""
    return next(_user_ids)


class BotProcess:
    """The real bot process (`python -m bot run`) pointed at an emulator."""

    def __init__(self, env: dict[str, str], api: BotApiEmulator, log_path: Path) -> None:
        self.api = api
        self.log_path = log_path
        self._log = log_path.open("w")
        self.env = {
            **env,
            "TELEGRAM_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_FILE_BASE_URL": api.base_file_url,
            "PYTHONUNBUFFERED": "1",
        }
        self.env.setdefault("WEBHOOK_URL", "")
        self.env.setdefault("METRICS_PORT", str(free_port()))
        self.metrics_url = f"http://127.0.0.1:{self.env['METRICS_PORT']}"
        self.env.setdefault("WEB_PORT", str(free_port()))  # the web chat beside Telegram
        self.web_url = f"http://127.0.0.1:{self.env['WEB_PORT']}"
        self._spawn()

    def _spawn(self) -> None:
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "-m", "bot", "run"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        mark = self.api.mark()

        def ready() -> bool:
            if self.env.get("WEBHOOK_URL"):
                calls = self.api.calls_since(mark)
                return any(c.method.lower() == "setwebhook" and c.ok for c in calls)
            return self._polling()

        try:
            self.api.wait_for(
                lambda: True if ready() or self.proc.poll() is not None else None,
                STARTUP_TIMEOUT,
                "the bot's first getUpdates (or setWebhook)",
            )
        except AssertionError:
            self.stop()
            raise
        if self.proc.poll() is not None:
            self._log.close()
            pytest.fail(f"the bot process exited at start:\n{self.log()[-3000:]}")
        self.startup_seconds = time.monotonic() - started

    def restart(self) -> None:
        """Stop the process (SIGTERM) and start a new one with the same settings."""
        self.stop()
        self._log = self.log_path.open("a")
        self._spawn()

    def _polling(self) -> bool:
        return bool(self.api.calls("getUpdates", pending=True))

    def log(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> tuple[int, float]:
        """SIGTERM, then wait (kill after `timeout`); returns (exit code, seconds to stop)."""
        started = time.monotonic()
        code = terminate(self.proc, timeout)
        self._log.close()
        return code, time.monotonic() - started


def start_emulator() -> BotApiEmulator:
    """A started emulator, registered for the per-test error check."""
    api = BotApiEmulator(TOKEN).start()
    _EMULATORS.append(api)
    return api


@pytest.fixture(scope="session")
def botapi() -> Iterator[BotApiEmulator]:
    """The emulated Bot API the session's bot process talks to."""
    api = start_emulator()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def bot(
    stack_env: dict[str, str], botapi: BotApiEmulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """The real bot process, talking to the emulator and the real Rasa stack, with the
    coordinators' forum group of `STAFF` (always open, so that tests do not depend on the
    time of day)."""
    botapi.create_forum_group(STAFF.chat_id, "Coordinateurs (test)", STAFF.members)
    env = {**stack_env, **STAFF.env}
    process = BotProcess(env, botapi, tmp_path_factory.mktemp("bot") / "bot.log")
    _BOTS.append(process)
    yield process
    code, seconds = process.stop()
    print(f"\nbot process: started in {process.startup_seconds:.1f}s, stopped in {seconds:.1f}s")
    assert code == 0, f"the bot exited with {code} on SIGTERM:\n{process.log()[-3000:]}"
    assert botapi.pending_updates() == 0, "updates handled but not confirmed at shutdown"


# ---------------------------------------------------------------------- scripted Rasa


class ScriptedRasa:
    """A stand-in Rasa REST channel (for answers the real model never gives, e.g. 10 000
    characters): records what it receives and answers `reply` (a list of REST messages)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.reply: list[dict[str, Any]] = [{"text": "ok"}]
        self.port = 0
        self._loop: Any = None
        self._stop: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """RASA_URL for the bot."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ScriptedRasa:
        """Serve in a background thread."""
        import asyncio

        ready = threading.Event()

        async def webhook(request: web.Request) -> web.Response:
            body = await request.json()
            self.received.append(body)
            return web.json_response(self.reply)

        async def status(request: web.Request) -> web.Response:
            return web.json_response({"model_id": "scripted"})

        async def serve() -> None:
            self._stop = asyncio.Event()
            app = web.Application()
            app.router.add_post("/webhooks/parcours/webhook", webhook)
            app.router.add_get("/status", status)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = int(runner.addresses[0][1])
            ready.set()
            await self._stop.wait()
            await runner.cleanup()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(serve())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="scripted-rasa", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the scripted Rasa did not start")
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)


@pytest.fixture(scope="module")
def scripted_bot(
    stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BotProcess, ScriptedRasa]]:
    """A second bot process, on its own emulator, whose Rasa answers what the test scripts."""
    rasa = ScriptedRasa().start()
    api = start_emulator()
    env = {**stack_env, "RASA_URL": rasa.url}
    process = BotProcess(env, api, tmp_path_factory.mktemp("scripted-bot") / "bot.log")
    _BOTS.append(process)
    yield process, rasa
    code, seconds = process.stop()
    started = time.monotonic()
    api.stop()
    rasa.stop()
    print(
        f"\nscripted bot: stopped in {seconds:.1f}s, servers in {time.monotonic() - started:.1f}s"
    )
    assert code == 0, f"the scripted bot exited with {code}:\n{process.log()[-3000:]}"


# ---------------------------------------------------------------------- per-test checks


class ErrorLedger:
    """Errors a test provokes on purpose; every other error response fails the test."""

    def __init__(self) -> None:
        self.expected: set[int] = set()

    def expect(self, api: BotApiEmulator, description: str) -> list[Call]:
        """Acknowledge the error responses whose description contains `description`."""
        found = [c for c in api.errors() if description in (c.description or "")]
        self.expected.update(id(c) for c in found)
        return found


@pytest.fixture(autouse=True)
def no_api_errors() -> Iterator[ErrorLedger]:
    """No error response from the emulator and no traceback in the bot log during the test."""
    ledger = ErrorLedger()
    before = {id(api): len(api.errors()) for api in _EMULATORS}
    logs = {id(b): len(b.log()) for b in _BOTS}
    yield ledger
    problems = []
    for api in _EMULATORS:
        for call in api.errors()[before.get(id(api), 0) :]:
            if id(call) not in ledger.expected:
                params = json.dumps(call.params, default=str, ensure_ascii=False)[:300]
                problems.append(f"{call.method} → {call.error_code} {call.description} {params}")
    for process in _BOTS:
        new_log = process.log()[logs.get(id(process), 0) :]
        if "Traceback" in new_log or "ERROR" in new_log:
            problems.append(f"bot log:\n{new_log[-3000:]}")
    assert not problems, "\n".join(problems)
