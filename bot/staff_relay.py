"""Staff side, outgoing: outbox rows → the user's forum topic in the coordinators' group.

Everything meant for coordinators is first written to the outbox (same transaction as the
state change), then delivered here in order, one handler per kind; a row is marked sent
only once Telegram took it, so a crash or a 5xx loses nothing. Topics and their pinned
cards: `bot/staff_topics.py`; texts: `bot/staff_texts.py`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import staff_texts as T
from bot.rasa_client import RasaClient
from bot.staff_topics import StaffTopics
from parcours.services import staff_card, staff_outbox
from parcours.services.outbox import OutboxKind
from parcours.settings import Settings

log = logging.getLogger(__name__)
BATCH = 50
#: Delivers one row about a user: (bot, user id, payload).
Handler = Callable[[Bot, str, dict[str, Any]], Awaitable[None]]


class StaffRelay:
    """Delivers staff outbox rows in order, each by the handler of its kind."""

    def __init__(self, settings: Settings, rasa: RasaClient) -> None:
        self.settings = settings
        self.topics = StaffTopics(settings, rasa)
        self._lock = asyncio.Lock()
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
        }

    async def flush(self, bot: Bot) -> int:
        """Deliver pending staff rows in order; stop at the first transient failure."""
        if self.settings.staff_chat_id is None:
            return 0
        async with self._lock:
            delivered = 0
            for row in staff_outbox.unsent(BATCH):
                # Claimed while it is sent: another bot replica (webhook mode) skips it.
                with staff_outbox.claim(row.id) as claim:
                    if claim is None:
                        continue  # sent meanwhile, or being sent by another replica
                    try:
                        if row.kind is OutboxKind.STAFF_DELETE_TOPIC:
                            await self._delete_topic(bot, row.payload)
                        elif row.user_id is not None:
                            await self.handlers[row.kind](bot, row.user_id, row.payload)
                    except Forbidden as exc:
                        log.error("the bot cannot post in the staff group: %s", exc.message)
                        return delivered
                    except TelegramError as exc:
                        log.warning("staff delivery postponed (%s): %s", row.kind, exc)
                        return delivered
                    claim.delivered()
                delivered += 1
            return delivered

    async def _delete_topic(self, bot: Bot, payload: dict[str, Any]) -> None:
        """A forgotten user's topic (their whole staff-side history) goes away."""
        try:
            await bot.delete_forum_topic(int(payload["chat_id"]), int(payload["thread_id"]))
        except BadRequest as exc:
            log.info("topic already gone: %s", exc.message)

    async def _user_message(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        await self.topics.post(bot, user_id, T.user_said(str(payload.get("text", ""))))

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

    async def _card(self, bot: Bot, user_id: str, payload: dict[str, Any]) -> None:
        """STAFF_CARD: something changed, the card says it."""
        await self.topics.refresh_card(bot, user_id)
