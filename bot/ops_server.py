"""The bot's operations endpoint: `GET /metrics` (Prometheus) and `GET /health` (JSON).

Started from PTB's `post_init` on METRICS_HOST:METRICS_PORT (default 127.0.0.1:9108;
METRICS_PORT=0 disables it), in the bot's own event loop (aiohttp):

    await start_ops_server(application)      # in post_init
    await stop_ops_server(application)       # in post_shutdown (optional: exit frees it too)

`/health` answers 200 `{"status": "ok", ...}` when every check passes and 503
`{"status": "degraded", ...}` otherwise, with one entry per check saying what failed:
`database` (SELECT 1), `rasa` (`/status`, i.e. the model is loaded) and, on Telegram,
`telegram` (the updater is running; ages of the last update and of the last polling error).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, TypeHandler

from bot import observability
from bot.rasa_client import RasaClient
from parcours.services import health
from parcours.settings import Settings

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[dict[str, Any]]]
_RUNNER_KEY = "ops_server"
_STATE_KEY = "ops_state"


class CheckFailedError(RuntimeError):
    """A health check that did not pass (its message is shown in /health)."""


@dataclass
class TelegramState:
    """What the bot saw of Telegram recently (monotonic clock)."""

    last_update: float | None = None
    last_polling_error: float | None = None
    last_polling_error_name: str | None = None
    started: float = field(default_factory=time.monotonic)


async def database_check() -> dict[str, Any]:
    """SELECT 1 on the app database."""
    try:
        await asyncio.wait_for(asyncio.to_thread(health.ping), timeout=5.0)
    except Exception as exc:
        raise CheckFailedError(f"database unreachable ({type(exc).__name__})") from exc
    return {}


def rasa_check(rasa: RasaClient) -> Check:
    """Rasa's `/status` answers (it does only once the model is loaded)."""

    async def check() -> dict[str, Any]:
        if not await rasa.is_ready():
            raise CheckFailedError("Rasa /status not reachable or model not loaded")
        return {}

    return check


def telegram_check(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> Check:
    """The updater (polling or webhook) runs; ages are informative, not a verdict."""

    async def check() -> dict[str, Any]:
        state: TelegramState = application.bot_data[_STATE_KEY]
        now = time.monotonic()
        info: dict[str, Any] = {
            "mode": "webhook" if settings.webhook_url else "polling",
            "last_update_age_seconds": _age(now, state.last_update),
            "last_polling_error_age_seconds": _age(now, state.last_polling_error),
            "last_polling_error": state.last_polling_error_name,
        }
        updater = application.updater
        if updater is not None and not updater.running and application.running:
            raise CheckFailedError("the Telegram updater is not running")
        return info

    return check


def _age(now: float, then: float | None) -> float | None:
    return None if then is None else round(now - then, 1)


async def run_checks(checks: dict[str, Check]) -> tuple[bool, dict[str, Any]]:
    """Run the checks concurrently; (all passed, JSON body)."""

    async def one(check: Check) -> dict[str, Any]:
        try:
            return {"ok": True, **(await check())}
        except Exception as exc:
            return {
                "ok": False,
                "error": str(exc)
                if isinstance(exc, CheckFailedError)
                else (f"check failed ({type(exc).__name__})"),
            }

    names = list(checks)
    results = await asyncio.gather(*(one(checks[n]) for n in names))
    ok = all(r["ok"] for r in results)
    return ok, {
        "status": "ok" if ok else "degraded",
        "checks": dict(zip(names, results, strict=True)),
    }


def make_app(checks: dict[str, Check]) -> web.Application:
    """The aiohttp application serving /health and /metrics."""

    async def health(_request: web.Request) -> web.Response:
        ok, body = await run_checks(checks)
        return web.json_response(body, status=200 if ok else 503)

    async def metrics(_request: web.Request) -> web.Response:
        await asyncio.to_thread(observability.refresh_db_gauges)
        response = web.Response(body=generate_latest(REGISTRY))
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return response

    app = web.Application()
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start `app` on host:port; returns the runner to clean up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


async def _note_update(update: object, context: Any) -> None:
    """Group -100 handler: remember when the last update arrived (never stops it)."""
    context.application.bot_data[_STATE_KEY].last_update = time.monotonic()


async def _note_error(update: object, context: Any) -> None:
    """Extra error handler: count Bot API errors; remember polling failures."""
    error = context.error
    if isinstance(error, TelegramError):
        observability.count_bot_api_error(error)
        if update is None:  # PTB passes getUpdates failures with no update
            state: TelegramState = context.application.bot_data[_STATE_KEY]
            state.last_polling_error = time.monotonic()
            state.last_polling_error_name = type(error).__name__


async def start_ops_server(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """For PTB's post_init: start /metrics + /health, count Bot API errors, watch updates."""
    dialogue = application.bot_data["dialogue"]
    settings: Settings = dialogue.settings
    application.bot_data[_STATE_KEY] = TelegramState()
    application.add_handler(TypeHandler(Update, _note_update, block=False), group=-100)
    application.add_error_handler(_note_error, block=False)
    if not settings.metrics_port:
        return
    checks: dict[str, Check] = {
        "database": database_check,
        "rasa": rasa_check(dialogue.rasa),
        "telegram": telegram_check(application, settings),
    }
    try:
        application.bot_data[_RUNNER_KEY] = await serve(
            make_app(checks), settings.metrics_host, settings.metrics_port
        )
    except OSError as exc:  # e.g. the port is taken: the bot itself must still run
        log.warning("metrics and health server not started: %s", exc)
        return
    log.info("metrics and health on http://%s:%s/", settings.metrics_host, settings.metrics_port)


async def stop_ops_server(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """For PTB's post_shutdown: stop the HTTP server."""
    runner: web.AppRunner | None = application.bot_data.pop(_RUNNER_KEY, None)
    if runner is not None:
        await runner.cleanup()
