"""Sending to Telegram: the typed handler context, keyboards, long-text splitting."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import CallbackContext, ExtBot

from bot import texts
from bot.dialogue import Dialogue
from bot.render import Reply
from bot.staff_relay import StaffRelay
from bot.turn import TurnResult
from parcours.settings import Settings

MAX_MESSAGE = 4096
T = TypeVar("T")


def location_keyboard(register: str) -> ReplyKeyboardMarkup:
    """The "share my location" keyboard, its input hint in the user's register."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton("📍 Partager ma position", request_location=True)]],
        one_time_keyboard=True,
        resize_keyboard=True,
        input_field_placeholder=texts.say(texts.LOCATION_PLACEHOLDER, register),
    )


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Typed access to the services set up in `post_init`."""

    @property
    def dialogue(self) -> Dialogue:
        """The dialogue pipeline."""
        dialogue: Dialogue = self.application.bot_data["dialogue"]
        return dialogue

    @property
    def staff(self) -> StaffRelay:
        """Delivery to the coordinators' group."""
        relay: StaffRelay = self.application.bot_data["staff"]
        return relay

    @property
    def settings(self) -> Settings:
        """The process settings."""
        return self.dialogue.settings

    def now(self) -> datetime:
        """The time the periodic jobs go by: the real clock, unless the application was
        built with another one (`build_application(clock=…)`, the end-to-end tests)."""
        clock: Callable[[], datetime] | None = self.application.bot_data.get("clock")
        return clock() if clock is not None else datetime.now(UTC)

    @property
    def long_payloads(self) -> dict[str, str]:
        """Payloads longer than Telegram's 64-byte callback data, by short id."""
        table: dict[str, str] = self.application.bot_data.setdefault("long_payloads", {})
        return table


def callback_data(payload: str, context: Context) -> str:
    """Telegram callback data (≤ 64 bytes) for a payload."""
    if len(payload.encode()) <= 64:
        return payload
    short = "#" + hashlib.sha256(payload.encode()).hexdigest()[:20]
    context.long_payloads[short] = payload
    return short


def keyboard(reply: Reply, context: Context) -> InlineKeyboardMarkup | None:
    """Inline keyboard for a reply's buttons (URL buttons open links)."""
    rows = []
    for button in reply.buttons:
        if "url" in button:
            rows.append([InlineKeyboardButton(button["title"], url=button["url"])])
        else:
            data = callback_data(button["payload"], context)
            rows.append([InlineKeyboardButton(button["title"], callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def chunks(text: str, size: int = MAX_MESSAGE) -> list[str]:
    """Split long text on paragraph or line boundaries into Telegram-sized parts."""
    parts: list[str] = []
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size))
        cut = cut if cut > size // 2 else size
        parts.append(text[:cut])
        text = text[cut:].lstrip()
    return [*parts, text] if text else parts


async def with_retries(send: Callable[[], Awaitable[T]], attempts: int = 3) -> T:
    """Retry a send when Telegram answers 5xx or the network fails (429 is the rate
    limiter's job); a 4xx is final. A lost answer is worse than a rare duplicate."""
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except (BadRequest, Forbidden, RetryAfter):
            raise
        except NetworkError:
            if attempt == attempts:
                raise
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def send_result(chat_id: int, result: TurnResult, context: Context) -> None:
    """Send every reply bubble of a turn, buttons on the last part of each bubble."""
    for reply in result.replies:
        if reply.document is not None:
            name, content = reply.document
            document = InputFile(content, filename=name)
            send = partial(context.bot.send_document, chat_id, document, caption=reply.text[:1024])
            await with_retries(send)
            continue
        if reply.location:
            venue = reply.location
            send_venue = partial(
                context.bot.send_venue,
                chat_id,
                latitude=venue["latitude"],
                longitude=venue["longitude"],
                title=venue.get("title", "")[:256] or "Lieu",
                address=venue.get("address", "")[:256] or " ",
            )
            await with_retries(send_venue)
            continue
        parts = chunks(reply.text) or [" "]
        for index, part in enumerate(parts):
            markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
            if index == len(parts) - 1:
                markup = keyboard(reply, context)
                if markup is None and reply.ask_location:
                    markup = location_keyboard(result.register)
            await with_retries(
                partial(context.bot.send_message, chat_id, part, reply_markup=markup)
            )
