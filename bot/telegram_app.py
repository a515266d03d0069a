"""python-telegram-bot 22 front end: Telegram updates ↔ the dialogue pipeline.

Handlers are small async functions; their registration is one ordered table in
`build_application` (order matters: commands before text, private chats only).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseHandler,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import commands, texts
from bot.dialogue import Dialogue
from bot.notifier import (
    FORGET_SECONDS,
    INTERVAL_SECONDS,
    PENDING_SECONDS,
    PURGE_SECONDS,
    REANNOUNCE_SECONDS,
    STAFF_SECONDS,
    TICK_SECONDS,
    answer_pending,
    deliver_updates,
    finish_forgetting,
    purge_old_data,
    reannounce,
    request_deadlines,
    staff_flush,
)
from bot.ops_server import start_ops_server, stop_ops_server
from bot.rasa_client import RasaClient
from bot.staff_commands import staff_handlers
from bot.staff_relay import StaffRelay
from bot.telegram_io import Context, send_result
from bot.turn import message_key_for
from bot.web_server import WebServer
from parcours.services import staff_groups
from parcours.settings import Settings, get_settings

log = logging.getLogger(__name__)


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """Updates of different chats run concurrently; one chat's updates run one at a time, in
    the order Telegram delivered them (asyncio locks wake their waiters first in, first out)."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's previous updates, then process this one."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._queued[chat.id] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._queued[chat.id] -= 1
            if not self._queued[chat.id]:
                del self._queued[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


async def on_text(update: Update, context: Context) -> None:
    """A typed message (commands included) in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    context.staff.topics.first_names[str(user.id)] = user.first_name
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    key = message_key_for("tg", message.chat_id, message.message_id, message.edit_date)
    result = await context.dialogue.handle_text(str(user.id), message.text, key)
    await send_result(message.chat_id, result, context)
    await context.staff.flush(context.bot)


async def on_button(update: Update, context: Context) -> None:
    """An inline keyboard press; stale or forged data gets the menu, never an error."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    try:
        await query.answer()
    except BadRequest as exc:
        # Too old to answer (~15 s, e.g. pressed while the bot was restarting): the press
        # itself is still valid, so handle it instead of ending in the error notice.
        log.info("callback query not answered: %s", exc)
    data = query.data or ""
    payload = context.long_payloads.get(data, data) if data.startswith("#") else data
    key = message_key_for("tg-cb", query.id)
    context.staff.topics.first_names[str(user.id)] = user.first_name
    result = await context.dialogue.handle_button(str(user.id), payload, key)
    await send_result(query.message.chat.id, result, context)
    await context.staff.flush(context.bot)


async def on_media(update: Update, context: Context) -> None:
    """Photos, documents, voice, locations…: relayed to the coordinator while one holds the
    chat; otherwise a shared location sets the territory, and the rest gets a notice."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    user_id = str(user.id)
    context.staff.topics.first_names[user_id] = user.first_name
    held, register = context.dialogue.held_and_register(user_id)
    if held:
        context.dialogue.relay_media(user_id, message.chat_id, message.message_id)
        await context.staff.flush(context.bot)
        return
    if message.location is not None:
        await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
        key = message_key_for("tg", message.chat_id, message.message_id, message.edit_date)
        location = message.location
        result = await context.dialogue.handle_location(
            user_id, location.latitude, location.longitude, key
        )
        await send_result(message.chat_id, result, context)
        await context.staff.flush(context.bot)
        return
    notice = texts.CONTACT_NOTICE if message.contact is not None else texts.MEDIA_NOTICE
    await message.reply_text(texts.say(notice, register))


async def on_group(update: Update, context: Context) -> None:
    """The assistant works in private chats only (said in the sender's register)."""
    message, user = update.effective_message, update.effective_user
    if message is not None:
        register = context.dialogue.register_of(str(user.id)) if user is not None else "tu"
        await message.reply_text(texts.say(texts.GROUP_NOTICE, register))


def _register_or_default(context: Context, update: Update) -> str:
    """The user's register for the error notice; `tu` when it cannot be read (the error may
    be the database itself)."""
    user = update.effective_user
    if user is None:
        return "tu"
    try:
        return context.dialogue.register_of(str(user.id))
    except Exception:  # the notice is sent whatever failed
        log.warning("register unreadable for the error notice")
        return "tu"


async def on_error(update: object, context: Context) -> None:
    """Log, and tell the user something sensible; never a traceback."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            notice = texts.say(texts.INTERNAL_ERROR, _register_or_default(context, update))
            await context.bot.send_message(update.effective_chat.id, notice)
        except TelegramError:
            log.warning("could not send the error notice")


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Publish the command menu; start delivering request updates."""
    await application.bot.set_my_commands([BotCommand(n, d) for n, d in commands.MENU])
    settings: Settings = application.bot_data["dialogue"].settings
    if application.job_queue is not None and settings.bot_jobs:
        application.job_queue.run_repeating(
            deliver_updates, interval=INTERVAL_SECONDS, first=5, name="deliver_updates"
        )
        application.job_queue.run_repeating(
            answer_pending, interval=PENDING_SECONDS, first=2, name="answer_pending"
        )
        application.job_queue.run_repeating(
            request_deadlines, interval=TICK_SECONDS, first=60, name="request_deadlines"
        )
        application.job_queue.run_repeating(
            staff_flush, interval=STAFF_SECONDS, first=1, name="staff_flush"
        )
        application.job_queue.run_repeating(
            reannounce, interval=REANNOUNCE_SECONDS, first=30, name="reannounce"
        )
        application.job_queue.run_repeating(
            purge_old_data, interval=PURGE_SECONDS, first=300, name="purge_old_data"
        )
        application.job_queue.run_repeating(
            finish_forgetting, interval=FORGET_SECONDS, first=10, name="finish_forgetting"
        )
    await start_ops_server(application)
    await start_web(application, settings)


async def start_web(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> None:
    """The web chat beside Telegram: same dialogue (state, flood control), and its turns
    flush the staff relay as Telegram's do (a web hand-off opens a topic at once)."""
    relay: StaffRelay = application.bot_data["staff"]

    async def flush() -> None:
        await relay.flush(application.bot)

    server = WebServer(settings, application.bot_data["dialogue"], after_turn=flush)
    if await server.start(notices=settings.bot_jobs):
        application.bot_data["web"] = server


async def post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Let staff deliveries still running in the background end (or cancel them)."""
    relay: StaffRelay = application.bot_data["staff"]
    await relay.close()


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop the web chat and the health/metrics server; close the Rasa HTTP client."""
    web: WebServer | None = application.bot_data.pop("web", None)
    if web is not None:
        await web.stop()
    await stop_ops_server(application)
    dialogue: Dialogue = application.bot_data["dialogue"]
    await dialogue.rasa.aclose()


def build_application(settings: Settings) -> Application[Any, Any, Any, Any, Any, Any]:
    """The configured Application, handlers registered in order."""
    if not settings.telegram_token:
        raise ValueError("TELEGRAM_TOKEN is not set")
    builder = (
        Application.builder()
        .token(settings.telegram_token)
        .context_types(ContextTypes(context=Context))
        # Flood control (429 retry_after) is waited out and retried, not turned into an error;
        # TELEGRAM_RATE_LIMITER=false (benchmarks) keeps the retries but no throttling.
        .rate_limiter(
            AIORateLimiter(max_retries=3)
            if settings.telegram_rate_limiter
            else AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
        )
        .concurrent_updates(ChatOrderedUpdateProcessor())
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_file_base_url:
        builder = builder.base_file_url(settings.telegram_file_base_url)
    application = builder.build()
    rasa = RasaClient.from_settings(settings)
    application.bot_data["dialogue"] = Dialogue(rasa, settings)
    application.bot_data["staff"] = StaffRelay(settings, rasa)

    private = filters.ChatType.PRIVATE
    handlers: list[BaseHandler[Any, Any, Any]] = []
    if settings.staff_chat_id is not None:
        # 1. The coordinators' forum group: commands and replies to relay.
        groups = staff_groups.all_groups(settings.staff_chats, settings.staff_chat_id)
        handlers += staff_handlers(filters.Chat(chat_id=groups))
    handlers += [
        # 2. Any other group: one polite notice, nothing else.
        MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, on_group),
        # 3. Buttons, then text and commands (the dialogue parses commands itself).
        CallbackQueryHandler(on_button),
        MessageHandler(private & filters.TEXT, on_text),
        # 4. Anything else a user can send in private.
        MessageHandler(private & ~filters.TEXT, on_media),
    ]
    for handler in handlers:
        application.add_handler(handler)
    application.add_error_handler(on_error)
    return application


def run_telegram() -> None:
    """Run until interrupted: webhook when WEBHOOK_URL is set, else long polling."""
    settings = get_settings()
    application = build_application(settings)
    if settings.webhook_url:
        # Telegram POSTs updates to WEBHOOK_URL (HTTPS, via a reverse proxy) → this port.
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
