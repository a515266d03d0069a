"""Staff side, incoming: coordinators' commands and replies in the staff forum group.

In a user's topic: /prendre, /rendre, /clore, /note, /transferer, /demande, and plain
messages (text, photos, documents) relayed to the user while a coordinator holds the chat.
Anywhere in the group: /attente, /absent, /present, /stats, /aide. Only coordinators
listed in the `coordinators` table or the COORDINATORS setting can act.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date
from html import escape

from sqlalchemy import select
from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot import staff_texts as T
from bot import texts
from bot.commands import parse
from bot.dialogue import TurnResult
from bot.rasa_client import RasaUnavailableError
from bot.render import Reply, render_messages
from bot.staff_relay import mention
from bot.telegram_io import Context, send_result
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import HandoffState, OutboxMessage, StaffTopic
from parcours.repositories import users
from parcours.services import contact_requests, handoff, routing, stats, stats_text

log = logging.getLogger(__name__)
Handler = Callable[[Message, Context, str, str], Awaitable[str | None]]
_REQUEST_RE = re.compile(r"^(?P<id>\d+)\s+(?P<verb>\S+)\s*(?P<rest>.*)$", re.S)
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s*")


async def on_staff_message(update: Update, context: Context) -> None:
    """Any message in the staff group: a command, or a reply to relay to a user."""
    message, sender = update.effective_message, update.effective_user
    if message is None or sender is None or sender.is_bot:
        return
    with session_scope() as session:
        allowed = routing.is_coordinator(session, context.settings, sender.id)
    command = parse(message.text or "")
    if command is None:
        if allowed and message.is_topic_message:
            await _relay_to_user(message, context)
        return
    name, arg = command
    if not allowed:
        await _reply(message, T.NOT_COORDINATOR)
        return
    if name in TOPIC_COMMANDS:
        user_id = _topic_owner(message)
        if user_id is None:
            await _reply(
                message, T.IN_A_TOPIC if not message.is_topic_message else T.UNKNOWN_TOPIC
            )
            return
        answer = await TOPIC_COMMANDS[name](message, context, user_id, arg)
    elif name in GROUP_COMMANDS:
        answer = await GROUP_COMMANDS[name](message, context, str(sender.id), arg)
    else:
        answer = T.HELP
    if answer:
        await _reply(message, answer)


def _topic_owner(message: Message) -> str | None:
    if not message.is_topic_message or message.message_thread_id is None:
        return None
    with session_scope() as session:
        row = session.scalars(
            select(StaffTopic).where(
                StaffTopic.chat_id == message.chat_id,
                StaffTopic.thread_id == message.message_thread_id,
            )
        ).first()
        return row.user_id if row else None


async def _reply(message: Message, html: str) -> None:
    await message.reply_text(html, parse_mode=ParseMode.HTML, do_quote=False)


def _register(user_id: str) -> str:
    with session_scope() as session:
        user = users.get(session, user_id=user_id)
        return user.register if user else "tu"


async def _tell_user(context: Context, user_id: str, replies: list[Reply]) -> bool:
    """Send to the user's private chat (replay/terminal users have none)."""
    if not user_id.isdigit():
        return True
    try:
        await send_result(int(user_id), TurnResult(replies), context)
    except Forbidden:
        return False
    return True


def _card_changed(user_id: str) -> None:
    """Queue a card refresh (delivered by the staff relay, in order with the rest)."""
    with session_scope() as session:
        session.add(OutboxMessage(user_id=user_id, kind="staff_card", payload={}))


async def _relay_to_user(message: Message, context: Context) -> None:
    """A coordinator's text, photo or document in a topic → the user, if they hold it."""
    user_id = _topic_owner(message)
    if user_id is None:
        return
    with session_scope() as session:
        state = handoff.current_state(session, user_id=user_id)
    if state is not HandoffState.HUMAN:
        await _reply(message, T.TAKE_FIRST)
        return
    if not user_id.isdigit():
        return
    try:
        await context.bot.copy_message(int(user_id), message.chat_id, message.message_id)
    except (Forbidden, BadRequest) as exc:
        log.info("coordinator message not delivered: %s", exc.__class__.__name__)
        await _reply(message, T.USER_BLOCKED)


# -- commands in a user's topic -------------------------------------------------------------


