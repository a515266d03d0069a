"""One user turn's outcome, as every channel receives it, and the key that makes it unique."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot import texts
from bot.render import Reply
from parcours.services.conversations import HandoffState


@dataclass
class TurnResult:
    """What the user is shown for one input, and who holds the conversation after it.

    `register` is the user's (`tu` or `vous`), for what the channel adds to the replies
    (Telegram's location keyboard); it is not part of the replay wire format.
    """

    replies: list[Reply] = field(default_factory=list)
    handoff: str = HandoffState.BOT.value
    register: str = "tu"

    def as_dict(self) -> dict[str, Any]:
        """The replay wire format."""
        return {"replies": [r.as_dict() for r in self.replies], "handoff": self.handoff}


def saying(pair: texts.Pair) -> Callable[[str], list[Reply]]:
    """One reply, `pair` said in the register it is given."""
    return lambda register: [Reply(texts.say(pair, register))]


def message_key_for(*parts: object) -> str:
    """A stable key for an input (e.g. Telegram update id, or replay line number)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
