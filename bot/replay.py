"""`python -m bot replay`: JSON lines in, one JSON line out per input (DESIGN.md format).

Each input runs through the same dialogue pipeline as a Telegram message, without any
Telegram call: staff notifications stay in the outbox table.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import sys
import uuid
from typing import Any, TextIO

from bot import texts
from bot.dialogue import Dialogue
from bot.render import Reply
from bot.turn import TurnResult

log = logging.getLogger(__name__)

TURN_TIMEOUT_SECONDS = 30.0
#: Longest user id (the users table's key); Telegram ids are far shorter.
MAX_USER_LENGTH = 64
#: Lone surrogates: JSON escapes like "\ud800" decode to them, and UTF-8 cannot encode them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def parse_line(line: str) -> tuple[str, str, str] | str:
    """(user, kind, value) for a valid line, else an error message."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg}"
    if not isinstance(data, dict):
        return "each line must be a JSON object"
    user = data.get("user")
    if not isinstance(user, str | int) or isinstance(user, bool) or not str(user).strip():
        return "missing 'user' (a non-empty string)"
    if len(str(user)) > MAX_USER_LENGTH:
        return f"'user' is too long ({MAX_USER_LENGTH} characters at most)"
    has_text, has_button = "text" in data, "button" in data
    if has_text == has_button:
        return "give exactly one of 'text' or 'button'"
    kind = "text" if has_text else "button"
    value = data[kind]
    if not isinstance(value, str):
        return f"'{kind}' must be a string"
    return _unicode(str(user)), kind, _unicode(value)


def _unicode(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD, so it can be stored and echoed."""
    return _SURROGATES.sub("\ufffd", text)


async def run_line(dialogue: Dialogue, line: str) -> dict[str, Any]:
    """The output object for one input line."""
    parsed = parse_line(line)
    if isinstance(parsed, str):
        return {"error": parsed}
    user, kind, value = parsed
    key = f"replay:{uuid.uuid4().hex}"
    try:
        if kind == "text":
            turn = dialogue.handle_text(user, value, key)
        else:
            turn = dialogue.handle_button(user, value, key)
        result: TurnResult = await asyncio.wait_for(turn, TURN_TIMEOUT_SECONDS)
    except TimeoutError:
        return {"error": f"no answer within {TURN_TIMEOUT_SECONDS:.0f} s"}
    except Exception:
        # As on Telegram (`on_error`): logged with its traceback, the user gets a polite notice.
        log.exception("error while handling a replay line")
        notice = texts.say(texts.INTERNAL_ERROR, _register_or_default(dialogue, user))
        return {"user": user, **TurnResult([Reply(notice)]).as_dict()}
    return {"user": user, **result.as_dict()}


def _register_or_default(dialogue: Dialogue, user: str) -> str:
    """The user's register for the error notice; `tu` when it cannot be read (the failure
    may be the database itself)."""
    try:
        return dialogue.register_of(user)
    except Exception:  # the notice is given whatever failed
        log.warning("register unreadable for the error notice")
        return "tu"


async def replay(
    dialogue: Dialogue, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Process every line of `stdin` in order; returns the number of lines handled."""
    loop = asyncio.get_running_loop()
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="replace")  # bytes that are not UTF-8: a bad line, not a crash
    count = 0
    while True:
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            return count
        if not line.strip():
            continue
        output = await run_line(dialogue, line)
        stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
        stdout.flush()
        count += 1
