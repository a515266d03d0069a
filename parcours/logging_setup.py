"""Logging for every process: plain text for the terminal, JSON lines in production, and no
personal data either way.

`configure_logging(json=..., level=...)` installs one stderr handler on the root logger with a
`RedactingFilter`, so third-party records (PTB, httpx, Sanic, Rasa) are redacted too:

- user ids never appear: extras named `user_id`, `sender_id`, `chat_id` (and an int `user`)
  become `user=<short salted hash>` (`user_ref`), long digit runs in messages and tracebacks
  (Telegram ids) and Rasa conversation paths are replaced the same way;
- message texts and names never appear: extras named `text`, `first_name`… are dropped;
- secrets never appear: Telegram bot tokens and `token=` query parameters are masked.

Callers still must not put a message's text in the *message* of a log call: the filter cannot
tell free text from prose. Log a user as `log.info("…", extra={"user": user_ref(uid)})`.

Stdlib only and Python 3.10-compatible: Rasa (`.venv-rasa`) and the action server load it
through `deploy/logging.yml` (`handler_from_env`), where LOG_FORMAT comes from the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
from datetime import datetime, timezone
from typing import IO, Any

#: Attributes every LogRecord has; anything else on a record is an `extra`.
_STANDARD = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
) | {"message", "asctime", "taskName"}
#: Extras holding a raw user/chat id: hashed, and reported under the key `user`.
_ID_KEYS = frozenset({"user_id", "sender_id", "sender", "chat_id"})
#: Extras that may hold what a person wrote or their name: never output.
_TEXT_KEYS = frozenset(
    {"text", "message_text", "msg_text", "first_name", "last_name", "username", "full_name"}
)
_TOKEN_RE = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")  # Telegram bot token
_QUERY_SECRET_RE = re.compile(r"(?i)\b(token|secret|password)=[^&\s'\"]+")
_CONVERSATION_RE = re.compile(r"/conversations/([^/?\s'\"]+)")
_LONG_ID_RE = re.compile(r"(?<![\w.:/-])-?\d{7,}(?![\w.])")

_UTC = timezone.utc  # noqa: UP017 (Rasa imports this module on Python 3.10)
_salt: bytes = secrets.token_bytes(16)  # per process until configure_logging sets LOG_SALT


def set_salt(salt: str | None) -> None:
    """Use `salt` (LOG_SALT) for `user_ref`; unset → a random salt for this process only."""
    global _salt
    _salt = salt.encode() if salt else secrets.token_bytes(16)


def user_ref(user_id: object) -> str:
    """A short salted hash of a user or chat id, stable for one LOG_SALT (e.g. `ab12cd34`)."""
    return hmac.new(_salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:8]


def redact(text: str) -> str:
    """`text` with tokens, secrets, conversation ids and long numeric ids masked."""
    text = _TOKEN_RE.sub("<telegram-token>", text)
    text = _QUERY_SECRET_RE.sub(lambda m: f"{m.group(1)}=<redacted>", text)
    text = _CONVERSATION_RE.sub(lambda m: f"/conversations/user={user_ref(m.group(1))}", text)
    return _LONG_ID_RE.sub(lambda m: f"user={user_ref(m.group(0).lstrip('-'))}", text)


class RedactingFilter(logging.Filter):
    """Rewrites every record it sees so that no personal data or secret is output.

    Attach it to handlers (not loggers): handler filters also see records that propagate
    from other libraries' loggers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        if getattr(record, "_parcours_redacted", False):
            return True
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key in list(vars(record)):
            if key in _STANDARD:
                continue
            value = vars(record)[key]
            if key in _TEXT_KEYS:
                setattr(record, key, "<redacted>")
            elif key in _ID_KEYS:
                delattr(record, key)
                if value is not None:
                    setattr(record, "user", user_ref(value))  # noqa: B010
            elif key == "user" and isinstance(value, int):
                setattr(record, "user", user_ref(value))  # noqa: B010
            elif isinstance(value, str):
                setattr(record, key, redact(value))
        setattr(record, "_parcours_redacted", True)  # noqa: B010
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, extras, exc."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise `record` (extras that are not JSON types are turned into strings)."""
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, _UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable line with the extras appended as `key=value`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The usual line, then extras (e.g. `user=ab12cd34`)."""
        line = super().format(record)
        extras = [
            f"{key}={value}"
            for key, value in vars(record).items()
            if key not in _STANDARD and not key.startswith("_")
        ]
        if not extras:
            return line
        head, sep, tail = line.partition("\n")
        return f"{head} {' '.join(extras)}{sep}{tail}"


#: Libraries whose INFO lines are noise or carry URLs (httpx logs every Bot API URL).
_QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "apscheduler": logging.WARNING}


def make_handler(*, json: bool, stream: IO[str] | None = None) -> logging.Handler:
    """A stderr (or `stream`) handler with the chosen format and the redacting filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json else TextFormatter())
    handler.addFilter(RedactingFilter())
    return handler


def configure_logging(
    json: bool,
    level: int | str = logging.INFO,
    *,
    salt: str | None = None,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Replace the root handlers with one redacting handler (JSON lines or text)."""
    set_salt(salt)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = make_handler(json=json, stream=stream)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    return handler


def handler_from_env() -> logging.Handler:
    """`logging.config.dictConfig` factory (`deploy/logging.yml`): LOG_FORMAT and LOG_SALT
    from the environment, for processes that do not read the app settings (Rasa, actions)."""
    set_salt(os.environ.get("LOG_SALT"))
    return make_handler(json=os.environ.get("LOG_FORMAT", "text").lower() == "json")
