"""Staff side, outgoing: outbox rows → the user's forum topic in the coordinators' group.

Everything meant for coordinators is first written to the outbox (same transaction as the
state change), then delivered here, one handler per kind; a row is marked sent only once
Telegram took it, so a crash or a 5xx loses nothing. Rows are delivered independently, one
worker per staff group, failures retried with backoff and parked after too many
(`bot/staff_delivery.py`). Topics and their pinned cards: `bot/staff_topics.py`; texts:
`bot/staff_texts.py`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot import staff_texts as T
from bot.observability import STAFF_COALESCED, count_staff_failure
from bot.rasa_client import RasaClient
from bot.staff_delivery import MAX_BATCHES, Batch, Gates, Verdict, batches, classify, retry_seconds
from bot.staff_topics import StaffTopics, UserForgotten
from parcours.services import staff_card, staff_outbox
from parcours.services.outbox import OutboxKind
from parcours.services.staff_outbox import Row
from parcours.settings import Settings

log = logging.getLogger(__name__)
BATCH = 50
CLOSE_WAIT = 5.0
#: Delivers one row about a user: (bot, user id, payload).
Handler = Callable[[Bot, str, dict[str, Any]], Awaitable[None]]


class StaffRelay:
    """Delivers staff outbox rows, each by the handler of its kind."""

    def __init__(self, settings: Settings, rasa: RasaClient) -> None:
        self.settings = settings
        self.topics = StaffTopics(settings, rasa)
        self._locks: dict[int, asyncio.Lock] = {}  # one worker per staff group
        self.gates = Gates()
        self._workers: set[asyncio.Task[int]] = set()  # running, for `close`
        #: Every staff kind but STAFF_DELETE_TOPIC, which is about no user (`_delete_topic`).
        self.handlers: dict[OutboxKind, Handler] = {
            OutboxKind.USER_MESSAGE: self._user_message,
            OutboxKind.USER_MEDIA: self._user_media,
            OutboxKind.HANDOFF_REQUESTED: self._handoff_requested,
            OutboxKind.HANDOFF_REANNOUNCE: self._handoff_reannounce,
            OutboxKind.REQUEST_FILED: self._request_filed,
            OutboxKind.REQUEST_REMINDER: self._request_reminder,
            OutboxKind.REQUEST_ESCALATED: self._request_escalated,
            OutboxKind.STAFF_CARD: self._card,
            OutboxKind.MEETING_REPORT_DUE: self._report_due,
            OutboxKind.MEETING_CANCELLED: self._meeting_cancelled,
        }

    async def flush(self, bot: Bot) -> int:
        """Deliver due staff rows, each group by its own worker (`bot/staff_delivery.py`);
        the number of rows delivered. A group whose worker is already running (started by
        another flush) is left to it: this flush does not wait for it."""
        if self.settings.staff_chat_id is None:
            return 0
        by_chat = self._by_chat(staff_outbox.due(BATCH))
        started = [
            asyncio.ensure_future(self._serve(bot, chat_id, rows))
            for chat_id, rows in by_chat.items()
            if self.gates.open(chat_id) and not self._lock_of(chat_id).locked()
        ]
        if not started:
            return 0
        self._workers.update(started)
        for task in started:
            task.add_done_callback(self._finished)
        return sum(await asyncio.gather(*started))

    async def close(self) -> None:
        """At shutdown: running workers (a flush of the periodic job, say) get `CLOSE_WAIT`
        seconds to finish, then are cancelled (a row being sent stays unsent: it is delivered
        after the restart)."""
        if not self._workers:
            return
        _, pending = await asyncio.wait(set(self._workers), timeout=CLOSE_WAIT)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def _finished(self, task: asyncio.Task[int]) -> None:
        self._workers.discard(task)

    def _lock_of(self, chat_id: int) -> asyncio.Lock:
        return self._locks.setdefault(chat_id, asyncio.Lock())

    def _by_chat(self, rows: list[Row]) -> dict[int, list[Row]]:
        by_chat: dict[int, list[Row]] = {}
        for row in rows:
            if row.kind is OutboxKind.STAFF_DELETE_TOPIC:
                chat_id = int(row.payload.get("chat_id", 0))
            elif row.user_id is not None:
                chat_id = self.topics.chat_of(row.user_id)
            else:
                continue
            by_chat.setdefault(chat_id, []).append(row)
        return by_chat

    async def _serve(self, bot: Bot, chat_id: int, rows: list[Row]) -> int:
        """One group's worker: one batch at a time, re-planned after each (a group under
        flood control sends one message every few seconds: an urgent hand-off queued
        meanwhile goes next, and a user's new messages join their pending ones)."""
        delivered = 0
        async with self._lock_of(chat_id):
            for _ in range(MAX_BATCHES):
                plan = batches(rows)
                if not plan:
                    break
                done = await self._deliver(bot, chat_id, plan[0])
                if done is None:
                    return delivered
                delivered += done
                rows = self._by_chat(staff_outbox.due(BATCH)).get(chat_id, [])
        return delivered

    async def _deliver(self, bot: Bot, chat_id: int, batch: Batch) -> int | None:
        """Send one batch; the rows delivered, or None when the group must pause."""
        with ExitStack() as stack:
            claims = [(row, stack.enter_context(staff_outbox.claim(row.id))) for row in batch.rows]
            held = [(row, claim) for row, claim in claims if claim is not None]
            if not held:
                return 0
            try:
                await self._send(bot, tuple(row for row, _ in held))
            except UserForgotten:
                return 0  # their rows went with them
            except Exception as exc:
                if classify(exc) == Verdict.PAUSE:
                    self._paused(chat_id, exc)
                    return None
                for row, claim in held:
                    await self._failed(bot, chat_id, row, claim, exc)
                return 0
            for _, claim in held:
                claim.delivered()
            if len(held) > 1:
                STAFF_COALESCED.inc(len(held) - 1)
            return len(held)

    async def _send(self, bot: Bot, rows: tuple[Row, ...]) -> None:
        first = rows[0]
        if first.kind is OutboxKind.STAFF_DELETE_TOPIC:
            await self._delete_topic(bot, first.payload)
        elif first.user_id is not None:
            payload = first.payload
            if len(rows) > 1:  # a user's messages piled up: one staff message (or a few)
                payload = {"text": "\n".join(str(row.payload.get("text", "")) for row in rows)}
            await self.handlers[first.kind](bot, first.user_id, payload)

    def _paused(self, chat_id: int, exc: Exception) -> None:
        if isinstance(exc, RetryAfter):
            seconds = retry_seconds(exc)
            self.gates.pause(chat_id, seconds)
            log.info("staff group %s rate-limited for %ss", chat_id, seconds)
        elif isinstance(exc, Forbidden):
            log.error("the bot cannot post in staff group %s: %s", chat_id, exc.message)
        else:
            log.warning("staff delivery to %s postponed: %s", chat_id, exc)

    async def _failed(
        self, bot: Bot, chat_id: int, row: Row, claim: staff_outbox.Claim, exc: Exception
    ) -> None:
        """Count the failure; a row parked now is announced in the staff group."""
        error = exc.message if isinstance(exc, TelegramError) else repr(exc)
        parked = claim.failed(error)
        count_staff_failure(row.kind.value, parked=parked)
        unexpected = None if isinstance(exc, TelegramError) else exc  # a bug: its traceback
        if not parked:
            log.warning(
                "staff row %s (%s) refused, retried later: %s",
                row.id,
                row.kind,
                error,
                exc_info=unexpected,
            )
            return
        log.error(
            "staff row %s (%s) parked after %s tries: %s",
            row.id,
            row.kind,
            row.attempts + 1,
            error,
        )
        try:
            await bot.send_message(
                chat_id, T.parked(row.kind.value, row.id, error), parse_mode=ParseMode.HTML
            )
        except TelegramError as notice_error:
            log.error("parking notice not sent: %s", notice_error)

    async def _delete_topic(self, bot: Bot, payload: dict[str, Any]) -> None:
        """A forgotten user's topic (their whole staff-side history) goes away."""
        try:
            await bot.delete_forum_topic(int(payload["chat_id"]), int(payload["thread_id"]))
        except BadRequest as exc:
            log.info("topic already gone: %s", exc.message)

    async def _user_message(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        for part in T.user_said_parts(str(payload.get("text", ""))):
            await self.topics.post(bot, user_id, part)

    async def _user_media(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        chat_id, message_id = int(payload["chat_id"]), int(payload["message_id"])
        await self.topics.copy_in(bot, user_id, chat_id, message_id)

    def _to(self, user_id: str, *, backups: bool = False) -> str:
        """Mentions of the coordinators to notify about the user."""
        return T.mentions(staff_outbox.to_mention(self.settings, user_id, backups=backups))

    async def _handoff_requested(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        await self.topics.refresh_card(bot, user_id)
        reason = staff_card.REASON_LABELS.get(str(payload.get("reason")), "demande d'aide")
        text = T.announcement(reason, urgent=bool(payload.get("urgent")), to=self._to(user_id))
        await self.topics.post(bot, user_id, text)

    async def _handoff_reannounce(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        minutes = int(payload.get("minutes", 0))
        text = T.reannouncement(minutes, to=self._to(user_id, backups=True))
        await self.topics.post(bot, user_id, text)

    async def _request_filed(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        await self.topics.refresh_card(bot, user_id)
        request_id = int(payload.get("request_id", 0))
        request = staff_outbox.request_summary(request_id)
        text = T.request_filed(request_id, request, to=self._to(user_id))
        await self.topics.post(bot, user_id, text)

    async def _request_reminder(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        await self.topics.refresh_card(bot, user_id)
        request_id = int(payload.get("request_id", 0))
        text = T.request_reminder(request_id, staff_outbox.request_summary(request_id))
        await self.topics.post(bot, user_id, text)

    async def _request_escalated(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        await self.topics.refresh_card(bot, user_id)
        request_id = int(payload.get("request_id", 0))
        request = staff_outbox.request_summary(request_id)
        text = T.request_escalated(request_id, request, to=self._to(user_id))
        await self.topics.post(bot, user_id, text)

    async def _report_due(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        """After a meeting: the report-back to record, with its one-tap button."""
        request_id = int(payload.get("request_id", 0))
        meeting = staff_outbox.meeting_summary(request_id)
        if meeting is not None and meeting.reported:
            return  # recorded meanwhile (`/demande N faite`): nothing to ask
        button = InlineKeyboardButton(
            T.REPORT_BUTTON, callback_data=T.REPORT_CALLBACK.format(id=request_id)
        )
        markup = InlineKeyboardMarkup([[button]])
        await self.topics.post(bot, user_id, T.report_due(request_id, meeting), markup=markup)

    async def _meeting_cancelled(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        """The user cancelled an accepted meeting: the ambassador or company is to be told."""
        await self.topics.refresh_card(bot, user_id)
        request_id = int(payload.get("request_id", 0))
        meeting = staff_outbox.meeting_summary(request_id)
        text = T.meeting_cancelled(request_id, meeting, to=self._to(user_id))
        await self.topics.post(bot, user_id, text)

    async def _card(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        """STAFF_CARD: something changed, the card says it."""
        await self.topics.refresh_card(bot, user_id)
