"""Staff side, incoming: coordinators' commands and replies in the staff forum group.

In a user's topic: /prendre, /rendre, /clore, /note, /transferer, and plain messages (text,
photos, documents) relayed to the user while a coordinator holds the chat. Anywhere in the
group: /attente, /absent, /present, /demande, /retour, /stats; any other command gets the
list. The "Retour reçu" button under a report-back line records it too (`bot/staff_meetings.py`).
Only coordinators listed in the `coordinators` table or the COORDINATORS setting can act.
Each command is a PTB `CommandHandler` (`staff_handlers`); its argument is the text after it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from html import escape
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import staff_texts as T
from bot import texts, user_delivery, web_push
from bot.rasa_client import RasaUnavailableError
from bot.render import Reply, render_messages
from bot.staff_meetings import leading_date, leading_time, meeting_place
from bot.telegram_io import Context, send_result
from bot.turn import TurnResult
from parcours import regions
from parcours.services import conversations, staff_desk
from parcours.services.contact_requests import RequestError
from parcours.services.conversations import HandoffState

log = logging.getLogger(__name__)
#: A command: (message, context, user id of the topic or sender's id, argument) → answer.
Handler = Callable[[Message, Context, str, str], Awaitable[str | None]]
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]
_REQUEST_RE = re.compile(r"^(?P<id>\d+)\s+(?P<verb>\S+)\s*(?P<rest>.*)$", re.S)


def staff_handlers(staff_chat: filters.BaseFilter) -> list[BaseHandler[Update, Context, None]]:
    """The staff group's handlers, in order: its commands, any other command (the list),
    then replies to relay."""
    handlers: list[BaseHandler[Update, Context, None]] = [
        CommandHandler(name, _command(handler, in_topic=True), filters=staff_chat)
        for name, handler in TOPIC_COMMANDS.items()
    ]
    handlers += [
        CommandHandler(name, _command(handler, in_topic=False), filters=staff_chat)
        for name, handler in GROUP_COMMANDS.items()
    ]
    handlers += [
        MessageHandler(staff_chat & filters.COMMAND, _command(_help, in_topic=False)),
        MessageHandler(staff_chat & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_reply),
    ]
    return handlers


def _coordinator(update: Update, context: Context) -> tuple[Message, int] | None:
    """The message and its sender's id, when a person (not a bot) sent it."""
    message, sender = update.effective_message, update.effective_user
    if message is None or sender is None or sender.is_bot:
        return None
    return message, sender.id


def _command(handler: Handler, *, in_topic: bool) -> Callback:
    """A PTB callback that checks the sender (and the topic), then answers in the group."""

    async def callback(update: Update, context: Context) -> None:
        found = _coordinator(update, context)
        if found is None:
            return
        message, sender = found
        if not staff_desk.is_coordinator(context.settings, sender):
            await _reply(message, regions.fill(T.NOT_COORDINATOR))
            return
        text, entities = message.text or "", message.entities
        arg = text[entities[0].length :].strip() if entities else ""
        if in_topic:
            user_id = _topic_owner(message)
            if user_id is None:
                await _reply(
                    message, T.IN_A_TOPIC if not message.is_topic_message else T.UNKNOWN_TOPIC
                )
                return
            answer = await handler(message, context, user_id, arg)
        else:
            answer = await handler(message, context, str(sender), arg)
        if answer:
            await _reply(message, answer)

    return callback


async def on_reply(update: Update, context: Context) -> None:
    """A coordinator's text, photo or document in a topic → the user, if they hold it."""
    found = _coordinator(update, context)
    if found is None:
        return
    message, sender = found
    if not message.is_topic_message or not staff_desk.is_coordinator(context.settings, sender):
        return
    user_id = _topic_owner(message)
    if user_id is None:
        return
    if not staff_desk.is_held_by_human(user_id):
        await _reply(message, T.TAKE_FIRST)
        return
    if web_push.is_web_user(user_id):  # the web chat shows text only
        said = message.text or message.caption
        if said:
            web_push.tell_text(user_id, said)
        if message.text is None:
            await _reply(message, T.WEB_TEXT_ONLY)
        return
    if not user_id.isdigit():
        return
    try:
        await context.bot.copy_message(int(user_id), message.chat_id, message.message_id)
    except (Forbidden, BadRequest) as exc:
        log.info("coordinator message not delivered: %s", exc.__class__.__name__)
        await _reply(message, T.USER_BLOCKED)


