"""Staff side, outgoing: outbox rows → the user's forum topic in the coordinators' group.

Everything meant for coordinators is first written to the outbox (same transaction as the
state change), then delivered here in order; a row is marked sent only once Telegram took
it, so a crash or a 5xx loses nothing. One topic per user, with a pinned summary card that
is edited rather than reposted (the group allows ~20 messages per minute).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from sqlalchemy import select
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.rasa_client import RasaClient
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import ContactRequest, OutboxMessage, StaffTopic, User
from parcours.services import routing, staff_card
from parcours.settings import Settings

log = logging.getLogger(__name__)

#: Outbox kinds delivered to the staff group (the others are for users).
STAFF_KINDS = (
    "handoff_requested",
    "user_message",
    "user_media",
    "request_filed",
    "request_reminder",
    "request_escalated",
    "handoff_reannounce",
    "staff_card",
    "staff_delete_topic",
)
BATCH = 50


def mention(telegram_id: int, name: str) -> str:
    """An HTML mention that notifies the coordinator."""
    return f'<a href="tg://user?id={telegram_id}">{escape(name)}</a>'


def thread_gone(exc: TelegramError) -> bool:
    """The topic was deleted by hand (Telegram: 'message thread not found')."""
    return isinstance(exc, BadRequest) and "thread not found" in exc.message.lower()


@dataclass
class Topic:
    """Where a user's staff conversation lives."""

    thread_id: int
    card_message_id: int | None
    card_text: str | None


