"""Conversation figures read from Rasa's tracker store (its `events` table).

Rasa owns that table; we only read `user` events. A user event's `data` column holds the
whole event as JSON: `text`, `metadata.message_key` (set by bot/ to de-duplicate retries)
and `parse_data` with the intent, and for FAQ questions the retrieval intent
(`parse_data.intent.full_retrieval_intent_name`, or the response selector's
`intent_response_key`), e.g. `faq/gratuite`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from parcours.services import rasa_events
from parcours.settings import Settings

#: Text Rasa gives the user events it creates for `trigger_intent` (not a user turn).
EXTERNAL_PREFIX = "EXTERNAL: "
FALLBACK_INTENT = "nlu_fallback"
FAQ_INTENT = "faq"
TOP_FAQ = 10
TOP_UNANSWERED = 20
QUESTION_MAX_CHARS = 120


@dataclass(frozen=True)
class UserTurn:
    """One message of a user as Rasa recorded it."""

    sender_id: str
    at: datetime
    intent: str | None
    text: str
    faq: str | None = None  # "faq/<key>" when the FAQ retrieval intent was predicted
    message_key: str | None = None


@dataclass(frozen=True)
class DayCount:
    """Conversations (distinct senders) and user turns on one local day."""

    day: date
    conversations: int
    turns: int


@dataclass(frozen=True)
class Conversations:
    """What the tracker tells about the period (`available` is False without a tracker)."""

    available: bool
    per_day: tuple[DayCount, ...]
    conversations: int  # sum over days of distinct senders
    users: int  # distinct senders over the whole period
    turns: int
    fallback_turns: int
    fallback_rate: float | None  # fallback_turns / turns
    top_faq: Mapping[str, int]  # "faq/<key>" → count, most asked first
    unanswered: Mapping[str, int]  # question text (≤ 120 chars) → count, most frequent first


def _faq_intent(intent: str | None, data: dict[str, Any]) -> str | None:
    if intent and intent.startswith(f"{FAQ_INTENT}/"):
        return intent
    if intent != FAQ_INTENT:
        return None
    parse_data = data.get("parse_data") or {}
    full = (parse_data.get("intent") or {}).get("full_retrieval_intent_name")
    if isinstance(full, str) and full:
        return full
    selected = ((parse_data.get("response_selector") or {}).get(FAQ_INTENT) or {}).get("response")
    key = (selected or {}).get("intent_response_key")
    return key if isinstance(key, str) and key else None


def read_user_turns(
    settings: Settings, *, since: datetime, until: datetime
) -> list[UserTurn] | None:
    """User turns in [since, until), oldest first; None when there is no tracker table."""
    events = rasa_events.user_events(settings, since=since, until=until)
    if events is None:
        return None
    turns = []
    for event in events:
        data = event.data
        message = data.get("text")
        if not isinstance(message, str) or message.startswith(EXTERNAL_PREFIX):
            continue
        intent = event.intent_name or ((data.get("parse_data") or {}).get("intent") or {}).get(
            "name"
        )
        key = (data.get("metadata") or {}).get("message_key")
        turns.append(
            UserTurn(
                sender_id=event.sender_id,
                at=event.at,
                intent=intent,
                text=message,
                faq=_faq_intent(intent, data),
                message_key=key if isinstance(key, str) else None,
            )
        )
    return turns


def _dedupe(turns: Iterable[UserTurn]) -> list[UserTurn]:
    """Drop a retried delivery recorded twice (same sender and bot message key)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for turn in turns:
        if turn.message_key is not None:
            ident = (turn.sender_id, turn.message_key)
            if ident in seen:
                continue
            seen.add(ident)
        kept.append(turn)
    return kept


def _question(message: str) -> str:
    """One line, at most QUESTION_MAX_CHARS characters (an ellipsis marks a cut)."""
    flat = " ".join(message.split())
    if len(flat) <= QUESTION_MAX_CHARS:
        return flat
    return flat[: QUESTION_MAX_CHARS - 1].rstrip() + "…"


def _ranked(counter: Counter[str], limit: int) -> dict[str, int]:
    """Most frequent first; ties in alphabetical order, so reports are stable."""
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return dict(ordered[:limit])


def _days(since: datetime, until: datetime, tz: ZoneInfo) -> list[date]:
    first = since.astimezone(tz).date()
    last = (until - timedelta(microseconds=1)).astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def summarize(
    turns: Sequence[UserTurn] | None,
    *,
    since: datetime,
    until: datetime,
    tz: ZoneInfo,
) -> Conversations:
    """Per-day conversations, FAQ ranking and fallbacks from the user turns of the period."""
    kept = _dedupe(turns or [])
    senders_per_day: dict[date, set[str]] = {}
    turns_per_day: Counter[date] = Counter()
    faq: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    first_form: dict[str, str] = {}  # questions are grouped ignoring case
    for turn in kept:
        day = turn.at.astimezone(tz).date()
        senders_per_day.setdefault(day, set()).add(turn.sender_id)
        turns_per_day[day] += 1
        if turn.faq:
            faq[turn.faq] += 1
        if turn.intent == FALLBACK_INTENT:
            question = " ".join(turn.text.split())
            group = first_form.setdefault(question.casefold(), question)
            unanswered[group] += 1
    per_day = tuple(
        DayCount(day=d, conversations=len(senders_per_day.get(d, ())), turns=turns_per_day[d])
        for d in _days(since, until, tz)
    )
    fallback_turns = sum(unanswered.values())
    shown: Counter[str] = Counter()  # two long questions may share their first 120 chars
    for question, count in _ranked(unanswered, TOP_UNANSWERED).items():
        shown[_question(question)] += count
    return Conversations(
        available=turns is not None,
        per_day=per_day,
        conversations=sum(len(s) for s in senders_per_day.values()),
        users=len({t.sender_id for t in kept}),
        turns=len(kept),
        fallback_turns=fallback_turns,
        fallback_rate=fallback_turns / len(kept) if kept else None,
        top_faq=_ranked(faq, TOP_FAQ),
        unanswered=_ranked(shown, TOP_UNANSWERED),
    )
