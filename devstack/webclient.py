"""A web-chat visitor without a browser (aiohttp): the page's cookie, the socket, turns.

Used by the integration and end-to-end tests and by `bench/load.py --web`. It speaks the
protocol of `bot/web_socket.py` as the page (`bot/static/web/chat.js`) does.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import aiohttp

from bot.web_session import COOKIE

Frame = dict[str, Any]


class WebVisitor:
    """One browser profile: a cookie jar (the session) and at most one open socket."""

    def __init__(self, base_url: str, *, origin: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = origin or self.base_url
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.history: list[Frame] = []
        self.pushes: list[Frame] = []  # frames with "push": true received meanwhile

    @property
    def user_id(self) -> str | None:
        """The web user id of the session cookie (None before the page was opened)."""
        for cookie in self.http.cookie_jar:
            if cookie.key == COOKIE:
                return cookie.value.rsplit(".", 2)[0]
        return None

    async def open_page(self) -> int:
        """GET / (issues the session cookie); the status."""
        async with self.http.get(self.base_url + "/") as response:
            await response.read()
            return response.status

    async def connect(self) -> list[Frame]:
        """Open the socket; the history it sends first."""
        ws_url = self.base_url.replace("http", "ws", 1) + "/ws"
        self.ws = await self.http.ws_connect(ws_url, headers={"Origin": self.origin})
        first: Frame = await self.ws.receive_json(timeout=30)
        if first.get("type") != "history":
            raise AssertionError(f"expected the history first, got {first}")
        self.history = list(first["messages"])
        return self.history

    async def send(self, frame: Frame) -> None:
        assert self.ws is not None
        await self.ws.send_json({**frame, "id": uuid.uuid4().hex})

    async def turn(self, frame: Frame, seconds: float = 30.0) -> tuple[Frame, float]:
        """Send one input; its answer (`messages` or `error`) and the seconds it took.
        Pushes received meanwhile are kept in `pushes`."""
        assert self.ws is not None
        started = time.perf_counter()
        await self.send(frame)
        while True:
            data: Frame = await self.ws.receive_json(timeout=seconds)
            if data.get("push"):
                self.pushes.append(data)
            elif data.get("type") in ("messages", "error"):
                return data, time.perf_counter() - started

    async def say(self, text: str, seconds: float = 30.0) -> Frame:
        return (await self.turn({"type": "text", "text": text}, seconds))[0]

    async def press(self, payload: str, title: str = "") -> Frame:
        return (await self.turn({"type": "button", "payload": payload, "title": title}))[0]

    async def command(self, command: str, title: str = "") -> Frame:
        return (await self.turn({"type": "command", "command": command, "title": title}))[0]

    async def next_push(self, seconds: float = 30.0) -> Frame:
        """The next pushed frame (one received already, or the next to come)."""
        if self.pushes:
            return self.pushes.pop(0)
        assert self.ws is not None
        deadline = time.monotonic() + seconds
        while True:
            data: Frame = await self.ws.receive_json(timeout=max(0.1, deadline - time.monotonic()))
            if data.get("push"):
                return data

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def aclose(self) -> None:
        await self.close()
        await self.http.close()


def html_of(frame: Frame) -> str:
    """Every bubble's HTML (or text) of a `messages` frame, joined."""
    return "\n".join(str(m.get("html") or m.get("text") or "") for m in frame.get("messages", []))


async def wait_ready(base_url: str, seconds: float = 30.0) -> None:
    """Until GET /healthz answers."""
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(base_url.rstrip("/") + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{base_url} not ready")
            await asyncio.sleep(0.2)
