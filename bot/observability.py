"""Prometheus metrics of the bot: turns, latency, fallbacks, hand-offs waiting, SLA breaches.

Turns are recorded by the dialogue pipeline (`bot/dialogue.py`), which knows the outcome:

- `@observed_turn` on `Dialogue.handle_text / handle_button / handle_location` times each
  input and records it once, as `local` unless the pipeline said otherwise;
- `note_outcome("relayed")`, `note_outcome("rasa_unavailable")` and
  `note_rasa_reply(messages)` (→ `answered`, and a fallback when Rasa's reply is one of the
  French two-stage fallback's) say what happened, from wherever in the turn it is known.

`record_turn` is the primitive underneath, for callers that time turns themselves. Gauges that
describe the database (hand-offs waiting, overdue contact requests, messages kept while Rasa
was down) are refreshed by `refresh_db_gauges()`, which `/metrics` calls at each scrape.
Metrics live in prometheus_client's default registry (one process = one scrape target).
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from prometheus_client import Counter, Gauge, Histogram

from parcours.services import health
from parcours.services.web_transcript import is_web_user

Outcome = Literal["answered", "rasa_unavailable", "relayed", "local"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "rasa_unavailable", "relayed", "local")

TURNS = Counter(
    "parcours_turns",
    "User inputs handled, by channel and outcome (answered by Rasa, Rasa unavailable, "
    "relayed to a coordinator, answered locally without Rasa).",
    ["channel", "outcome"],
)
TURN_SECONDS = Histogram(
    "parcours_turn_seconds",
    "Time to handle one user input in the dialogue pipeline (Rasa included).",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0),
)
for _outcome in OUTCOMES:  # dashboards see 0 rather than no series before the first turn
    TURNS.labels(channel="telegram", outcome=_outcome)
FALLBACKS = Counter(
    "parcours_fallbacks",
    "Turns Rasa answered with the two-stage fallback (did you mean / rephrase / give up).",
    ["channel"],
)
HANDOFFS_WAITING = Gauge(
    "parcours_handoffs_waiting", "Chats waiting for a coordinator (state waiting)."
)
HANDOFF_OLDEST_WAIT = Gauge(
    "parcours_handoff_oldest_wait_seconds", "Age of the oldest chat waiting for a coordinator."
)
REQUESTS_OVERDUE = Gauge(
    "parcours_requests_overdue",
    "Contact requests past their answer deadline: `sent` (past due, not yet expired by the "
    "hourly tick) and `expired` (deadline missed, no late answer yet).",
    ["status"],
)
PENDING_MESSAGES = Gauge(
    "parcours_pending_messages", "User messages kept while Rasa was down, not yet answered."
)
BOT_API_ERRORS = Counter(
    "parcours_bot_api_errors",
    "Telegram Bot API calls that failed, by error class (Forbidden, BadRequest, RetryAfter…).",
    ["error"],
)
STAFF_DELIVERY_FAILURES = Counter(
    "parcours_staff_delivery_failures",
    "Staff outbox rows Telegram refused (retried with backoff), by outbox kind.",
    ["kind"],
)
STAFF_PARKED = Counter(
    "parcours_staff_parked",
    "Staff outbox rows given up after too many failed deliveries (a notice tells the staff "
    "group), by outbox kind. Anything above 0 needs a look at the bot's log.",
    ["kind"],
)
STAFF_COALESCED = Counter(
    "parcours_staff_coalesced",
    "User messages merged into one staff message because delivery lagged (group rate limit).",
)
DB_REFRESH_ERRORS = Counter(
    "parcours_metrics_db_errors", "Failed reads of the database gauges (values kept stale)."
)

#: Openings of the "not understood" replies (domain/core.yml utter_ask_rephrase,
#: utter_fallback_handoff and utter_default), tu and vous forms; checked against the domain
#: by tests/unit/test_fallback_openings.py.
FALLBACK_OPENINGS = (
    "Je n'ai pas bien compris.",
    "Désolé, je ne comprends toujours pas.",
    "Désolé, je n'ai toujours pas compris.",
)


def channel_of(user_id: str) -> str:
    """`telegram` for Telegram ids (digits), `web` for the web chat, `terminal` for the
    demo, `replay` otherwise."""
    if user_id.isdigit():
        return "telegram"
    if is_web_user(user_id):
        return "web"
    return "terminal" if user_id.startswith("terminal-") else "replay"


def is_fallback_reply(messages: Sequence[Mapping[str, Any]]) -> bool:
    """True when Rasa's reply is a fallback: the turn was not understood."""
    return any(str(m.get("text") or "").startswith(FALLBACK_OPENINGS) for m in messages)


