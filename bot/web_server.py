"""The web chat's HTTP server (aiohttp), in the bot's own event loop.

Routes: `/` the chat page (also what the embedded iframe loads; it issues the session
cookie), `/embed.js` the one-tag embedding script, `/static/…` the vendored deep-chat bundle
and our widget, `/ws` the chat socket (`bot/web_socket.py`), `/files/<id>/<name>` a file
offered to this session, `POST /session` a new session (after /oubli), `/healthz`.

Started beside the Telegram application (`start_web` in post_init, `stop_web` in
post_shutdown), beside the terminal demo, or alone (`python -m bot web`), on
WEB_HOST:WEB_PORT (WEB_PORT=0: not started). Embedding: docs/WEB_EMBED.md.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.dialogue import Dialogue
from bot.web_hub import Hub
from bot.web_session import COOKIE, CookiePolicy, new_user_id, sign
from bot.web_socket import WebChannel
from parcours import regions
from parcours.services import web_transcript
from parcours.settings import Settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static" / "web"
#: Files served under /static/ (nothing else from the folder).
STATIC_FILES = {
    "deepChat.bundle.js": "text/javascript",
    "chat.js": "text/javascript",
    "chat.css": "text/css",
    "LICENSE.deep-chat.txt": "text/plain",
}
MAX_BODY = 4 * 1024
CHANNEL = web.AppKey("channel", WebChannel)
SETTINGS = web.AppKey("settings", Settings)
POLICY = web.AppKey("policy", CookiePolicy)


def _security_headers(settings: Settings, *, page: bool) -> dict[str, str]:
    """No sniffing, no referrer; the page may only be framed by the allowed sites."""
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if page:
        ancestors = " ".join(["'self'", *sorted(settings.web_origins)])
        headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
            # deep-chat styles its shadow DOM with inline styles
            "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
            f"form-action 'none'; frame-ancestors {ancestors}"
        )
    return headers


def _set_session(response: web.StreamResponse, request: web.Request, user_id: str) -> None:
    policy = request.app[POLICY]
    value = sign(user_id, request.app[SETTINGS].web_secret)
    response.headers.add("Set-Cookie", f"{COOKIE}={value}; {policy.attributes()}")


def _names(region: str) -> dict[str, str]:
    """The region's words in the page and the embed script (no region name in the files)."""
    values = regions.region(region).placeholders()
    assistant = f"assistant {values.get('phone_line') or 'orientation ' + values['region_name']}"
    return {
        "TITLE": assistant[:1].upper() + assistant[1:],
        "ASSISTANT": assistant,
        "OF_ORG": values["of_org"],
        "CALL": values["pm_number"],
        "GREETING": f"Bonjour ! Je suis l'{assistant} {values['of_org']}. Écrivez votre "
        "question, ou choisissez un bouton.",
    }


@lru_cache(maxsize=8)
def filled(name: str, region: str) -> str:
    """`index.html` or `embed.js` with the region's words: `%%KEY%%` HTML-escaped,
    `%%KEY_JSON%%` as a JavaScript string."""
    text = (STATIC / name).read_text(encoding="utf-8")
    for key, value in _names(region).items():
        text = text.replace(f"%%{key}_JSON%%", json.dumps(value, ensure_ascii=False))
        text = text.replace(f"%%{key}%%", escape(value))
    return text


async def page(request: web.Request) -> web.StreamResponse:
    """GET /: the chat page; a visitor without a valid session gets one."""
    settings = request.app[SETTINGS]
    response = web.Response(
        text=filled("index.html", settings.region),
        content_type="text/html",
        charset="utf-8",
        headers=_security_headers(settings, page=True),
    )
    response.headers["Cache-Control"] = "no-store"
    if request.app[CHANNEL].session_of(request) is None:
        _set_session(response, request, new_user_id())
    return response


async def embed_script(request: web.Request) -> web.StreamResponse:
    """GET /embed.js: the launcher + iframe, for the agency's pages."""
    headers = _security_headers(request.app[SETTINGS], page=False)
    headers["Cache-Control"] = "public, max-age=3600"
    return web.Response(
        text=filled("embed.js", request.app[SETTINGS].region),
        content_type="text/javascript",
        charset="utf-8",
        headers=headers,
    )