async def _take(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    coordinator = message.from_user
    assert coordinator is not None
    with session_scope() as session:
        was = handoff.current_state(session, user_id=user_id)
        handoff.take(session, user_id=user_id, coordinator_id=coordinator.id)
    joined = [Reply(texts.COORDINATOR_JOINED[_register(user_id)])]
    await _after_change(context, user_id, joined if was is not HandoffState.HUMAN else [])
    return T.TAKEN.format(name=escape(coordinator.first_name))


def _end_episode(message: Message, user_id: str, target: HandoffState) -> bool:
    """Move a waiting or held chat to `target` (back to the bot, or closed); False if
    nobody holds it."""
    with session_scope() as session:
        state = handoff.current_state(session, user_id=user_id)
        if state not in (HandoffState.WAITING, HandoffState.HUMAN):
            return False
        actor = f"coordinator:{message.from_user.id if message.from_user else 0}"
        handoff.transition(session, user_id=user_id, target=target, actor=actor)
    return True


async def _after_change(context: Context, user_id: str, replies: list[Reply]) -> None:
    """Tell the user, then refresh the card (in order with the other staff messages)."""
    await _tell_user(context, user_id, replies)
    _card_changed(user_id)
    await context.staff.flush(context.bot)


async def _hand_back(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not _end_episode(message, user_id, HandoffState.BOT):
        return T.NOT_HELD
    try:
        replies = render_messages(
            await context.dialogue.rasa.trigger_intent(user_id, "EXTERNAL_handback")
        )
    except RasaUnavailableError:
        replies = []
    await _after_change(
        context, user_id, replies or [Reply(texts.HANDED_BACK[_register(user_id)])]
    )
    return T.HANDED_BACK


async def _close(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not _end_episode(message, user_id, HandoffState.CLOSED):
        return T.NOT_HELD
    text = texts.CLOSED[_register(user_id)]
    await _after_change(context, user_id, [Reply(text, buttons=texts.SATISFACTION_BUTTONS)])
    return T.CLOSED


async def _note(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not arg:
        return T.NOTE_EMPTY
    author = message.from_user.id if message.from_user else 0
    with session_scope() as session:
        note = handoff.add_note(session, user_id=user_id, author_id=author, text=arg)
    if note is None:
        return T.NOTE_NO_EPISODE
    _card_changed(user_id)
    await context.staff.flush(context.bot)
    return None  # the note is visible in the topic already; the card counts it


async def _transfer(message: Message, context: Context, user_id: str, arg: str) -> str | None:
    if not arg:
        return T.TRANSFER_USAGE
    actor = f"coordinator:{message.from_user.id if message.from_user else 0}"
    with session_scope() as session:
        target = routing.resolve_transfer_target(session, context.settings, arg)
        if target is None:
            return escape(routing.transfer_help_text(session, context.settings, arg))
        moved = handoff.transfer(session, user_id=user_id, actor=actor)
        if moved is None:
            return T.NOT_HELD
    await _after_change(context, user_id, [Reply(texts.TRANSFERRED[_register(user_id)])])
    mentions = ", ".join(mention(c.telegram_id, c.name) for c in target.coordinators)
    return T.TRANSFERRED.format(label=escape(target.label), mentions=mentions or "l'équipe")


async def _request(message: Message, context: Context, sender: str, arg: str) -> str | None:
    """/demande N acceptee [JJ/MM/AAAA] [message] | refusee [message] | faite [compte rendu]."""
    match = _REQUEST_RE.match(arg)
    if match is None:
        return T.REQUEST_USAGE
    request_id, verb, rest = int(match["id"]), match["verb"].lower(), match["rest"].strip()
    actor = f"coordinator:{message.from_user.id if message.from_user else 0}"
    try:
        with session_scope() as session:
            if verb.startswith("accept"):
                proposed, rest = _leading_date(rest)
                answered = contact_requests.record_answer(
                    session,
                    request_id=request_id,
                    accepted=True,
                    actor=actor,
                    now=utcnow(),
                    proposed_date=proposed,
                    note=rest,
                )
                status = "acceptée"
            elif verb.startswith("refus"):
                answered = contact_requests.record_answer(
                    session,
                    request_id=request_id,
                    accepted=False,
                    actor=actor,
                    now=utcnow(),
                    note=rest,
                )
                status = "refusée"
            elif verb.startswith("fai") or verb == "done":
                answered = contact_requests.mark_done(
                    session, request_id=request_id, actor=actor, report=rest
                )
                status = "terminée"
            else:
                return T.REQUEST_USAGE
            owner = answered.user_id
    except contact_requests.RequestError as exc:
        return escape(str(exc).capitalize())
    _card_changed(owner)
    await context.staff.flush(context.bot)
    return T.REQUEST_RECORDED.format(id=request_id, status=status)


def _leading_date(text: str) -> tuple[date | None, str]:
    match = _DATE_RE.match(text)
    if match is None:
        return None, text
    day, month = int(match[1]), int(match[2])
    year = int(match[3]) if match[3] else utcnow().year
    try:
        return date(year, month, day), text[match.end() :].strip()
    except ValueError:
        return None, text


# -- commands anywhere in the group ---------------------------------------------------------


async def _waiting(message: Message, context: Context, sender: str, arg: str) -> str | None:
    now = utcnow()
    with session_scope() as session:
        rows = handoff.waiting(session)
        if not rows:
            return T.NOTHING_WAITING
        lines = ["<b>Conversations en attente</b>"]
        for row in rows[:30]:
            topic = session.get(StaffTopic, row.user_id)
            name = escape(topic.name) if topic else f"utilisateur {row.user_id[-4:]}"
            if topic is not None:
                link = (
                    f"https://t.me/c/{str(topic.chat_id).removeprefix('-100')}/{topic.thread_id}"
                )
                name = f'<a href="{link}">{name}</a>'
            minutes = int((now - row.created_at).total_seconds() // 60)
            flag = "🚨 " if row.urgent else ""
            lines.append(f"• {flag}{name} — depuis {minutes} min")
    return "\n".join(lines)


async def _absent(message: Message, context: Context, sender: str, arg: str) -> str | None:
    with session_scope() as session:
        routing.set_absent(session, int(sender), True, settings=context.settings)
    return T.ABSENT


async def _present(message: Message, context: Context, sender: str, arg: str) -> str | None:
    with session_scope() as session:
        routing.set_absent(session, int(sender), False, settings=context.settings)
    return T.PRESENT


async def _stats(message: Message, context: Context, sender: str, arg: str) -> str | None:
    """/stats [jours] [département], e.g. `/stats 30 14` (default: 30 days, all)."""
    words = arg.split()
    days = int(words[0]) if words and words[0].isdigit() and 0 < int(words[0]) <= 366 else 30
    departement = words[1].upper() if len(words) > 1 else None
    since, until = stats.last_days(days)
    with session_scope() as session:
        report = stats.build_report(
            session, context.settings, since=since, until=until, departement=departement
        )
    return escape(stats_text.render_text(report))


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
    "stats": _stats,
}
