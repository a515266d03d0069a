"""Users' forum topics in the coordinators' groups: created on first need in the group of the
user's territory (STAFF_CHATS, else STAFF_CHAT_ID), each with a pinned summary card edited
rather than reposted (a group allows ~20 messages per minute); /transferer moves a topic.

A topic deleted by hand is recreated once; the mapping lives in the database
(`parcours.services.staff_outbox`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.rasa_client import RasaClient
from parcours.services import staff_card, staff_outbox
from parcours.services.staff_outbox import Topic
from parcours.services.web_transcript import is_web_user
from parcours.settings import Settings

log = logging.getLogger(__name__)


class UserForgotten(Exception):
    """The user was forgotten while something about them was being delivered."""


def thread_gone(exc: TelegramError) -> bool:
    """The topic was deleted by hand (Telegram: 'message thread not found')."""
    return isinstance(exc, BadRequest) and "thread not found" in exc.message.lower()


class StaffTopics:
    """Posts in users' topics and keeps their cards up to date."""

    def __init__(self, settings: Settings, rasa: RasaClient) -> None:
        self.settings = settings
        self.rasa = rasa
        #: First names seen in private chats (names topics without a getChat call).
        self.first_names: dict[str, str] = {}

    def chat_of(self, user_id: str) -> int:
        """The staff group the user's rows go to: their topic's, else their territory's."""
        found = staff_outbox.topic(user_id)
        if found is not None:
            return found.chat_id
        chat_id = staff_outbox.group_of(self.settings, user_id)
        assert chat_id is not None, "only used when STAFF_CHAT_ID is set"
        return chat_id

    async def ensure_topic(self, bot: Bot, user_id: str) -> Topic:
        """The user's topic, created (with its pinned card) on first need, in the staff group
        of their territory."""
        found = staff_outbox.topic(user_id)
        if found is not None:
            return found
        chat_id = self.chat_of(user_id)
        name = staff_outbox.topic_name(user_id, await self._first_name(bot, user_id))
        created = await bot.create_forum_topic(chat_id, name)
        thread_id = created.message_thread_id
        if not staff_outbox.save_topic(user_id, chat_id=chat_id, thread_id=thread_id, name=name):
            # Forgotten (/oubli) while the topic was being created: it must not stay.
            await bot.delete_forum_topic(chat_id, thread_id)
            raise UserForgotten(user_id)
        await self.refresh_card(bot, user_id, fresh=True)
        found = staff_outbox.topic(user_id)
        if found is None:  # forgotten after: /oubli queued the topic's deletion
            raise UserForgotten(user_id)
        return found

    async def move(self, bot: Bot, user_id: str, chat_id: int) -> Topic | None:
        """Open the user's topic in another staff group (/transferer), with its card; the old
        topic stays for its history. None when the topic is already in that group."""
        found = await self.ensure_topic(bot, user_id)
        if found.chat_id == chat_id:
            return None
        created = await bot.create_forum_topic(chat_id, found.name)
        staff_outbox.move_topic(
            user_id, chat_id=chat_id, thread_id=created.message_thread_id, name=found.name
        )
        await self.refresh_card(bot, user_id, fresh=True)
        return found

    async def post(self, bot: Bot, user_id: str, html: str) -> None:
        """Send an HTML message in the user's topic."""
        await self._in_topic(
            bot,
            user_id,
            lambda chat, thread: bot.send_message(
                chat, html, message_thread_id=thread, parse_mode=ParseMode.HTML
            ),
        )

    async def copy_in(self, bot: Bot, user_id: str, from_chat: int, message_id: int) -> None:
        """Copy a user's photo, document… into their topic."""
        try:
            await self._in_topic(
                bot,
                user_id,
                lambda chat, thread: bot.copy_message(
                    chat, from_chat, message_id, message_thread_id=thread
                ),
            )
        except BadRequest as exc:
            if "not found" not in exc.message.lower():
                raise
            # the user deleted it meanwhile (or the topic vanished twice): nothing to relay

    async def refresh_card(self, bot: Bot, user_id: str, *, fresh: bool = False) -> None:
        """Edit the pinned card if its content changed (post and pin it if missing)."""
        if self.settings.staff_chat_id is None:
            return
        if not fresh:
            await self.ensure_topic(bot, user_id)
        update = staff_outbox.card_update(self.settings, user_id, await self._exchanges(user_id))
        if update is None:
            return
        text = update.text
        if update.card_message_id is not None:
            try:
                await bot.edit_message_text(
                    text, update.chat_id, update.card_message_id, parse_mode=ParseMode.HTML
                )
                staff_outbox.store_card(user_id, update.card_message_id, text)
                return
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    staff_outbox.store_card(user_id, update.card_message_id, text)
                    return
                if "not found" not in exc.message.lower():
                    raise
        try:
            sent = await bot.send_message(
                update.chat_id, text, message_thread_id=update.thread_id, parse_mode=ParseMode.HTML
            )
        except BadRequest as exc:
            if not thread_gone(exc):
                raise
            staff_outbox.forget_topic(user_id)
            await self.ensure_topic(bot, user_id)
            return
        staff_outbox.store_card(user_id, sent.message_id, text)
        try:
            await bot.pin_chat_message(update.chat_id, sent.message_id, disable_notification=True)
        except BadRequest as exc:
            log.warning("card not pinned: %s", exc.message)

    async def _in_topic(
        self, bot: Bot, user_id: str, send: Callable[[int, int], Awaitable[object]]
    ) -> None:
        """Run `send(chat_id, thread_id)` in the user's topic, recreating a deleted topic once."""
        for attempt in (1, 2):
            topic = await self.ensure_topic(bot, user_id)
            try:
                await send(topic.chat_id, topic.thread_id)
                return
            except BadRequest as exc:
                if not thread_gone(exc) or attempt == 2:
                    raise
                staff_outbox.forget_topic(user_id)

    async def _first_name(self, bot: Bot, user_id: str) -> str:
        if user_id in self.first_names:
            return self.first_names[user_id]
        if user_id.isdigit():
            try:
                chat = await bot.get_chat(int(user_id))
                if chat.first_name:
                    return chat.first_name
            except TelegramError:
                pass
        if is_web_user(user_id):
            return f"Web {user_id[-4:]}"  # the web chat is anonymous: no name to show
        return f"Utilisateur {user_id[-4:]}"

    async def _exchanges(self, user_id: str) -> list[staff_card.Exchange]:
        try:
            tracker = await self.rasa.tracker(user_id)
        except Exception as exc:  # the card is best effort: Rasa may be down
            log.info("no tracker for the card: %s", exc.__class__.__name__)
            return []
        return staff_card.exchanges_from_events(list(tracker.get("events") or []))