async def static(request: web.Request) -> web.StreamResponse:
    """GET /static/<name>: a vendored or own front-end file."""
    name = request.match_info["name"]
    kind = STATIC_FILES.get(name)
    if kind is None:
        raise web.HTTPNotFound()
    headers = _security_headers(request.app[SETTINGS], page=False)
    headers["Content-Type"] = f"{kind}; charset=utf-8"
    headers["Cache-Control"] = "public, max-age=3600"
    return web.FileResponse(STATIC / name, headers=headers)


async def new_session(request: web.Request) -> web.StreamResponse:
    """POST /session: a fresh session (after /oubli). Same-origin or allowed sites only."""
    if not request.app[CHANNEL].origin_ok(request):
        raise web.HTTPForbidden(text="origin not allowed")
    headers = _security_headers(request.app[SETTINGS], page=False)
    response = web.Response(status=204, headers=headers)
    _set_session(response, request, new_user_id())
    return response


async def file(request: web.Request) -> web.StreamResponse:
    """GET /files/<id>/<name>: a file of this session's transcript (mes_donnees.json, an
    .ics); anyone else's, or none: 404."""
    user_id = request.app[CHANNEL].session_of(request)
    ident = request.match_info["id"]
    found = (
        web_transcript.document(user_id, int(ident))
        if user_id is not None and ident.isdigit() and len(ident) < 18
        else None
    )
    if found is None:
        raise web.HTTPNotFound()
    name, content = found
    kind = "text/calendar" if name.endswith(".ics") else "application/octet-stream"
    if name.endswith(".json"):
        kind = "application/json"
    headers = _security_headers(request.app[SETTINGS], page=False)
    headers["Cache-Control"] = "private, no-store"
    safe = "".join(c for c in name if c.isalnum() or c in "._-") or "document"
    headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    return web.Response(body=content, content_type=kind, headers=headers)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def no_icon(_request: web.Request) -> web.Response:
    """GET /favicon.ico: none (the agency's site has its own)."""
    return web.Response(status=204)


def make_app(
    settings: Settings,
    dialogue: Dialogue,
    hub: Hub,
    *,
    after_turn: Callable[[], Awaitable[Any]] | None = None,
) -> web.Application:
    """The aiohttp application of the web chat."""
    max_age = settings.retention_days * 86400
    channel = WebChannel(
        dialogue,
        hub,
        secret=settings.web_secret,
        max_age=max_age,
        allowed=settings.web_origins,
        after_turn=after_turn,
    )
    app = web.Application(client_max_size=MAX_BODY)
    app[CHANNEL] = channel
    app[SETTINGS] = settings
    app[POLICY] = CookiePolicy(secure=settings.production, max_age=max_age)
    app.router.add_get("/", page)
    app.router.add_get("/embed.js", embed_script)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/ws", channel.handle)
    app.router.add_post("/session", new_session)
    app.router.add_get("/files/{id}/{name}", file)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/favicon.ico", no_icon)
    return app


class WebServer:
    """The web chat running in the current event loop."""

    def __init__(
        self,
        settings: Settings,
        dialogue: Dialogue,
        *,
        after_turn: Callable[[], Awaitable[Any]] | None = None,
    ) -> None:
        self.settings = settings
        self.hub = Hub(settings.web_max_connections_per_ip)
        self.app = make_app(settings, dialogue, self.hub, after_turn=after_turn)
        self.runner: web.AppRunner | None = None

    async def start(self, *, notices: bool = True) -> bool:
        """Listen on WEB_HOST:WEB_PORT and start the pushes; False when disabled or the port
        is taken (the bot itself still runs)."""
        if not self.settings.web_port:
            return False
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.settings.web_host, self.settings.web_port).start()
        except OSError as exc:
            log.warning("web chat not started: %s", exc)
            await runner.cleanup()
            return False
        self.runner = runner
        await self.hub.start(notices=notices)
        log.info("web chat on %s", self.url)
        return True

    @property
    def url(self) -> str:
        """Where the chat page is served."""
        return f"http://{self.settings.web_host}:{self.settings.web_port}/"

    async def stop(self) -> None:
        """Close the sockets, stop listening."""
        if self.runner is None:
            return
        await self.app[CHANNEL].drain()
        await self.hub.stop()
        await self.runner.cleanup()
        self.runner = None
