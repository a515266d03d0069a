"""JobQueue job: deliver request updates to users (the outbox survives restarts)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackContext

from bot import web_push
from bot.observability import count_bot_api_error
from bot.telegram_io import Context, send_result
from parcours.services import background

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30
PENDING_SECONDS = 10
TICK_SECONDS = 3600
STAFF_SECONDS = 5
PURGE_SECONDS = 24 * 3600
REANNOUNCE_SECONDS = 60
FORGET_SECONDS = 15


async def deliver_updates(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Send pending notices; a blocked or unknown chat is not retried forever."""
    notices = background.user_notices()
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
        background.notices_sent(done)


async def answer_pending(context: Context) -> None:
    """Messages kept while Rasa was down: answer them now (Telegram and web users)."""
    if not await context.dialogue.rasa.is_ready():
        return
    for user_id, result in await context.dialogue.retry_pending():
        if user_id.isdigit():
            await send_result(int(user_id), result, context)
        elif web_push.is_web_user(user_id):
            web_push.tell(user_id, result.replies)


async def request_deadlines(context: Context) -> None:
    """Hourly: reminders before a request's deadline, expiry and escalation after it."""
    counts = background.request_deadlines(datetime.now(UTC))
    if any(counts.values()):
        log.info("request deadlines: %s", counts)


async def staff_flush(context: Context) -> None:
    """Retry staff deliveries that failed (the handlers flush right after each turn)."""
    await context.staff.flush(context.bot)


async def reannounce(context: Context) -> None:
    """A waiting chat nobody took in time is announced again, to the backup coordinators."""
    settings = context.settings
    now = datetime.now(UTC)
    if settings.staff_chat_id is None or not settings.hours.is_open(now):
        return
    background.reannounce_waiting(now=now, minutes=settings.handoff_reannounce_minutes)
    await context.staff.flush(context.bot)


async def purge_old_data(context: Context) -> None:
    """Daily: forget what is older than RETENTION_DAYS (forgotten users' topics are queued
    for deletion in the outbox, so a failed Telegram call is retried)."""
    counts = background.purge(context.settings, now=datetime.now(UTC))
    log.info("retention purge: %s", counts)
    await context.staff.flush(context.bot)


async def finish_forgetting(context: Context) -> None:
    """Every few seconds: the second deletion of users forgotten long enough ago that no
    turn of theirs can still be in flight (`parcours.services.forgetting`)."""
    done = background.finish_forgetting(context.settings, now=datetime.now(UTC))
    if done:
        log.info("forgetting finished for %d user(s)", done)
        await context.staff.flush(context.bot)  # their staff topics, queued for deletion
