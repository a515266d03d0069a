"""The HTTP side: lifecycle in a background thread, request dispatch to the registered
methods, file downloads, the call log and error injection (`fail_next`)."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Self

from aiohttp import web

from devstack.botapi.core import ApiError, Call, EmulatorState, Params, T
from devstack.botapi.params import read_params


def _short(params: Params) -> str:
    shown = {
        k: (v if not isinstance(v, str) or len(v) < 80 else v[:77] + "…")
        for k, v in params.items()
    }
    return str(shown)


class ServerMixin(EmulatorState):
    """Serving, dispatching and the call log."""

    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """For PTB's `base_url` / TELEGRAM_API_BASE_URL (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For PTB's `base_file_url` / TELEGRAM_FILE_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> Self:
        """Serve in a background thread; returns once the port is bound."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve(ready))
            except BaseException as exc:  # pragma: no cover - reported to start()
                failure.append(exc)
                ready.set()
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="botapi-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(10) or failure:
            raise RuntimeError(f"the Bot API emulator did not start: {failure}")
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():

            def shutdown() -> None:
                stopping.set()
                if self._wakeup is not None:
                    self._wakeup.set()  # pending long polls answer at once

            loop.call_soon_threadsafe(shutdown)
        if self._thread is not None:
            self._thread.join(10)

    async def _serve(self, ready: threading.Event) -> None:
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        ready.set()
        await self._stopping.wait()
        await self._before_cleanup()
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        with self._lock:
            call = Call(len(self._calls), method, {}, time.time())
            self._calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            call.params = await read_params(request)
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            self._raise_injected(method, call.params)
            self._raise_flood(method, call.params)
            result = handler(call.params)
            if asyncio.iscoroutine(result):
                result = await result
            call.result = result
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            call.ok, call.error_code, call.description = False, exc.code, exc.description
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            status = exc.code
        except Exception as exc:  # a bug in the emulator: make it visible to the test
            call.ok, call.error_code = False, 500
            call.description = f"Internal Server Error (emulator): {exc!r}"
            body = {"ok": False, "error_code": 500, "description": call.description}
            status = 500
        with self._changed:
            call.done = True
            self._changed.notify_all()
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        """Downloads of files returned by getFile (`<file base url><token>/<file_path>`)."""
        if request.match_info["token"] == self.token:
            with self._lock:
                stored = next(
                    (f for f in self._files.values() if f.path == request.match_info["path"]),
                    None,
                )
            if stored is not None:
                return web.Response(
                    body=stored.upload.content, content_type=stored.upload.content_type
                )
        body = {"ok": False, "error_code": 404, "description": "Not Found"}
        return web.json_response(body, status=404)

    def _raise_injected(self, method: str, params: Params) -> None:
        with self._lock:
            for rule in self._injected:
                if rule["method"] != method.lower() or rule["times"] <= 0:
                    continue
                if rule["chat_id"] is not None and rule["chat_id"] != params.get("chat_id"):
                    continue
                rule["times"] -= 1
                raise rule["error"]

    def _raise_flood(self, method: str, params: Params) -> None:
        """Telegram's group limit, when `limit_groups` turned it on: about 20 messages a
        minute in a group, then 429 with the seconds to wait (a sliding window)."""
        name = method.lower()
        if self._group_limit is None or not name.startswith(("send", "copymessage", "forward")):
            return
        if name in ("sendchataction",):
            return
        try:
            chat_id = int(params.get("chat_id", 0))
        except (TypeError, ValueError):
            return
        if chat_id >= 0:
            return
        now = time.monotonic()
        with self._lock:
            sent = self._group_sends.setdefault(chat_id, deque())
            while sent and sent[0] <= now - self._group_window:
                sent.popleft()
            if len(sent) >= self._group_limit:
                wait = max(1, math.ceil(sent[0] + self._group_window - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
            sent.append(now)

    # ------------------------------------------------------------------ test side

    def limit_groups(self, per_minute: int | None = 20, *, window: float = 60.0) -> None:
        """Enforce Telegram's flood control in groups (`None`: off, the default): a group
        taking more than `per_minute` messages in `window` seconds (a minute; less for
        time-compressed benchmarks) answers 429 with retry_after."""
        with self._lock:
            self._group_limit = per_minute
            self._group_window = window
            self._group_sends = {}

    def fail_next(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        code: int = 429,
        description: str = "Too Many Requests: retry after 1",
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` (about `chat_id`) with this error, the way
        Telegram does under flood control (429 with parameters.retry_after) or an outage."""
        with self._lock:
            self._injected.append(
                {
                    "method": method.lower(),
                    "chat_id": chat_id,
                    "error": ApiError(code, description, retry_after),
                    "times": times,
                }
            )

    def calls(
        self, method: str | None = None, chat_id: int | None = None, *, pending: bool = False
    ) -> list[Call]:
        """Answered calls in order, optionally of one method (case-insensitive) and chat;
        with `pending`, calls still being answered (a long poll) too."""
        with self._lock:
            return [
                call
                for call in self._calls
                if (call.done or pending)
                and (method is None or call.method.lower() == method.lower())
                and (chat_id is None or call.chat_id == chat_id)
            ]

    def mark(self) -> int:
        """A position in the call log, for `calls_since`."""
        with self._lock:
            return len(self._calls)

    def calls_since(self, mark: int, chat_id: int | None = None) -> list[Call]:
        """Calls received after `mark`, optionally about one chat."""
        with self._lock:
            return [
                call
                for call in self._calls[mark:]
                if call.done and (chat_id is None or call.chat_id == chat_id)
            ]

    def errors(self) -> list[Call]:
        """Calls that were answered with an error (what the bot saw as ok: false)."""
        return [call for call in self.calls() if not call.ok]

    def settle(self, chat_id: int, quiet: float = 0.5, timeout: float = 10.0) -> None:
        """Block until no call about the chat has arrived for `quiet` seconds."""

        def calm() -> bool | None:
            with self._lock:
                last = max((c.at for c in self._calls if c.chat_id == chat_id), default=0.0)
                busy = any(not c.done and c.method.lower() != "getupdates" for c in self._calls)
            return True if not busy and time.time() - last >= quiet else None

        self.wait_for(calm, timeout, f"chat {chat_id} to be quiet", chat_id)

    def wait_for(
        self,
        probe: Callable[[], T | None],
        timeout: float = 30.0,
        what: str = "a condition",
        chat_id: int | None = None,
    ) -> T:
        """Block until `probe()` returns something other than None (re-checked on each call)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = probe()
                if value is not None:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    shown = self.calls(chat_id=chat_id) if chat_id is not None else self.calls()
                    trace = "\n".join(
                        f"  {c.method} ok={c.ok} {c.description or ''} {_short(c.params)}"
                        for c in shown[-15:]
                    )
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {what}:\n{trace}"
                    )
                self._changed.wait(min(remaining, 0.1))
