"""How the staff relay schedules outbox rows: independently, per staff group, never blocked.

- Rows are grouped by the staff group (forum supergroup) they go to; each group is served by
  its own worker, so a group under Telegram's flood control (~20 messages a minute) never
  delays another territory's group.
- In a group, urgent hand-offs go first, then rows in order; the plan is made again after
  each message, so an urgent hand-off queued meanwhile is next. A row Telegram refuses is
  recorded (attempts, next try with backoff, parked after too many: `staff_outbox.Claim`)
  and the worker goes on with the next row: one poison row never holds up the others.
- RetryAfter (flood control) pauses that group only, without counting a failure; what users
  write meanwhile piles up and is sent as one message per user (`batches`).
- A network error or a bot removed from the group (Forbidden) stops the group's worker until
  the next flush, without counting failures either: every row would fail alike.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from parcours.services.outbox import OutboxKind
from parcours.services.staff_outbox import Row

#: Per group and flush: batches sent before the worker lets go (the next flush goes on).
MAX_BATCHES = 100


@dataclass(frozen=True)
class Batch:
    """Rows sent as one staff message: one row, or consecutive messages of one user."""

    rows: tuple[Row, ...]

    @property
    def first(self) -> Row:
        return self.rows[0]

    @property
    def coalesced(self) -> bool:
        return len(self.rows) > 1


def is_urgent(row: Row) -> bool:
    """An urgent (safeguarding) hand-off announcement: sent before anything else."""
    return row.kind is OutboxKind.HANDOFF_REQUESTED and bool(row.payload.get("urgent"))


def batches(rows: list[Row]) -> list[Batch]:
    """Rows in sending order: urgent hand-offs first, then in order; a user's messages that
    follow each other (nothing else of that user between them) become one batch."""
    ordered = sorted(rows, key=lambda row: (not is_urgent(row), row.id))
    planned: list[list[Row]] = []
    open_for: dict[str, int] = {}  # user → index of their message batch still open
    for row in ordered:
        user = row.user_id
        if user is not None and row.kind is OutboxKind.USER_MESSAGE and user in open_for:
            planned[open_for[user]].append(row)
            continue
        planned.append([row])
        if user is not None:
            if row.kind is OutboxKind.USER_MESSAGE:
                open_for[user] = len(planned) - 1
            else:
                open_for.pop(user, None)
    return [Batch(tuple(rows)) for rows in planned]


class Verdict:
    """What a failed send means for the group's worker."""

    FAILED = "failed"  # this row's fault: counted, retried later; go on with the next row
    PAUSE = "pause"  # the group (or Telegram) is unavailable: stop, count nothing


def classify(exc: BaseException) -> str:
    """A failure is the row's (bad request, unexpected error) or the group's (flood control,
    network, bot not allowed in the group)."""
    if isinstance(exc, BadRequest):  # a NetworkError in PTB, but the row's fault
        return Verdict.FAILED
    if isinstance(exc, RetryAfter | Forbidden | NetworkError):
        return Verdict.PAUSE
    return Verdict.FAILED


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds (an int or a timedelta, depending on PTB's settings)."""
    with warnings.catch_warnings():  # PTB 22 warns that it will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return float(wait if isinstance(wait, int | float) else wait.total_seconds())


@dataclass
class Gates:
    """Groups paused by flood control: not tried again before their time."""

    until: dict[int, float] = field(default_factory=dict)

    def open(self, chat_id: int) -> bool:
        return self.until.get(chat_id, 0.0) <= time.monotonic()

    def pause(self, chat_id: int, seconds: float) -> None:
        self.until[chat_id] = time.monotonic() + seconds
