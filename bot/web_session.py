"""The web chat's anonymous session and who may talk to it.

- The session is a signed cookie carrying the web user's id (`web:<random>`, never numeric,
  so never a Telegram chat id) and when it was issued: `<id>.<issued>.<HMAC-SHA256>` under
  WEB_SECRET. A cookie that does not verify is ignored (a new session is issued).
- Origins: a browser names the page that opens a WebSocket or sends a POST (`Origin`); only
  the server's own origin and WEB_ALLOWED_ORIGINS (the agency's site) are accepted, so
  another site cannot drive a visitor's session with their cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from parcours.services.notifications import WEB_PREFIX

COOKIE = "pm_session"
_ID_BYTES = 16  # 22 url-safe characters


@dataclass(frozen=True)
class CookiePolicy:
    """How the cookie is set: `secure` behind TLS (production), where it is also
    `SameSite=None; Partitioned` so that the chat works in an iframe on the agency's site
    (docs/WEB_EMBED.md); in local HTTP development `SameSite=Lax`."""

    secure: bool
    max_age: int

    def attributes(self) -> str:
        """The cookie's attributes after `name=value`."""
        common = f"Path=/; Max-Age={self.max_age}; HttpOnly"
        if self.secure:
            return f"{common}; Secure; SameSite=None; Partitioned"
        return f"{common}; SameSite=Lax"


def new_user_id() -> str:
    """A fresh, unguessable web user id."""
    raw = base64.urlsafe_b64encode(secrets.token_bytes(_ID_BYTES)).decode().rstrip("=")
    return f"{WEB_PREFIX}{raw}"


def _signature(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(user_id: str, secret: str, *, now: float | None = None) -> str:
    """The cookie value for `user_id`."""
    message = f"{user_id}.{int(now if now is not None else time.time())}"
    return f"{message}.{_signature(secret, message)}"


def verify(
    value: str | None, secret: str, *, max_age: int, now: float | None = None
) -> str | None:
    """The user id of a genuine, unexpired cookie value; None otherwise."""
    if not value or len(value) > 200:
        return None
    message, _, signature = value.rpartition(".")
    user_id, _, issued = message.rpartition(".")
    if not user_id.startswith(WEB_PREFIX) or not issued.isdigit():
        return None
    if not hmac.compare_digest(signature, _signature(secret, message)):
        return None
    age = (now if now is not None else time.time()) - int(issued)
    return user_id if 0 <= age <= max_age else None


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower case (None if it has none)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(origin: str | None, *, host: str, allowed: frozenset[str]) -> bool:
    """True for the server's own origin (the same host as the `Host` header: behind the TLS
    reverse proxy the server itself sees plain HTTP) and the configured ones; a request
    without an Origin header (not a browser's) or with `null` (sandboxed, file://) is
    refused."""
    if not origin or origin == "null":
        return False
    normalised = origin_of(origin)
    if normalised is None:
        return False
    return normalised.split("://", 1)[1] == host.lower() or normalised in allowed
