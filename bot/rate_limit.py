"""Per-user flood control: a sliding window of recent inputs per user, in memory.

Telegram already limits what the bot sends; this limits what one user can make the
pipeline do (Rasa turns, staff relays). Beyond the limit the user gets one polite notice
per window, then silence until the window has room again. Users idle for a whole window are
forgotten (at most once per window, on use), so memory follows the active users only.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum


class Verdict(StrEnum):
    """What to do with one input."""

    OK = "ok"
    NOTIFY = "notify"  # over the limit: say so, once per window
    DROP = "drop"  # over the limit, already told


class UserRateLimiter:
    """At most `limit` inputs per `window` seconds per user."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._told_at: dict[str, float] = {}
        self._pruned_at = clock()

    def __len__(self) -> int:
        """How many users are tracked."""
        return len(self._seen)

    def check(self, user_id: str) -> Verdict:
        """Record one input of the user and judge it."""
        now = self._clock()
        if now - self._pruned_at >= self.window:
            self._forget_idle(now)
        recent = self._seen.setdefault(user_id, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) < self.limit:
            recent.append(now)
            return Verdict.OK
        told = self._told_at.get(user_id)
        if told is not None and told > now - self.window:
            return Verdict.DROP
        self._told_at[user_id] = now
        return Verdict.NOTIFY

    def _forget_idle(self, now: float) -> None:
        """Drop users with no input within the window (their state can no longer matter)."""
        self._pruned_at = now
        horizon = now - self.window
        for user_id in [u for u, seen in self._seen.items() if not seen or seen[-1] <= horizon]:
            self._seen.pop(user_id, None)
            self._told_at.pop(user_id, None)