class StaffRelay:
    """Delivers staff outbox rows; owns the user ↔ topic mapping."""

    def __init__(self, settings: Settings, rasa: RasaClient) -> None:
        self.settings = settings
        self.rasa = rasa
        self.first_names: dict[str, str] = {}
        self._lock = asyncio.Lock()

    @property
    def chat_id(self) -> int | None:
        """The coordinators' forum supergroup, if configured."""
        return self.settings.staff_chat_id

    async def flush(self, bot: Bot) -> int:
        """Deliver pending staff rows in order; stop at the first transient failure."""
        if self.chat_id is None:
            return 0
        async with self._lock:
            with session_scope() as session:
                rows = [
                    (row.id, row.user_id, row.kind, dict(row.payload))
                    for row in session.scalars(
                        select(OutboxMessage)
                        .where(
                            OutboxMessage.kind.in_(STAFF_KINDS), OutboxMessage.sent_at.is_(None)
                        )
                        .order_by(OutboxMessage.id)
                        .limit(BATCH)
                    )
                ]
            delivered = 0
            for row_id, user_id, kind, payload in rows:
                # Claimed while it is sent: another bot replica (webhook mode) skips it.
                with session_scope() as claim:
                    row = claim.scalars(
                        select(OutboxMessage)
                        .where(OutboxMessage.id == row_id, OutboxMessage.sent_at.is_(None))
                        .with_for_update(skip_locked=True)
                    ).first()
                    if row is None:
                        continue  # sent meanwhile, or being sent by another replica
                    try:
                        if kind == "staff_delete_topic":
                            await self._delete_topic(bot, payload)
                        elif user_id is not None:
                            await self._deliver(bot, user_id, kind, payload)
                    except Forbidden as exc:
                        log.error("the bot cannot post in the staff group: %s", exc.message)
                        return delivered
                    except TelegramError as exc:
                        log.warning("staff delivery postponed (%s): %s", kind, exc)
                        return delivered
                    row.sent_at = utcnow()
                delivered += 1
            return delivered

    async def _deliver(self, bot: Bot, user_id: str, kind: str, payload: dict[str, Any]) -> None:
        if kind == "user_message":
            await self.post(bot, user_id, f"👤 {escape(str(payload.get('text', '')))}")
        elif kind == "user_media":
            await self._copy_in(bot, user_id, int(payload["chat_id"]), int(payload["message_id"]))
        elif kind == "handoff_requested":
            await self.refresh_card(bot, user_id)
            await self.post(bot, user_id, self._announcement(user_id, payload))
        elif kind == "handoff_reannounce":
            minutes = int(payload.get("minutes", 0))
            await self.post(
                bot,
                user_id,
                f"⏳ Toujours en attente après {minutes} min. "
                f"{self._mentions(user_id, backups=True)}, "
                "pouvez-vous prendre le relais ? /prendre",
            )
        elif kind.startswith("request_"):
            await self.refresh_card(bot, user_id)
            await self.post(bot, user_id, self._request_notice(user_id, kind, payload))
        else:  # staff_card: something changed, the card says it
            await self.refresh_card(bot, user_id)

    # -- topics ---------------------------------------------------------------------------

    async def _delete_topic(self, bot: Bot, payload: dict[str, Any]) -> None:
        """A forgotten user's topic (their whole staff-side history) goes away."""
        try:
            await bot.delete_forum_topic(int(payload["chat_id"]), int(payload["thread_id"]))
        except BadRequest as exc:
            log.info("topic already gone: %s", exc.message)

    async def ensure_topic(self, bot: Bot, user_id: str) -> Topic:
        """The user's topic, created (with its pinned card) on first need."""
        with session_scope() as session:
            row = session.get(StaffTopic, user_id)
            if row is not None:
                return Topic(row.thread_id, row.card_message_id, row.card_text)
            user = session.get(User, user_id)
            name = staff_card.topic_name(
                await self._first_name(bot, user_id), session, user.town_code if user else None
            )
        assert self.chat_id is not None
        topic = await bot.create_forum_topic(self.chat_id, name)
        with session_scope() as session:
            session.merge(
                StaffTopic(
                    user_id=user_id,
                    chat_id=self.chat_id,
                    thread_id=topic.message_thread_id,
                    name=name,
                )
            )
        await self.refresh_card(bot, user_id, fresh=True)
        with session_scope() as session:
            row = session.get(StaffTopic, user_id)
            assert row is not None
            return Topic(row.thread_id, row.card_message_id, row.card_text)

    def forget_topic(self, user_id: str) -> None:
        """Drop the mapping of a topic deleted by hand; the next message recreates it."""
        with session_scope() as session:
            row = session.get(StaffTopic, user_id)
            if row is not None:
                session.delete(row)

    async def _in_topic(
        self, bot: Bot, user_id: str, send: Callable[[int, int], Awaitable[object]]
    ) -> None:
        """Run `send(chat_id, thread_id)` in the user's topic, recreating a deleted topic once."""
        assert self.chat_id is not None
        for attempt in (1, 2):
            topic = await self.ensure_topic(bot, user_id)
            try:
                await send(self.chat_id, topic.thread_id)
                return
            except BadRequest as exc:
                if not thread_gone(exc) or attempt == 2:
                    raise
                self.forget_topic(user_id)

    async def post(self, bot: Bot, user_id: str, html: str) -> None:
        """Send an HTML message in the user's topic."""
        await self._in_topic(
            bot,
            user_id,
            lambda chat, thread: bot.send_message(
                chat, html, message_thread_id=thread, parse_mode=ParseMode.HTML
            ),
        )

    async def _copy_in(self, bot: Bot, user_id: str, from_chat: int, message_id: int) -> None:
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
        if self.chat_id is None:
            return
        if not fresh:
            await self.ensure_topic(bot, user_id)
        exchanges = await self._exchanges(user_id)
        with session_scope() as session:
            row = session.get(StaffTopic, user_id)
            if row is None:
                return
            text = staff_card.card_text(
                session,
                self.settings,
                user_id=user_id,
                first_name=row.name.split(" · ")[0],
                exchanges=exchanges,
                now=utcnow(),
            )
            if row.card_text == text and row.card_message_id is not None:
                return
            thread_id, card_id = row.thread_id, row.card_message_id
        if card_id is not None:
            try:
                await bot.edit_message_text(text, self.chat_id, card_id, parse_mode=ParseMode.HTML)
                self._store_card(user_id, card_id, text)
                return
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    self._store_card(user_id, card_id, text)
                    return
                if "not found" not in exc.message.lower():
                    raise
        try:
            sent = await bot.send_message(
                self.chat_id, text, message_thread_id=thread_id, parse_mode=ParseMode.HTML
            )
        except BadRequest as exc:
            if not thread_gone(exc):
                raise
            self.forget_topic(user_id)
            await self.ensure_topic(bot, user_id)
            return
        self._store_card(user_id, sent.message_id, text)
        try:
            await bot.pin_chat_message(self.chat_id, sent.message_id, disable_notification=True)
        except BadRequest as exc:
            log.warning("card not pinned: %s", exc.message)

    def _store_card(self, user_id: str, message_id: int, text: str) -> None:
        with session_scope() as session:
            row = session.get(StaffTopic, user_id)
            if row is not None:
                row.card_message_id, row.card_text = message_id, text

    # -- texts ----------------------------------------------------------------------------

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
        return f"Utilisateur {user_id[-4:]}"

    async def _exchanges(self, user_id: str) -> list[staff_card.Exchange]:
        try:
            tracker = await self.rasa.tracker(user_id)
        except Exception as exc:  # the card is best effort: Rasa may be down
            log.info("no tracker for the card: %s", exc.__class__.__name__)
            return []
        return staff_card.exchanges_from_events(list(tracker.get("events") or []))

    def _mentions(self, user_id: str, *, backups: bool = False) -> str:
        with session_scope() as session:
            user = session.get(User, user_id)
            route = routing.route_user(
                session, self.settings, town_code=user.town_code if user else None
            )
        people = route.backups if backups else route.targets
        return ", ".join(mention(c.telegram_id, c.name) for c in people) or "l'équipe"

    def _announcement(self, user_id: str, payload: dict[str, Any]) -> str:
        urgent = bool(payload.get("urgent"))
        reason = staff_card.REASON_LABELS.get(str(payload.get("reason")), "demande d'aide")
        head = "🚨 <b>URGENT</b> — " if urgent else "🙋 "
        return (
            f"{head}Nouvelle demande : {escape(reason)}.\n"
            f"{self._mentions(user_id)} : /prendre pour répondre."
        )

    def _request_notice(self, user_id: str, kind: str, payload: dict[str, Any]) -> str:
        request_id = int(payload.get("request_id", 0))
        with session_scope() as session:
            request = session.get(ContactRequest, request_id)
            summary = (
                f"« {escape(request.message[:300])} » (disponibilités : "
                f"{escape(request.availability or 'non précisées')})"
                if request
                else ""
            )
            target = escape(request.target_key) if request else "?"
            due = f"{request.due_at:%d/%m/%Y}" if request else "?"
        answer = (
            f"/demande {request_id} acceptee JJ/MM/AAAA message · /demande {request_id} refusee"
        )
        if kind == "request_filed":
            return (
                f"📨 Demande de contact n°{request_id} pour {target}, réponse attendue avant "
                f"le {due} : {summary}\nÀ transmettre. {self._mentions(user_id)}\n{answer}"
            )
        if kind == "request_reminder":
            return (
                f"⏰ Rappel : la demande n°{request_id} ({target}) attend une réponse "
                f"avant le {due}.\n{answer}"
            )
        return (
            f"⚠️ Demande n°{request_id} ({target}) sans réponse dans le délai : à reprendre. "
            f"{self._mentions(user_id)}"
        )
