"""Outbox rows for Telegram users: request updates, calendar files, reminders, follow-ups.

`parcours.services.user_outbox` says what each row tells (text, buttons, a document); this
sends it. Each row is claimed while it is sent (several replicas never send it twice) and
marked sent once Telegram took it; a blocked or unknown chat is marked too (never retried),
a network error or flood control leaves it for the next run. One flush at a time per process.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.observability import count_bot_api_error
from bot.render import Reply
from bot.telegram_io import Context, send_result
from bot.turn import TurnResult
from parcours.services import user_outbox
from parcours.services.user_outbox import UserMessage

log = logging.getLogger(__name__)
BATCH = 50
_LOCK_KEY = "user_delivery_lock"


def _reply(message: UserMessage) -> Reply:
    document = message.document
    return Reply(
        message.text,
        list(message.buttons),
        document=(document.filename, document.content) if document is not None else None,
    )


async def flush(context: Context) -> int:
    """Deliver the due user rows, oldest first; how many Telegram took."""
    lock: asyncio.Lock = context.application.bot_data.setdefault(_LOCK_KEY, asyncio.Lock())
    if lock.locked():
        return 0  # another flush of this process is at it
    delivered = 0
    async with lock:
        for message in user_outbox.due("telegram", limit=BATCH):
            with user_outbox.claim(message.outbox_id) as claim:
                if claim is None:
                    continue
                try:
                    await send_result(int(message.user_id), TurnResult([_reply(message)]), context)
                except (Forbidden, BadRequest) as exc:
                    count_bot_api_error(exc)
                    log.info(
                        "user row %s not deliverable: %s", message.outbox_id, type(exc).__name__
                    )
                    claim.undeliverable()
                    continue
                except TelegramError as exc:
                    count_bot_api_error(exc)
                    log.info("user row %s postponed: %s", message.outbox_id, type(exc).__name__)
                    return delivered  # network or flood control: the next run goes on
                claim.delivered()
                delivered += 1
    return delivered
