"""The web chat's WebSocket: one session's turns and pushes (protocol: docs/WEB_EMBED.md).

On open: the Origin is checked, the session cookie verified, the caps applied (`Hub`), then
the stored conversation is sent (`history`). Each client frame is one input — typed text or
a button's payload — run through the same `Dialogue` as Telegram (flood control, commands,
hand-off, Rasa); the user's bubble and the replies are stored in the transcript, then sent,
and also to the session's other tabs. A confirmed /oubli ends the session: the page asks
for a new one (`forgotten`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

from aiohttp import WSMsgType, web

from bot import commands, texts
from bot.dialogue import Dialogue
from bot.turn import TurnResult, message_key_for
from bot.web_hub import Hub
from bot.web_render import COMMAND_BUTTONS, bubbles, message
from bot.web_session import COOKIE, origin_allowed, verify
from parcours.services import conversations, web_transcript
from parcours.services.conversations import HELD, HandoffState
from parcours.services.web_transcript import Bubble

log = logging.getLogger(__name__)
#: Largest client frame: a 4096-character message is at most ~16 KiB of UTF-8 in JSON.
MAX_FRAME = 20 * 1024
MAX_TITLE = 200
#: Close codes the page understands.
CLOSE_NO_SESSION = 4401
CLOSE_REFUSED = 4429


class WebChannel:
    """The socket handler and the turns it runs."""

    def __init__(
        self,
        dialogue: Dialogue,
        hub: Hub,
        *,
        secret: str,
        max_age: int,
        allowed: frozenset[str],
        after_turn: Any = None,
    ) -> None:
        self.dialogue = dialogue
        self.hub = hub
        self.secret = secret
        self.max_age = max_age
        self.allowed = allowed
        self.after_turn = after_turn  # e.g. the staff relay's flush (Telegram mode)
        self.turns: set[asyncio.Future[bool]] = set()  # running, for `drain`

    def _ended(self, turn: asyncio.Future[bool]) -> None:
        self.turns.discard(turn)
        if not turn.cancelled() and turn.exception() is not None:  # retrieved: logged once
            log.error("web turn failed", exc_info=turn.exception())

    async def drain(self, seconds: float = 10.0) -> None:
        """At shutdown: let running turns end (and be stored)."""
        if self.turns:
            await asyncio.wait(set(self.turns), timeout=seconds)

    def session_of(self, request: web.Request) -> str | None:
        """The verified web user id of the request's cookie."""
        return verify(request.cookies.get(COOKIE), self.secret, max_age=self.max_age)

    def origin_ok(self, request: web.Request) -> bool:
        return origin_allowed(
            request.headers.get("Origin"), host=request.host, allowed=self.allowed
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """GET /ws."""
        if not self.origin_ok(request):
            raise web.HTTPForbidden(text="origin not allowed")
        user_id = self.session_of(request)
        ip = request.remote or "?"
        ws = web.WebSocketResponse(max_msg_size=MAX_FRAME, heartbeat=30.0)
        await ws.prepare(request)
        if user_id is None:
            await ws.close(code=CLOSE_NO_SESSION, message=b"no session")
            return ws
        refusal = self.hub.refusal(user_id, ip)
        if refusal is not None:
            await ws.close(code=CLOSE_REFUSED, message=refusal.encode())
            return ws
        self.hub.add(user_id, ip, ws)
        try:
            history = await self._history(user_id)
            await _send(ws, {"type": "history", "messages": history})
            async for frame in ws:
                if frame.type is WSMsgType.TEXT:
                    # Shielded: a tab closed mid-turn cancels this handler, not the turn (it
                    # is stored, and shown when the page comes back).
                    turn = asyncio.ensure_future(self._frame(user_id, ws, frame.data))
                    self.turns.add(turn)
                    turn.add_done_callback(self._ended)
                    if await asyncio.shield(turn):
                        break
                elif frame.type is WSMsgType.ERROR:
                    log.info("web socket error: %s", ws.exception())
        finally:
            self.hub.remove(user_id, ip, ws)
        return ws

    async def _history(self, user_id: str) -> list[dict[str, Any]]:
        entries = web_transcript.history(user_id)
        return [message(entry) for entry in entries]

    async def _frame(self, user_id: str, ws: web.WebSocketResponse, raw: str) -> bool:
        """Run one input; True when the session ended (/oubli)."""
        data = _parse(raw)
        if data is None:
            register = self.dialogue.register_of(user_id)
            unreadable = texts.say(texts.WEB_UNREADABLE, register)
            await _send(ws, {"type": "error", "text": unreadable})
            return False
        lock = self.hub.lock(user_id)
        key = message_key_for("web", user_id, data.get("id") or uuid.uuid4().hex)
        async with lock:
            if data["type"] == "start" and web_transcript.history(user_id, limit=1):
                # Not a new visitor (a second tab, a stale page): nothing to greet.
                nothing = {"type": "messages", "messages": [], "handoff": _handoff(user_id)}
                await _send(ws, nothing)
                return False
            await _send(ws, {"type": "typing"})
            if data["type"] == "start":  # a new visitor's page: the greeting, consent notice
                said = None
                result = await self.dialogue.handle_text(user_id, "/start", key)
            elif data["type"] == "command":  # a shortcut button: shown by its title
                said = Bubble("user", {"text": data["title"] or data["command"]})
                result = await self.dialogue.handle_text(user_id, data["command"], key)
            elif data["type"] == "text":
                typed = data["text"][: self.dialogue.settings.max_text_length]
                said = Bubble("user", {"text": typed})
                result = await self.dialogue.handle_text(user_id, data["text"], key)
            else:
                said = Bubble("user", {"text": data["title"] or data["payload"]})
                result = await self.dialogue.handle_button(user_id, data["payload"], key)
            forgotten = data.get("payload") == commands.FORGET_CONFIRM
            await self._answer(user_id, ws, said, result)
        if self.after_turn is not None:
            await self.after_turn()
        if forgotten:
            await _send(ws, {"type": "forgotten"})
            await ws.close(code=1000, message=b"forgotten")
            return True
        return False

    async def _answer(
        self, user_id: str, ws: web.WebSocketResponse, said: Bubble | None, result: TurnResult
    ) -> None:
        """Store the turn, send it to this socket and to the session's other tabs."""
        shown = bubbles(result.replies)
        # A flooding input dropped in silence is not stored (nor is anything for it).
        dropped = not shown and HandoffState(result.handoff) not in HELD
        stored = [] if dropped else ([said] if said else []) + shown
        entries = web_transcript.record(user_id, stored) if stored else []
        replies = [message(entry) for entry in entries[1 if said else 0 :]]
        await _send(ws, {"type": "messages", "messages": replies, "handoff": result.handoff})
        if entries:
            echo = {"type": "messages", "push": True, "messages": [message(e) for e in entries]}
            await self.hub.send(user_id, echo, skip=ws)


def _handoff(user_id: str) -> str:
    return conversations.state(user_id).value


async def _send(ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
    """Send a frame unless the page went away meanwhile (a tab closed mid-turn: the turn is
    stored, the page shows it on return)."""
    if ws.closed:
        return
    try:
        await ws.send_json(data)
    except ConnectionError as exc:  # aiohttp's ClientConnectionResetError among them
        log.info("web socket gone before a frame: %s", exc.__class__.__name__)


def _parse(raw: str) -> dict[str, Any] | None:
    """A valid client frame: {"type": "start"} (a new page), {"type": "text", "text"},
    {"type": "button", "payload", "title"} or {"type": "command", "command", "title"} (one
    of `COMMAND_BUTTONS`), with an optional short "id" (a resent frame
    gets the same answer)."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    ident = data.get("id")
    if ident is not None and not (isinstance(ident, str) and 0 < len(ident) <= 64):
        return None
    if data.get("type") == "start":
        return {"type": "start", "id": ident}
    title = data.get("title")
    title = title.strip()[:MAX_TITLE] if isinstance(title, str) else ""
    if data.get("type") == "command" and data.get("command") in COMMAND_BUTTONS:
        return {"type": "command", "command": data["command"], "title": title, "id": ident}
    if data.get("type") == "text" and isinstance(data.get("text"), str):
        return {"type": "text", "text": data["text"], "id": ident}
    if data.get("type") == "button" and isinstance(data.get("payload"), str):
        return {"type": "button", "payload": data["payload"][:512], "title": title, "id": ident}
    return None
