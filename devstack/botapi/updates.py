"""Getting updates: long polling (`getUpdates` with offset/limit/timeout) or webhook mode
(`setWebhook`: each update POSTed in order, kept and retried until the receiver answers 2xx)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from devstack.botapi.core import (
    ApiError,
    EmulatorState,
    Params,
    api_method,
    bad_request,
    copy_json,
)

_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})


def _kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


class UpdatesMixin(EmulatorState):
    """getUpdates, setWebhook, deleteWebhook, getWebhookInfo and the webhook sender."""

    webhook_retry_delay = 0.2  # first retry delay after a failed delivery (doubles, max 2 s)
    _poll_generation = 0
    _webhook: dict[str, Any] | None = None
    _webhook_task: asyncio.Task[None] | None = None
    _webhook_error: tuple[int, str] | None = None

    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot (by a getUpdates offset or a 2xx webhook)."""
        with self._lock:
            return sum(1 for u in self._updates if u["update_id"] > self._confirmed_up_to)

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Every webhook POST attempt: update_id, ok, and the status or the error."""
        with self._lock:
            return [dict(d) for d in self._webhook_log]

    # ------------------------------------------------------------------ long polling

    @api_method("getUpdates")
    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self._webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        with self._lock:
            self._poll_generation += 1
            generation = self._poll_generation
            if offset > 0:
                self._confirmed_up_to = max(self._confirmed_up_to, offset - 1)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
        self._wake()  # an older long poll is terminated by this one
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(409, _CONFLICT_POLL)
                if self._webhook is not None:
                    raise ApiError(409, _CONFLICT_WEBHOOK)
                wanted = [u for u in self._updates if not allowed or _kind(u) in allowed]
                batch = copy_json(wanted[:limit])
            remaining = deadline - time.monotonic()
            stopping = self._stopping is not None and self._stopping.is_set()
            if batch or remaining <= 0 or stopping:
                return batch
            assert self._wakeup is not None
            event = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    # ------------------------------------------------------------------ webhook

    @api_method("setWebhook")
    def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params)
        parts = urlsplit(url)
        # Loopback http URLs are an emulator concession (tests have no certificate).
        loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK
        if parts.scheme != "https" and not loopback:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if not loopback and (parts.port or 443) not in _WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        if allowed is not None and not isinstance(allowed, list):
            raise bad_request("can't parse allowed updates")
        with self._lock:
            if params.get("drop_pending_updates"):
                self._drop_pending()
            self._webhook = {"url": url, "secret": secret, "allowed": allowed or None}
            self._webhook_error = None
            if self._webhook_task is None or self._webhook_task.done():
                self._webhook_task = asyncio.get_running_loop().create_task(self._send_updates())
        self._wake()  # a pending long poll ends with a conflict
        return True

    @api_method("deleteWebhook")
    def _delete_webhook(self, params: Params) -> bool:
        with self._lock:
            self._webhook = None
            self._webhook_error = None
            if params.get("drop_pending_updates"):
                self._drop_pending()
        self._wake()  # the sender stops
        return True

    @api_method("getWebhookInfo")
    def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        with self._lock:
            hook = self._webhook
            info: dict[str, Any] = {
                "url": hook["url"] if hook else "",
                "has_custom_certificate": False,
                "pending_update_count": self.pending_updates(),
            }
            if hook:
                info["max_connections"] = 40
                if hook["allowed"]:
                    info["allowed_updates"] = list(hook["allowed"])
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
            return info

    def _drop_pending(self) -> None:
        if self._updates:
            self._confirmed_up_to = max(self._confirmed_up_to, self._updates[-1]["update_id"])
        self._updates.clear()

    def _next_for_webhook(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(webhook, update) to send next; updates of kinds not allowed are dropped."""
        while self._webhook is not None and self._updates:
            update = self._updates[0]
            allowed = self._webhook["allowed"]
            if allowed and _kind(update) not in allowed:
                self._confirm(update["update_id"])
                continue
            return dict(self._webhook), copy_json(update)
        return None

    def _confirm(self, update_id: int) -> None:
        self._updates = [u for u in self._updates if u["update_id"] != update_id]
        self._confirmed_up_to = max(self._confirmed_up_to, update_id)
        self._changed.notify_all()

    async def _send_updates(self) -> None:
        """POST pending updates one at a time, in order, while a webhook is set."""
        delay = self.webhook_retry_delay
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                with self._lock:
                    if self._webhook is None:
                        return
                    item = self._next_for_webhook()
                    event = self._wakeup
                if item is None:
                    assert event is not None
                    await event.wait()
                    continue
                hook, update = item
                ok, detail = await self._post(session, hook, update)
                with self._lock:
                    self._webhook_log.append(
                        {"update_id": update["update_id"], "ok": ok, "detail": detail}
                    )
                    if ok:
                        self._confirm(update["update_id"])
                    else:
                        self._webhook_error = (int(time.time()), detail)
                if ok:
                    delay = self.webhook_retry_delay
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 2.0)

    @staticmethod
    async def _post(
        session: aiohttp.ClientSession, hook: dict[str, Any], update: dict[str, Any]
    ) -> tuple[bool, str]:
        headers = {}
        if hook["secret"]:
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret"])
        try:
            async with session.post(hook["url"], json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return True, str(response.status)
                return False, (
                    f"Wrong response from the webhook: {response.status} {response.reason}"
                )
        except aiohttp.ClientConnectorError:
            return False, "Connection refused"
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            return False, f"Connection error: {type(exc).__name__}"

    async def _before_cleanup(self) -> None:
        task = self._webhook_task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
