"""HTTP client for the Rasa server (the secured REST channel + conversations API), with safe
retries. User turns go to rasa_channels/secured_rest.py with the shared secret; the
conversations API takes RASA_TOKEN."""

from __future__ import annotations

import asyncio
import logging
import re
import zlib
from typing import Any
from urllib.parse import quote

import httpx

from parcours.logging_setup import user_ref
from parcours.settings import SECRET_HEADER, Settings

log = logging.getLogger(__name__)

RasaMessage = dict[str, Any]

#: The input channel's path (rasa_channels/secured_rest.py, named in credentials.yml).
CHANNEL_PATH = "/webhooks/parcours/webhook"

#: Never sent to Rasa: control characters (newline aside), and lone surrogates, which UTF-8
#: cannot encode (httpx would raise while building the request).
_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def wire_safe(text: str) -> str:
    """`text` without what must never reach Rasa (the last guard; inputs are cleaned before)."""
    return _UNSAFE.sub(" ", text)


class RasaUnavailableError(RuntimeError):
    """Rasa (or the action server behind it) could not answer this turn."""


class RasaClient:
    """Send user turns to Rasa; a retried turn is never processed twice.

    Only connection failures are retried blindly (the request never reached Rasa). After a
    read timeout, the tracker is checked for the message key before anything is re-sent.

    `base_url` may list several Rasa processes, comma-separated (same model, same tracker
    store): each conversation always goes to the same one (a hash of the sender id), so its
    turns never run in two processes at once and each process's own lock store suffices.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 25.0,
        retries: int = 2,
        client: httpx.AsyncClient | None = None,
        channel_secret: str = "",
    ) -> None:
        self._bases = [url.strip().rstrip("/") for url in base_url.split(",") if url.strip()]
        self._token = token
        self._channel_headers = {SECRET_HEADER: channel_secret}
        self._retries = retries
        self._http = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=3.0))

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaClient:
        """The client of RASA_URL with RASA_TOKEN and RASA_CHANNEL_SECRET."""
        return cls(
            settings.rasa_url,
            settings.rasa_token,
            timeout=settings.rasa_timeout_seconds,
            channel_secret=settings.rasa_channel_secret,
        )

    def _base(self, sender: str) -> str:
        """The Rasa process that owns this conversation."""
        if len(self._bases) == 1:
            return self._bases[0]
        return self._bases[zlib.crc32(sender.encode("utf-8", "replace")) % len(self._bases)]

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self._http.aclose()

    async def send(self, sender: str, text: str, message_key: str) -> list[RasaMessage]:
        """One user turn through the REST channel; returns Rasa's messages (never empty)."""
        body = {
            "sender": wire_safe(sender),
            "message": wire_safe(text),
            "metadata": {"message_key": message_key},
        }
        url = f"{self._base(sender)}{CHANNEL_PATH}"
        for attempt in range(self._retries + 1):
            try:
                response = await self._http.post(url, json=body, headers=self._channel_headers)
            except httpx.ConnectError as exc:
                if attempt == self._retries:
                    raise RasaUnavailableError(f"cannot connect to Rasa: {exc}") from exc
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            except httpx.TimeoutException as exc:
                recovered = await self._recover(sender, message_key)
                if recovered:
                    return recovered
                raise RasaUnavailableError("Rasa did not answer in time") from exc
            except httpx.TransportError as exc:
                # The connection broke after the request left (Rasa crashed or restarted, or a
                # stale keep-alive connection): Rasa may have processed the turn — take its
                # answer from the tracker if so, else try again, then give up.
                recovered = await self._recover(sender, message_key)
                if recovered:
                    return recovered
                if attempt == self._retries:
                    raise RasaUnavailableError(f"connection to Rasa lost: {exc!r}") from exc
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            messages = self._checked(response)
            if not messages:
                await self.repair(sender)
                raise RasaUnavailableError("empty reply (action server unreachable?)")
            return messages
        raise RasaUnavailableError("unreachable")  # pragma: no cover

    async def trigger_intent(
        self, sender: str, intent: str, entities: dict[str, Any] | None = None
    ) -> list[RasaMessage]:
        """Inject an external intent (hand back); the reply comes back in this response."""
        url = f"{self._base(sender)}/conversations/{_path(sender)}/trigger_intent"
        try:
            response = await self._http.post(
                url,
                params={"token": self._token, "output_channel": "latest"},
                json={"name": intent, "entities": entities or {}},
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailableError(f"trigger_intent failed: {exc}") from exc
        if response.status_code != 200:
            raise RasaUnavailableError(f"trigger_intent: HTTP {response.status_code}")
        messages: list[RasaMessage] = response.json().get("messages", [])
        return messages

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker (events included)."""
        response = await self._http.get(
            f"{self._base(sender)}/conversations/{_path(sender)}/tracker",
            params={"token": self._token},
        )
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    async def is_ready(self) -> bool:
        """True once the model is loaded (`/status` answers only then) in every process."""
        for base in self._bases:
            try:
                response = await self._http.get(
                    f"{base}/status", params={"token": self._token}, timeout=3.0
                )
            except httpx.HTTPError:
                return False
            if response.status_code != 200:
                return False
        return True

    def _checked(self, response: httpx.Response) -> list[RasaMessage]:
        if response.status_code != 200:
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
        messages: list[RasaMessage] = response.json()
        return messages

    async def repair(self, sender: str) -> None:
        """Close a turn that failed half-way (action server down).

        Every dialogue path says something, so `[]` means custom actions failed and the turn
        never reached `action_listen`; without it Rasa's circuit breaker stops the next turns.
        """
        try:
            await self._http.post(
                f"{self._base(sender)}/conversations/{_path(sender)}/tracker/events",
                params={"token": self._token},
                json={"event": "action", "name": "action_listen"},
            )
        except httpx.HTTPError as exc:
            # str(exc) of an HTTP error may hold the URL (sender id, token): class name only.
            log.warning(
                "could not repair the tracker: %s",
                type(exc).__name__,
                extra={"user": user_ref(sender)},
            )

    async def _recover(self, sender: str, message_key: str) -> list[RasaMessage]:
        """Bot messages Rasa produced for `message_key`, if it processed it after all."""
        try:
            events = (await self.tracker(sender)).get("events", [])
        except httpx.HTTPError:
            return []
        return bot_messages_after(events, message_key)


def _path(sender: str) -> str:
    """A sender id as one URL path segment: '/', '?', '#' or '%' in an id cannot change the
    route (the characters RFC 3986 allows in a segment stay as they are, as httpx sends them)."""
    return quote(wire_safe(sender), safe="!$&'()*+,;=:@")


def bot_messages_after(events: list[dict[str, Any]], message_key: str) -> list[RasaMessage]:
    """REST-shaped messages of the bot events that followed the user event with this key."""
    start = None
    for index, event in enumerate(events):
        if event.get("event") == "user":
            if (event.get("metadata") or {}).get("message_key") == message_key:
                start = index
            elif start is not None:
                break
    if start is None:
        return []
    messages: list[RasaMessage] = []
    for event in events[start + 1 :]:
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            data = event.get("data") or {}
            message: RasaMessage = {"text": event.get("text")} if event.get("text") else {}
            if data.get("buttons"):
                message["buttons"] = data["buttons"]
            if data.get("custom"):
                message["custom"] = data["custom"]
            if message:
                messages.append(message)
    return messages
