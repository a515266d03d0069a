"""The bot's periodic jobs (JobQueue): user and staff outbox delivery, request deadlines,
meetings' reminders and follow-ups, re-announcements, retention purge, forgetting."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot import user_delivery, web_push
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


async def deliver_updates(context: Context) -> None:
    """Send what users are to be told (request updates, calendar files, reminders,
    follow-ups): `bot/user_delivery.py`."""
    await user_delivery.flush(context)


async def meeting_messages(context: Context) -> None:
    """Every MEETING_CHECK_SECONDS: queue the meetings' reminders and follow-ups that are
    due (once, whatever the replicas and restarts), then deliver them."""
    counts = background.meeting_messages(context.settings, now=context.now())
    if any(counts.values()):
        log.info("meeting messages: %s", counts)
        await user_delivery.flush(context)
        await context.staff.flush(context.bot)


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
