"""The calendar file (.ics, RFC 5545) of a meeting, built with `icalendar`.

An all-day event when only the date is known, a timed one (in TIMEZONE, with its
VTIMEZONE) when the coordinator gave a time. The UID is the same for every version of a
request's meeting and SEQUENCE grows with each date change, so that a calendar that imported
the first file updates the event. Nothing about the user is in it (no name, no age, no
message of theirs): whom they meet, when, where, and the request number.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from parcours import regions
from parcours.services.french_calendar import french_date, french_time

if TYPE_CHECKING:
    from parcours.services.meetings import Meeting

MIME = "text/calendar"
#: A timed meeting's length in the calendar: an ambassador's testimony takes about an hour;
#: for a mini-stage the event marks its first day's start.
TIMED_LENGTH = timedelta(hours=1)

SUMMARY = {
    "ambassador": "Rencontre avec {who}",
    "ministage": "Mini-stage : {who}",
}
DESCRIPTION = {
    "tu": "Demande n°{id} faite avec l'assistant {of_org}.\n"
    "Un empêchement ? Écris « où en est ma demande » à l'assistant pour l'annuler, "
    "ou tape /humain pour parler à un conseiller.",
    "vous": "Demande n°{id} faite avec l'assistant {of_org}.\n"
    "Un empêchement ? Écrivez « où en est ma demande » à l'assistant pour l'annuler, "
    "ou tapez /humain pour parler à un conseiller.",
}


def when_text(meeting: Meeting) -> str:
    """« le jeudi 10 décembre 2026 à 14 h 30 » (or without the time)."""
    text = f"le {french_date(meeting.day, with_year=True)}"
    if meeting.at is not None:
        text += f" à {french_time(meeting.at.hour, meeting.at.minute)}"
    return text


def calendar_file(meeting: Meeting, *, uid: str, tz: str, register: str, now: datetime) -> bytes:
    """The .ics bytes of the meeting (UTF-8, CRLF lines)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Assistant orientation//Calendrier//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add(
        "summary", SUMMARY.get(meeting.target_type, "Rendez-vous : {who}").format(who=meeting.who)
    )
    # The coordinator's message is not copied here: it may name people, and the file
    # outlives the chat (shared calendars, backups); the chat notice carries it.
    description = DESCRIPTION["vous" if register == "vous" else "tu"]
    event.add("description", regions.fill(description, id=str(meeting.request_id)))
    if meeting.at is None:
        event.add("dtstart", meeting.day)
        event.add("dtend", meeting.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        start = datetime.combine(meeting.day, meeting.at, ZoneInfo(tz))
        event.add("dtstart", start)
        event.add("dtend", start + TIMED_LENGTH)
    if meeting.place:
        event.add("location", meeting.place)
    calendar.add_component(event)
    if meeting.at is not None:
        # The VTIMEZONE covers the years around the meeting only (short file).
        calendar.add_missing_timezones(
            first_date=date(meeting.day.year - 1, 1, 1), last_date=date(meeting.day.year + 2, 1, 1)
        )
    content: bytes = calendar.to_ical()
    return content
