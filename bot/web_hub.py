"""The web chat's open sockets, by session, and what is pushed to them.

- Caps: at most `PER_SESSION` sockets per session (tabs) and WEB_MAX_CONNECTIONS_PER_IP
  per client address; one session's turns run one at a time, in order (`lock`).
- Pushes: bubbles stored as *pushed* (`bot/web_push.py`: coordinators' replies, request
  notices…) are read back every second, or at once when this process stored them, and sent
  to the sockets of their session; a closed page finds them in its history on return.
  Ids already sent are remembered for a while, and the read starts a little before the last
  id seen, so that a row committed late (several writers) is still pushed, once.
- Request notices for web users (the outbox's user kinds) become pushed bubbles here too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot import web_push
from bot.web_render import message
from parcours.services import web_transcript

log = logging.getLogger(__name__)
PER_SESSION = 5
POLL_SECONDS = 1.0
NOTICE_SECONDS = 10.0
#: A row committed late (a concurrent writer) is still found this many ids back.
LOOKBACK = 200


def _nothing() -> None:
    """Nothing to undo."""


class Hub:
    """Sockets by session and client address; the push loop."""

    def __init__(self, max_per_ip: int) -> None:
        self.max_per_ip = max_per_ip
        self.sockets: dict[str, set[web.WebSocketResponse]] = {}
        self.per_ip: Counter[str] = Counter()
        self._locks: dict[str, asyncio.Lock] = {}
        self._sent: OrderedDict[int, None] = OrderedDict()
        self._last_id = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unlisten: Callable[[], None] = _nothing

    # -- connections -----------------------------------------------------------------------

    def refusal(self, user_id: str, ip: str) -> str | None:
        """Why one more socket is refused (None: accepted)."""
        if len(self.sockets.get(user_id, ())) >= PER_SESSION:
            return "too many tabs for this session"
        if self.max_per_ip and self.per_ip[ip] >= self.max_per_ip:
            return "too many connections from this address"
        return None

    def add(self, user_id: str, ip: str, ws: web.WebSocketResponse) -> None:
        self.sockets.setdefault(user_id, set()).add(ws)
        self.per_ip[ip] += 1

    def remove(self, user_id: str, ip: str, ws: web.WebSocketResponse) -> None:
        sockets = self.sockets.get(user_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self.sockets[user_id]
                self._locks.pop(user_id, None)
        self.per_ip[ip] -= 1
        if self.per_ip[ip] <= 0:
            del self.per_ip[ip]

    def lock(self, user_id: str) -> asyncio.Lock:
        """One turn at a time per session, in arrival order."""
        return self._locks.setdefault(user_id, asyncio.Lock())

    async def send(
        self, user_id: str, data: dict[str, Any], *, skip: web.WebSocketResponse | None = None
    ) -> None:
        """Send to every open socket of the session (but `skip`)."""
        for ws in list(self.sockets.get(user_id, ())):
            if ws is skip or ws.closed:
                continue
            try:
                await ws.send_json(data)
            except (ConnectionError, RuntimeError) as exc:  # closing meanwhile
                log.info("web push not sent: %s", exc.__class__.__name__)

    async def close_all(self) -> None:
        for sockets in list(self.sockets.values()):
            for ws in list(sockets):
                await ws.close(code=1001, message=b"server shutdown")

    # -- pushes ----------------------------------------------------------------------------

    async def start(self, *, notices: bool) -> None:
        """Start the push loop (and the notices' delivery when `notices`)."""
        self._last_id = await asyncio.to_thread(web_transcript.last_id)
        recent = await asyncio.to_thread(
            web_transcript.pushed_after, max(0, self._last_id - LOOKBACK)
        )
        self._sent.update((entry.id, None) for entry in recent)  # in the histories already
        self._unlisten = web_push.on_push(self._wake.set)
        self._task = asyncio.create_task(self._run(notices))

    async def stop(self) -> None:
        self._unlisten()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.close_all()

    async def _run(self, notices: bool) -> None:
        since_notices = NOTICE_SECONDS
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
            self._wake.clear()
            try:
                if notices and since_notices >= NOTICE_SECONDS:
                    since_notices = 0.0
                    await asyncio.to_thread(web_transcript.deliver_notices)
                since_notices += POLL_SECONDS
                await self.push_new()
            except Exception:  # the database may be down: tried again next time
                log.warning("web pushes not read", exc_info=True)

    async def push_new(self) -> int:
        """Send pushed bubbles stored since the last read; how many were new."""
        entries = await asyncio.to_thread(
            web_transcript.pushed_after, max(0, self._last_id - LOOKBACK)
        )
        fresh = [e for e in entries if e.id not in self._sent]
        for entry in fresh:
            self._sent[entry.id] = None
            self._last_id = max(self._last_id, entry.id)
            if entry.user_id in self.sockets:
                await self.send(
                    entry.user_id, {"type": "messages", "push": True, "messages": [message(entry)]}
                )
        while len(self._sent) > 4 * LOOKBACK:
            self._sent.popitem(last=False)
        return len(fresh)
