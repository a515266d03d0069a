"""JobQueue job: deliver request updates to users (the outbox survives restarts)."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackContext

from bot.observability import count_bot_api_error
from bot.telegram_io import Context, send_result
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import OutboxMessage
from parcours.services import contact_requests, handoff, notifications, retention

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30
PENDING_SECONDS = 10
TICK_SECONDS = 3600
STAFF_SECONDS = 5
PURGE_SECONDS = 24 * 3600
REANNOUNCE_SECONDS = 60


async def deliver_updates(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Send pending notices; a blocked or unknown chat is not retried forever."""
    with session_scope() as session:
        notices = notifications.pending(session)
    done: list[int] = []
    for notice in notices:
        try:
            await context.bot.send_message(notice.chat_id, notice.text)
        except (Forbidden, BadRequest) as exc:
            count_bot_api_error(exc)
            log.info("notice %s not deliverable: %s", notice.outbox_id, exc.__class__.__name__)
        except TelegramError as exc:
            count_bot_api_error(exc)
            continue  # network or flood: retried at the next run
        done.append(notice.outbox_id)
    if done:
        with session_scope() as session:
            notifications.mark_sent(session, outbox_ids=done)


async def answer_pending(context: Context) -> None:
    """Messages kept while Rasa was down: answer them now (Telegram users only)."""
    if not await context.dialogue.rasa.is_ready():
        return
    for user_id, result in await context.dialogue.retry_pending():
        if user_id.isdigit():
            await send_result(int(user_id), result, context)


async def request_deadlines(context: Context) -> None:
    """Hourly: reminders before a request's deadline, expiry and escalation after it."""
    with session_scope() as session:
        counts = contact_requests.tick(session, now=utcnow())
    if any(counts.values()):
        log.info("request deadlines: %s", counts)


async def staff_flush(context: Context) -> None:
    """Retry staff deliveries that failed (the handlers flush right after each turn)."""
    await context.staff.flush(context.bot)


async def reannounce(context: Context) -> None:
    """A waiting chat nobody took in time is announced again, to the backup coordinators."""
    settings = context.settings
    now = utcnow()
    if settings.staff_chat_id is None or not settings.hours.is_open(now):
        return
    minutes = settings.handoff_reannounce_minutes
    with session_scope() as session:
        for episode in handoff.due_for_reannounce(session, now=now, minutes=minutes):
            episode.reannounced_at = now
            session.add(
                OutboxMessage(
                    user_id=episode.user_id,
                    kind="handoff_reannounce",
                    payload={"minutes": int((now - episode.created_at).total_seconds() // 60)},
                )
            )
    await context.staff.flush(context.bot)


async def purge_old_data(context: Context) -> None:
    """Daily: forget what is older than RETENTION_DAYS (forgotten users' topics are queued
    for deletion in the outbox, so a failed Telegram call is retried)."""
    with session_scope() as session:
        result = retention.purge(session, context.settings, now=utcnow())
    log.info("retention purge: %s", result.counts())
    await context.staff.flush(context.bot)
