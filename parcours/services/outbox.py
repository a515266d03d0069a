"""Outbox kinds: what an outbox row asks to be delivered, and to whom.

Rows are written in the same transaction as the change they announce (a hand-off, a request
update…) and delivered later by the bot: staff kinds to the coordinators' group
(`bot/staff_relay.py`, one handler per kind), user kinds to the user's private chat
(`bot/user_delivery.py` on Telegram, the web channel for web users). The column stores
the value (a plain string, at most 32 characters).
"""

from __future__ import annotations

from enum import StrEnum


class OutboxKind(StrEnum):
    """Every kind of outbox row."""

    # For the coordinators' group.
    HANDOFF_REQUESTED = "handoff_requested"
    HANDOFF_REANNOUNCE = "handoff_reannounce"
    USER_MESSAGE = "user_message"
    USER_MEDIA = "user_media"
    REQUEST_FILED = "request_filed"
    REQUEST_REMINDER = "request_reminder"
    REQUEST_ESCALATED = "request_escalated"
    STAFF_CARD = "staff_card"
    STAFF_DELETE_TOPIC = "staff_delete_topic"
    MEETING_REPORT_DUE = "meeting_report_due"  # ask for the ambassador's report-back
    MEETING_CANCELLED = "meeting_cancelled"  # the user cancelled an accepted meeting
    # For the user (`parcours/services/user_outbox.py`: any channel).
    REQUEST_UPDATE = "request_update"
    MEETING_CALENDAR = "meeting_calendar"  # the .ics of an accepted request's meeting
    MEETING_REMINDER = "meeting_reminder"  # the day before
    MEETING_FOLLOW_UP = "meeting_follow_up"  # "c'était utile ?", one-tap answers


#: Kinds delivered to the user's private chat; every other kind goes to the staff group.
USER_KINDS = frozenset(
    {
        OutboxKind.REQUEST_UPDATE,
        OutboxKind.MEETING_CALENDAR,
        OutboxKind.MEETING_REMINDER,
        OutboxKind.MEETING_FOLLOW_UP,
    }
)
STAFF_KINDS = frozenset(OutboxKind) - USER_KINDS