def _topic_owner(message: Message) -> str | None:
    if not message.is_topic_message or message.message_thread_id is None:
        return None
    return staff_desk.topic_owner(message.chat_id, message.message_thread_id)


async def _reply(message: Message, html: str) -> None:
    await message.reply_text(html, parse_mode=ParseMode.HTML, do_quote=False)


def _actor(message: Message) -> str:
    return f"coordinator:{message.from_user.id if message.from_user else 0}"


async def _tell_user(context: Context, user_id: str, replies: list[Reply]) -> bool:
    """Send to the user's private chat, or their web chat (replay/terminal users have
    none)."""
    if web_push.is_web_user(user_id):
        web_push.tell(user_id, replies)
        return True
    if not user_id.isdigit():
        return True
    try:
        await send_result(int(user_id), TurnResult(replies), context)
    except Forbidden:
        return False
    return True


async def _card_changed(context: Context, user_id: str) -> None:
    """Refresh the card (queued, so delivered in order with the other staff messages)."""
    staff_desk.card_changed(user_id)
    await context.staff.flush(context.bot)


async def _after_change(context: Context, user_id: str, replies: list[Reply]) -> None:
    """Tell the user, then refresh the card."""
    await _tell_user(context, user_id, replies)
    await _card_changed(context, user_id)


# -- commands in a user's topic -------------------------------------------------------------


