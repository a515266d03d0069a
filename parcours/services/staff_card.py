"""The summary card pinned at the top of a user's staff topic (HTML, edited in place).

Coordinators must see everything they need without asking the user again: profile,
territory, why the chat is escalated, what was said recently, open requests and notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import Commune, ContactRequest, Handoff, HandoffNote, HandoffState, User
from parcours.services import handoff as handoffs
from parcours.services import routing
from parcours.services.notifications import WEB_PREFIX
from parcours.services.staff_limits import MAX_MESSAGE, telegram_length
from parcours.settings import Settings

MAX_EXCHANGE_CHARS = 280
MAX_CARD = MAX_MESSAGE  # measured on the HTML source (escapes count), see staff_limits
ROLE_LABELS = {
    "eleve": "élève / étudiant",
    "parent": "parent",
    "demandeur_emploi": "demandeur d'emploi",
    "salarie": "salarié",
    "professionnel": "professionnel",
}
AGE_LABELS = {"moins_15": "moins de 15 ans", "15_17": "15–17 ans", "18_25": "18–25 ans"}
AGE_LABELS["26_plus"] = "26 ans et plus"
REASON_LABELS = {
    "user_request": "a demandé un conseiller",
    "fallbacks": "l'assistant n'a pas compris deux fois de suite",
    "safeguarding": "situation sensible (détresse, harcèlement, violence)",
    "coordinator": "prise en charge à l'initiative d'un coordinateur",
    "request_escalated": "demande de contact sans réponse dans le délai",
}
STATUS_LABELS = {"sent": "envoyée", "accepted": "acceptée", "declined": "refusée"}
STATUS_LABELS |= {"done": "terminée", "expired": "expirée", "cancelled": "annulée"}
COMMANDS_HINT = "/prendre · /rendre · /clore · /note texte · /transferer territoire"
#: Said on a web visitor's card: the coordinator's photos and files do not reach them.
WEB_CHANNEL = "Canal : 💻 chat du site web (anonyme ; seul le texte lui parvient)"


@dataclass(frozen=True)
class Exchange:
    """One line of the recent conversation (from Rasa's tracker)."""

    speaker: str  # "user" | "bot"
    text: str


def territory_label(session: Session, town_code: str | None) -> str:
    """'Lisieux (14)' or 'territoire inconnu': short enough for a topic name."""
    commune = session.get(Commune, town_code) if town_code else None
    return f"{commune.nom} ({commune.departement})" if commune else "territoire inconnu"


def topic_name(first_name: str, session: Session, town_code: str | None) -> str:
    """Forum topic name: first name and territory (Telegram allows 128 characters)."""
    name = " ".join(first_name.split())[:48] or "Utilisateur"
    return f"{name} · {territory_label(session, town_code)}"[:128]


def _minutes(since: datetime, now: datetime) -> str:
    minutes = max(int((now - since).total_seconds() // 60), 0)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60:02d}"


def _coordinator_name(session: Session, settings: Settings, telegram_id: int) -> str:
    for coordinator in routing.all_coordinators(session, settings):
        if coordinator.telegram_id == telegram_id:
            return coordinator.name
    return f"id {telegram_id}"


def _state_line(
    session: Session, settings: Settings, episode: Handoff | None, state: str, now: datetime
) -> str:
    if state == HandoffState.WAITING and episode is not None:
        return f"🟡 en attente depuis {_minutes(episode.created_at, now)}"
    if state == HandoffState.HUMAN and episode is not None:
        name = _coordinator_name(session, settings, episode.coordinator_id or 0)
        return f"🟢 pris en charge par {escape(name)}"
    if state == HandoffState.CLOSED:
        return "⚪ conversation close"
    return "🤖 l'assistant répond"


def _profile_line(session: Session, user: User | None) -> str:
    if user is None:
        return "inconnu"
    parts = [ROLE_LABELS.get(user.role or "", "profil non précisé")]
    if user.age_band:
        parts.append(AGE_LABELS.get(user.age_band, user.age_band))
    commune = session.get(Commune, user.town_code) if user.town_code else None
    if commune is not None:
        epci = f" — {commune.epci_nom}" if commune.epci_nom else ""
        parts.append(f"{commune.nom}{epci} ({commune.departement})")
    else:
        parts.append("commune non précisée")
    return escape(" · ".join(parts))


def _requests_lines(session: Session, user_id: str) -> list[str]:
    rows = session.scalars(
        select(ContactRequest)
        .where(ContactRequest.user_id == user_id)
        .order_by(ContactRequest.id.desc())
        .limit(5)
    )
    lines = []
    for request in rows:
        kind = "ambassadeur" if request.target_type == "ambassador" else "mini-stage"
        status = STATUS_LABELS.get(request.status, request.status)
        due = f", échéance {request.due_at:%d/%m}" if request.status == "sent" else ""
        lines.append(f"• n°{request.id} {kind} {escape(request.target_key)} : {status}{due}")
    return lines


def _short(text: str, limit: int = MAX_EXCHANGE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Ways to make a card shorter, tried in order until it fits: (recent exchanges shown,
#: characters per exchange, characters of the last note). Content goes, never markup.
_TRIMS = (
    (6, MAX_EXCHANGE_CHARS, MAX_EXCHANGE_CHARS),
    (6, 140, 140),
    (4, 80, 80),
    (2, 60, 60),
    (0, 0, 60),
    (0, 0, 0),
)


def card_text(
    session: Session,
    settings: Settings,
    *,
    user_id: str,
    first_name: str,
    exchanges: list[Exchange],
    now: datetime,
) -> str:
    """The card's HTML text, always within Telegram's message limit: measured once rendered
    (escapes included) and trimmed by content (fewer and shorter exchanges, then the note)."""
    user = session.get(User, user_id)
    episode = handoffs.latest(session, user_id=user_id)
    state = user.handoff_state if user else HandoffState.BOT
    head = f"🗂 <b>Fiche de {escape(first_name or 'Utilisateur')}</b>"
    lines = [head, f"État : {_state_line(session, settings, episode, state, now)}"]
    if episode is not None and episode.urgent and state != HandoffState.BOT:
        lines.append("🚨 <b>URGENT</b> : donner la priorité à cette conversation")
    if episode is not None:
        reason = REASON_LABELS.get(episode.reason, episode.reason)
        lines.append(f"Motif : {escape(_short(reason))}")
    lines.append(f"Profil : {_profile_line(session, user)}")
    if user_id.startswith(WEB_PREFIX):
        lines.append(WEB_CHANNEL)
    requests = _requests_lines(session, user_id)
    if requests:
        lines += ["", "<b>Demandes de contact</b>", *requests]
    notes = list(episode.notes) if episode is not None else []
    for count, chars, note_chars in _TRIMS:
        text = "\n".join(
            lines + _exchange_lines(exchanges, count, chars) + _note_lines(notes, note_chars)
        )
        text += f"\n\n<i>{COMMANDS_HINT}</i>"
        if telegram_length(text) <= MAX_CARD:
            return text
    return "\n".join([head, "(fiche trop longue : voir les messages du sujet)"])


def _exchange_lines(exchanges: list[Exchange], count: int, chars: int) -> list[str]:
    if not exchanges or count == 0:
        return []
    lines = ["", "<b>Derniers échanges</b>"]
    for exchange in exchanges[-count:]:
        icon = "👤" if exchange.speaker == "user" else "🤖"
        lines.append(f"{icon} {escape(_short(exchange.text, chars))}")
    return lines


def _note_lines(notes: list[HandoffNote], chars: int) -> list[str]:
    if not notes:
        return []
    if chars == 0:
        return ["", f"📝 Notes : {len(notes)}"]
    last = escape(_short(notes[-1].text, chars))
    return ["", f"📝 Notes : {len(notes)} (dernière : « {last} »)"]


def exchanges_from_events(events: list[dict[str, object]], limit: int = 6) -> list[Exchange]:
    """Recent user and bot texts from a Rasa tracker's events (payloads left out)."""
    found: list[Exchange] = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and isinstance(text, str) and text.strip():
            if kind == "user" and text.startswith("/"):
                continue  # button payloads say nothing to a coordinator
            found.append(Exchange(str(kind), text))
    return found[-limit:]
