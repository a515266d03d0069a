"""What the user is told about a meeting (calendar file, reminder, follow-up), tu and vous."""

from __future__ import annotations

from parcours.services.meeting_calendar import when_text
from parcours.services.meetings import FOLLOW_UP_ANSWERS, Meeting

CALENDAR_CAPTION = {
    "tu": "📅 Ton rendez-vous {when} ({who}) : ouvre ce fichier pour l'ajouter à ton agenda.",
    "vous": "📅 Votre rendez-vous {when} ({who}) : ouvrez ce fichier pour l'ajouter à votre "
    "agenda.",
}
REMINDER = {
    "tu": "⏰ Rappel : ton rendez-vous est {when} ({who}){place}. Un empêchement ? "
    "Écris « où en est ma demande » pour l'annuler : l'Agence préviendra la personne.",
    "vous": "⏰ Rappel : votre rendez-vous est {when} ({who}){place}. Un empêchement ? "
    "Écrivez « où en est ma demande » pour l'annuler : l'Agence préviendra la personne.",
}
FOLLOW_UP = {
    "tu": "👋 Ton rendez-vous {when} ({who}) : c'était utile ? Réponds en un clic.",
    "vous": "👋 Votre rendez-vous {when} ({who}) : a-t-il été utile ? Répondez en un clic.",
}
FOLLOW_UP_TITLES = {"oui": "👍 Oui", "moyen": "😐 Moyen", "non": "👎 Non"}
#: The follow-up buttons' payloads, handled by the front end without Rasa (`bot/dialogue.py`).
FOLLOW_UP_PAYLOAD = "/suivi_{request_id}_{answer}"


def _say(pair: dict[str, str], register: str) -> str:
    return pair["vous" if register == "vous" else "tu"]


def calendar_caption(meeting: Meeting, register: str) -> str:
    """The text shown with the calendar file."""
    return _say(CALENDAR_CAPTION, register).format(when=when_text(meeting), who=meeting.who)


def reminder(meeting: Meeting, register: str) -> str:
    """The reminder the day before."""
    place = f", lieu : {meeting.place}" if meeting.place else ""
    return _say(REMINDER, register).format(when=when_text(meeting), who=meeting.who, place=place)


def follow_up(meeting: Meeting, register: str) -> str:
    """The question after the meeting."""
    return _say(FOLLOW_UP, register).format(when=when_text(meeting), who=meeting.who)


def follow_up_buttons(request_id: int) -> list[dict[str, str]]:
    """Oui / Moyen / Non."""
    return [
        {
            "title": FOLLOW_UP_TITLES[answer],
            "payload": FOLLOW_UP_PAYLOAD.format(request_id=request_id, answer=answer),
        }
        for answer in FOLLOW_UP_ANSWERS
    ]