async def _take(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    coordinator = message.from_user
    assert coordinator is not None
    joined = staff_desk.take(user_id, coordinator.id)
    register = conversations.register_of(user_id)
    replies = [Reply(regions.fill(texts.COORDINATOR_JOINED[register]))] if joined else []
    await _after_change(context, user_id, replies)
    return T.TAKEN.format(name=escape(coordinator.first_name))


async def _hand_back(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not staff_desk.end_episode(user_id, HandoffState.BOT, actor=_actor(message)):
        return T.NOT_HELD
    try:
        replies = render_messages(
            await context.dialogue.rasa.trigger_intent(user_id, "EXTERNAL_handback")
        )
    except RasaUnavailableError:
        replies = []
    register = conversations.register_of(user_id)
    await _after_change(context, user_id, replies or [Reply(texts.HANDED_BACK[register])])
    return T.HANDED_BACK


async def _close(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not staff_desk.end_episode(user_id, HandoffState.CLOSED, actor=_actor(message)):
        return T.NOT_HELD
    text = texts.CLOSED[conversations.register_of(user_id)]
    await _after_change(context, user_id, [Reply(text, buttons=texts.SATISFACTION_BUTTONS)])
    return T.CLOSED


async def _note(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not arg:
        return T.NOTE_EMPTY
    author = message.from_user.id if message.from_user else 0
    if not staff_desk.add_note(user_id, author, arg):
        return T.NOTE_NO_EPISODE
    await _card_changed(context, user_id)
    return None  # the note is visible in the topic already; the card counts it


async def _transfer(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not arg:
        return T.TRANSFER_USAGE
    moved = staff_desk.transfer(context.settings, user_id, arg, actor=_actor(message))
    if moved.target is None:
        return escape(moved.help)
    if not moved.moved:
        return T.NOT_HELD
    register = conversations.register_of(user_id)
    await _after_change(context, user_id, [Reply(texts.TRANSFERRED[register])])
    label = escape(moved.target.label)
    notice = T.TRANSFERRED.format(label=label, mentions=T.mentions(moved.target.coordinators))
    if moved.chat_id is None:
        return notice
    old = await context.staff.topics.move(context.bot, user_id, moved.chat_id)
    if old is None:
        return notice  # the territory's group is this one
    await context.staff.topics.post(context.bot, user_id, notice)
    return T.MOVED_GROUP.format(label=label)


# -- commands anywhere in the group ---------------------------------------------------------


async def _request(message: Message, context: Context, sender: str, arg: str) -> str | None:
    """/demande N acceptee [JJ/MM/AAAA] [14h30] [lieu : … ;] [message] | date (the same,
    a new date) | refusee [message] | faite [compte rendu]."""
    match = _REQUEST_RE.match(arg)
    if match is None:
        return T.REQUEST_USAGE
    request_id, verb, rest = int(match["id"]), match["verb"].lower(), match["rest"].strip()
    actor = _actor(message)
    try:
        if verb.startswith("accept") or verb == "date":
            proposed, rest = leading_date(rest, today=context.now().date())
            if verb == "date" and proposed is None:
                return T.REQUEST_USAGE
            at, rest = leading_time(rest) if proposed else (None, rest)
            place, rest = meeting_place(rest)
            owner = staff_desk.accept_request(
                context.settings,
                request_id,
                actor=actor,
                proposed_date=proposed,
                note=rest,
                at=at,
                place=place,
            )
            status = "acceptée" if verb != "date" else "nouvelle date"
        elif verb.startswith("refus"):
            owner = staff_desk.decline_request(request_id, actor=actor, note=rest)
            status = "refusée"
        elif verb.startswith("fai") or verb == "done":
            owner = staff_desk.finish_request(request_id, actor=actor, report=rest)
            status = "terminée"
        else:
            return T.REQUEST_USAGE
    except RequestError as exc:
        return escape(str(exc).capitalize())
    await user_delivery.flush(context)  # the user hears it now, not at the next job run
    await _card_changed(context, owner)
    return T.REQUEST_RECORDED.format(id=request_id, status=status)


async def _report(message: Message, context: Context, sender: str, arg: str) -> str | None:
    """/retour N [compte rendu]: the ambassador's or company's report-back after a meeting."""
    number, _, note = arg.partition(" ")
    if not number.isdigit():
        return T.REPORT_USAGE
    try:
        owner, _ = staff_desk.record_report(
            int(number), actor=_actor(message), note=note.strip(), now=context.now()
        )
    except RequestError as exc:
        return escape(str(exc).capitalize())
    await _card_changed(context, owner)
    return T.REPORT_RECORDED.format(id=int(number), by="")


async def _waiting(message: Message, context: Context, sender: str, arg: str) -> str | None:
    chats = staff_desk.waiting()
    return T.waiting_list(chats, now=datetime.now(UTC)) if chats else T.NOTHING_WAITING


async def _absent(message: Message, context: Context, sender: str, arg: str) -> str | None:
    staff_desk.set_absent(context.settings, int(sender), True)
    return T.ABSENT


async def _present(message: Message, context: Context, sender: str, arg: str) -> str | None:
    staff_desk.set_absent(context.settings, int(sender), False)
    return T.PRESENT


async def _stats(message: Message, context: Context, sender: str, arg: str) -> str | None:
    """/stats [jours] [département], e.g. `/stats 30 14` (default: 30 days, all)."""
    words = arg.split()
    days = int(words[0]) if words and words[0].isdigit() and 0 < int(words[0]) <= 366 else 30
    departement = words[1].upper() if len(words) > 1 else None
    report = staff_desk.stats_report(
        context.settings, days=days, departement=departement, now=context.now()
    )
    return escape(report)


async def _help(message: Message, context: Context, sender: str, arg: str) -> str | None:
    """/aide, and any command the group does not know."""
    return T.HELP


TOPIC_COMMANDS: dict[str, Handler] = {
    "prendre": _take,
    "rendre": _hand_back,
    "clore": _close,
    "note": _note,
    "transferer": _transfer,
}
GROUP_COMMANDS: dict[str, Handler] = {
    "attente": _waiting,
    "absent": _absent,
    "present": _present,
    "demande": _request,
    "retour": _report,
    "stats": _stats,
}
