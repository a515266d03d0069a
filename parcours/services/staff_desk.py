"""What coordinators' commands in the staff group read and change, one unit of work each.

For `bot/staff_commands.py`, which does not open database sessions: who may act, whose
topic a thread is, taking / handing back / closing / transferring a chat, private notes,
contact request answers, the waiting list, absences and the statistics. A change the
topic's pinned card shows is followed by `card_changed` (delivered in order by the relay).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import HandoffState
from parcours.repositories import outbox, staff_topics
from parcours.repositories.staff_topics import Topic
from parcours.services import contact_requests, handoff, routing, staff_groups, stats, stats_text
from parcours.services.outbox import OutboxKind
from parcours.services.routing import TransferTarget
from parcours.settings import Settings

HELD = (HandoffState.WAITING, HandoffState.HUMAN)


def is_coordinator(settings: Settings, telegram_id: int) -> bool:
    """Whether this Telegram user may use the staff commands."""
    with session_scope() as session:
        return routing.is_coordinator(session, settings, telegram_id)


def topic_owner(chat_id: int, thread_id: int) -> str | None:
    """The user whose forum topic this thread is (None: not a user's topic, or forgotten)."""
    with session_scope() as session:
        return staff_topics.owner(session, chat_id=chat_id, thread_id=thread_id)


def is_held_by_human(user_id: str) -> bool:
    """Whether a coordinator holds the chat (their messages go to the user)."""
    with session_scope() as session:
        return handoff.current_state(session, user_id=user_id) is HandoffState.HUMAN


def take(user_id: str, coordinator_id: int) -> bool:
    """The coordinator takes the chat; True when nobody held it before (the user is told)."""
    with session_scope() as session:
        was = handoff.current_state(session, user_id=user_id)
        handoff.take(session, user_id=user_id, coordinator_id=coordinator_id)
    return was is not HandoffState.HUMAN


def end_episode(user_id: str, target: HandoffState, *, actor: str) -> bool:
    """Move a waiting or held chat to `target` (back to the bot, or closed); False when
    nobody holds it."""
    with session_scope() as session:
        if handoff.current_state(session, user_id=user_id) not in HELD:
            return False
        handoff.transition(session, user_id=user_id, target=target, actor=actor)
    return True


def add_note(user_id: str, author_id: int, text: str) -> bool:
    """A private note on the user's latest episode; False when there is none yet."""
    with session_scope() as session:
        return (
            handoff.add_note(session, user_id=user_id, author_id=author_id, text=text) is not None
        )


@dataclass(frozen=True)
class Transfer:
    """The outcome of /transferer: `help` when the argument names nobody, else whether the
    chat moved and to whom."""

    target: TransferTarget | None
    help: str = ""
    moved: bool = False
    #: The staff group of the target's territory (STAFF_CHATS, else STAFF_CHAT_ID).
    chat_id: int | None = None


def transfer(settings: Settings, user_id: str, where: str, *, actor: str) -> Transfer:
    """Put a held chat back in the queue for the coordinators `where` names."""
    with session_scope() as session:
        target = routing.resolve_transfer_target(session, settings, where)
        if target is None:
            return Transfer(None, help=routing.transfer_help_text(session, settings, where))
        moved = handoff.transfer(session, user_id=user_id, actor=actor)
    return Transfer(target, moved=moved is not None, chat_id=_group_of(settings, target))


def _group_of(settings: Settings, target: TransferTarget) -> int | None:
    """The staff group of a transfer target: its territory's, or its coordinator's."""
    departement, epci = target.departement, target.epci
    if target.kind == "coordinator" and target.coordinators and not target.fallback:
        person = target.coordinators[0]
        epci = person.epcis[0] if person.epcis else None
        departement = person.departements[0] if person.departements else None
    return staff_groups.group_for(
        settings.staff_chats, settings.staff_chat_id, departement=departement, epci=epci
    )


def accept_request(
    settings: Settings,
    request_id: int,
    *,
    actor: str,
    proposed_date: date | None,
    note: str,
    at: time | None = None,
    place: str = "",
) -> str:
    """Record an accepted contact request (or its meeting's new date); the requester's user
    id. With a date, the user gets a calendar file (`meetings.schedule`).

    Raises `contact_requests.RequestError` (a French message) when it cannot be recorded."""
    with session_scope() as session:
        return contact_requests.record_answer(
            session,
            request_id=request_id,
            accepted=True,
            actor=actor,
            now=utcnow(),
            proposed_date=proposed_date,
            note=note,
            at=at,
            place=place,
            settings=settings,
        ).user_id


def decline_request(request_id: int, *, actor: str, note: str) -> str:
    """Record a declined contact request; the requester's user id (or `RequestError`)."""
    with session_scope() as session:
        return contact_requests.record_answer(
            session, request_id=request_id, accepted=False, actor=actor, now=utcnow(), note=note
        ).user_id


def finish_request(request_id: int, *, actor: str, report: str) -> str:
    """The meeting or mini-stage took place; the requester's user id (or `RequestError`)."""
    with session_scope() as session:
        return contact_requests.mark_done(
            session, request_id=request_id, actor=actor, report=report
        ).user_id


def record_report(
    request_id: int, *, actor: str, note: str, now: datetime | None = None
) -> tuple[str, bool]:
    """The ambassador's or company's report-back after the meeting (the charter's): the
    requester's user id, and whether one was recorded before (`RequestError` otherwise)."""
    with session_scope() as session:
        request = contact_requests.get(session, request_id)
        before = request.report_at is not None
        contact_requests.record_report(
            session, request_id=request_id, actor=actor, note=note, now=now or utcnow()
        )
        return request.user_id, before


def card_changed(user_id: str) -> None:
    """Queue a refresh of the user's pinned card (in order with the other staff rows)."""
    with session_scope() as session:
        outbox.add(session, user_id=user_id, kind=OutboxKind.STAFF_CARD, payload={})


@dataclass(frozen=True)
class WaitingChat:
    """A chat in the waiting queue, and its topic if it has one."""

    user_id: str
    since: datetime
    urgent: bool
    topic: Topic | None


def waiting(limit: int = 30) -> list[WaitingChat]:
    """Chats waiting for a coordinator, urgent first, then oldest first."""
    with session_scope() as session:
        return [
            WaitingChat(
                row.user_id,
                row.created_at,
                row.urgent,
                staff_topics.get(session, user_id=row.user_id),
            )
            for row in handoff.waiting(session)[:limit]
        ]


def set_absent(settings: Settings, telegram_id: int, absent: bool) -> None:
    """/absent, /present: the coordinator's new chats go to colleagues meanwhile."""
    with session_scope() as session:
        routing.set_absent(session, telegram_id, absent, settings=settings)


def stats_report(
    settings: Settings, *, days: int, departement: str | None, now: datetime | None = None
) -> str:
    """The statistics of the `days` days before `now` (default: the real clock), as text."""
    since, until = stats.last_days(days, now=now)
    with session_scope() as session:
        report = stats.build_report(
            session, settings, since=since, until=until, departement=departement
        )
    return stats_text.render_text(report)
