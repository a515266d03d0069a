"""Staff side, after a meeting: reading a date, a time and a place in `/demande`, and the
"✅ Retour reçu" button under a report-back line (`bot/staff_relay.py` posts it)."""

from __future__ import annotations

import logging
import re
from datetime import date, time
from html import escape

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import staff_texts as T
from bot.telegram_io import Context
from parcours.services import staff_desk, staff_groups
from parcours.services.contact_requests import RequestError

log = logging.getLogger(__name__)
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s*")
_TIME_RE = re.compile(r"^(?:à\s+)?(\d{1,2})\s*(?:h|:)\s*(\d{2})?(?!\d)\s*", re.I)
_PLACE_RE = re.compile(r"\blieu\s*:\s*(?P<place>[^;\n]*)(?:[;\n]\s*|$)", re.I)
_REPORT_DATA_RE = re.compile(r"^retour:(\d{1,9})$")


def leading_date(text: str, *, today: date) -> tuple[date | None, str]:
    """A date at the start of `text`; without a year, the next such day (in December,
    « 05/01 » is next January)."""
    match = _DATE_RE.match(text)
    if match is None:
        return None, text
    day, month = int(match[1]), int(match[2])
    try:
        found = date(int(match[3]) if match[3] else today.year, month, day)
        if not match[3] and found < today:
            found = found.replace(year=today.year + 1)
    except ValueError:
        return None, text
    return found, text[match.end() :].strip()


def leading_time(text: str) -> tuple[time | None, str]:
    """A time at the start of `text`: « 14h30 », « 14 h », « 9:15 », « à 10h »."""
    match = _TIME_RE.match(text)
    if match is None:
        return None, text
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None, text
    return time(hour, minute), text[match.end() :].strip()


def meeting_place(text: str) -> tuple[str, str]:
    """« lieu : 12 rue X, Ville ; » anywhere in `text` → the place, and the rest."""
    match = _PLACE_RE.search(text)
    if match is None:
        return "", text
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    return match["place"].strip(), rest


def staff_callbacks() -> list[BaseHandler[Update, Context, None]]:
    """Buttons of the staff group's messages (before the users' button handler)."""
    return [CallbackQueryHandler(on_report_button, pattern=_REPORT_DATA_RE)]


async def on_report_button(update: Update, context: Context) -> None:
    """« Retour reçu » under a report-back line: recorded, the button replaced by who did."""
    query, sender = update.callback_query, update.effective_user
    if query is None or sender is None or query.message is None:
        return
    match = _REPORT_DATA_RE.match(query.data or "")
    groups = staff_groups.all_groups(context.settings.staff_chats, context.settings.staff_chat_id)
    if match is None or query.message.chat.id not in groups:
        await query.answer()
        return
    if not staff_desk.is_coordinator(context.settings, sender.id):
        await query.answer(T.NOT_COORDINATOR, show_alert=True)
        return
    request_id = int(match[1])
    try:
        owner, before = staff_desk.record_report(
            request_id, actor=f"coordinator:{sender.id}", note="", now=context.now()
        )
    except RequestError as exc:
        await query.answer(str(exc).capitalize()[:200], show_alert=True)
        return
    await query.answer("Retour déjà enregistré" if before else "Retour enregistré")
    done = T.REPORT_RECORDED.format(id=request_id, by=f" par {escape(sender.first_name)}")
    try:
        await query.edit_message_reply_markup(reply_markup=None)
        if before:
            return
        await context.bot.send_message(
            query.message.chat.id,
            done,
            message_thread_id=getattr(query.message, "message_thread_id", None),
            parse_mode=ParseMode.HTML,
        )
    except BadRequest as exc:
        log.info("report-back confirmation not shown: %s", exc.message)
    staff_desk.card_changed(owner)
    await context.staff.flush(context.bot)
