"""JobQueue job: deliver request updates to users (the outbox survives restarts)."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackContext

from bot.telegram_io import Context, send_result
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.services import contact_requests, notifications

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30
PENDING_SECONDS = 10
TICK_SECONDS = 3600


async def deliver_updates(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Send pending notices; a blocked or unknown chat is not retried forever."""
    with session_scope() as session:
        notices = notifications.pending(session)
    done: list[int] = []
    for notice in notices:
        try:
            await context.bot.send_message(notice.chat_id, notice.text)
        except (Forbidden, BadRequest) as exc:
            log.info("notice %s not deliverable: %s", notice.outbox_id, exc.__class__.__name__)
        except TelegramError:
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
