"""Rasa's REST channel behind a shared secret: the only input channel (credentials.yml).

Rasa's own REST webhook accepts anyone who reaches the port (Rasa's `-t` token protects only
its HTTP API): any process on the host could post a turn as `sender=<someone>` and act in that
user's name. This channel answers exactly like the REST one (a JSON list of bot messages,
bot/rasa_client.py parses it) on `/webhooks/parcours/webhook`, and refuses (403, nothing
processed) a request without `X-Parcours-Secret: <RASA_CHANNEL_SECRET>`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_channels.secret import SECRET_HEADER, authorised


class SecuredRestInput(RestInput):
    """The REST channel; every request must carry the shared secret."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the parcours input channel needs a secret (RASA_CHANNEL_SECRET)")
        self._secret = secret

    @classmethod
    def name(cls) -> str:
        return "parcours"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """`secret:` from credentials.yml (`${RASA_CHANNEL_SECRET}`, Rasa substitutes it)."""
        return cls(str((credentials or {}).get("secret") or ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """RestInput's routes, each behind the secret check."""
        routes = super().blueprint(on_new_message)

        @routes.middleware("request")
        async def require_secret(request: Request) -> HTTPResponse | None:
            if authorised(request.headers.get(SECRET_HEADER), self._secret):
                return None
            return response.json({"error": "forbidden"}, status=403)

        return routes