def record_turn(*, channel: str, outcome: Outcome, seconds: float, fallback: bool = False) -> None:
    """Count one user input, its latency and whether it ended in the NLU fallback."""
    TURNS.labels(channel=channel, outcome=outcome).inc()
    TURN_SECONDS.labels(channel=channel).observe(max(seconds, 0.0))
    if fallback:
        FALLBACKS.labels(channel=channel).inc()


@dataclass
class _Turn:
    outcome: Outcome = "local"
    fallback: bool = False


_CURRENT: contextvars.ContextVar[_Turn | None] = contextvars.ContextVar(
    "parcours_turn", default=None
)


def note_outcome(outcome: Outcome, *, fallback: bool = False) -> None:
    """Say how the current observed turn ends (ignored outside `observed_turn`)."""
    turn = _CURRENT.get()
    if turn is not None:
        turn.outcome = outcome
        turn.fallback = fallback


def note_rasa_reply(messages: Sequence[Mapping[str, Any]]) -> None:
    """Rasa answered the current turn with `messages`."""
    note_outcome("answered", fallback=is_fallback_reply(messages))


S = TypeVar("S")
P = ParamSpec("P")
R = TypeVar("R")


def observed_turn(
    method: Callable[Concatenate[S, str, P], Awaitable[R]],
) -> Callable[Concatenate[S, str, P], Awaitable[R]]:
    """Decorate a `Dialogue.handle_*(self, user_id, …)` method: one recorded turn per call."""

    @functools.wraps(method)
    async def wrapper(self: S, user_id: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if _CURRENT.get() is not None:  # nested: the outer call records the turn
            return await method(self, user_id, *args, **kwargs)
        turn = _Turn()
        token = _CURRENT.set(turn)
        started = time.perf_counter()
        try:
            return await method(self, user_id, *args, **kwargs)
        finally:
            _CURRENT.reset(token)
            record_turn(
                channel=channel_of(user_id),
                outcome=turn.outcome,
                seconds=time.perf_counter() - started,
                fallback=turn.fallback,
            )

    return wrapper


def count_bot_api_error(error: BaseException) -> None:
    """Count a failed Bot API call (any `telegram.error.TelegramError`)."""
    BOT_API_ERRORS.labels(error=type(error).__name__).inc()


def count_staff_failure(kind: str, *, parked: bool) -> None:
    """A staff outbox row Telegram refused; `parked`: it will not be tried again."""
    STAFF_DELIVERY_FAILURES.labels(kind=kind).inc()
    if parked:
        STAFF_PARKED.labels(kind=kind).inc()


def refresh_db_gauges(now: datetime | None = None) -> health.Backlog | None:
    """Set the database gauges (blocking: call it in a thread from async code)."""
    try:
        snap = health.backlog(now=now or datetime.now(UTC))
    except Exception:  # the database being down is reported by /health, not here
        DB_REFRESH_ERRORS.inc()
        return None
    HANDOFFS_WAITING.set(snap.handoffs_waiting)
    HANDOFF_OLDEST_WAIT.set(snap.oldest_wait_seconds)
    REQUESTS_OVERDUE.labels(status="sent").set(snap.requests_past_due)
    REQUESTS_OVERDUE.labels(status="expired").set(snap.requests_expired)
    PENDING_MESSAGES.set(snap.pending_messages)
    return snap
