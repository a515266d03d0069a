"""Slash commands, the same on Telegram, in the terminal and in replay.

Commands that are dialogue turns (/start, /aide, /humain) become Rasa payloads; privacy
commands are answered here, without Rasa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from parcours.db.engine import session_scope
from parcours.models import ROLES
from parcours.repositories import users
from parcours.services import privacy
from parcours.settings import Settings

#: Telegram's command menu (setMyCommands), in display order.
MENU = [
    ("start", "Commencer"),
    ("aide", "Ce que je sais faire"),
    ("humain", "Parler à un conseiller"),
    ("recommencer", "Changer de profil, recommencer"),
    ("mes_donnees", "Voir mes données"),
    ("oubli", "Effacer mes données"),
]
#: Deep-link parameters of /start (t.me/<bot>?start=parent) → role.
START_ROLES = {
    "eleve": "eleve",
    "etudiant": "eleve",
    "parent": "parent",
    "emploi": "demandeur_emploi",
    "salarie": "salarie",
    "pro": "professionnel",
}

FORGET_CONFIRM = "/forget_confirm"
FORGET_QUESTION = (
    "Tu veux vraiment effacer toutes tes données (profil, conversation, demandes) ? "
    "C'est définitif."
)
FORGOTTEN = (
    "C'est fait : tout ce que je savais de toi est effacé. Tu peux recommencer quand tu veux."
)
UNKNOWN = "Je ne connais pas cette commande. Essaie /aide pour voir ce que je sais faire."


@dataclass
class CommandOutcome:
    """Either a payload to send to Rasa, or a local answer (text, buttons, a file)."""

    payload: str | None = None
    text: str | None = None
    buttons: list[dict[str, str]] | None = None
    document: tuple[str, bytes] | None = None


def parse(text: str) -> tuple[str, str] | None:
    """('name', 'argument') for '/name arg' or '/name@bot arg'; None if not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, arg = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, arg.strip()) if name.replace("_", "").isalnum() else None


def run(name: str, arg: str, user_id: str, settings: Settings) -> CommandOutcome | None:
    """The outcome of a known command; None when the command is unknown."""
    if name == "start":
        role = START_ROLES.get(arg.lower())
        if role in ROLES:
            return CommandOutcome(payload=f'/set_role{{"role":"{role}"}}')
        return CommandOutcome(payload="/greet")
    if name == "aide":
        return CommandOutcome(payload="/help")
    if name == "humain":
        return CommandOutcome(payload="/ask_human")
    if name == "recommencer":
        with session_scope() as session:
            user = users.get_or_create(session, user_id=user_id)
            user.role, user.age_band = None, None
        return CommandOutcome(payload="/greet")
    if name == "mes_donnees":
        with session_scope() as session:
            data = privacy.export_user(session, settings, user_id=user_id)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return CommandOutcome(
            text="Voici toutes les données que je garde sur toi (fichier JSON). "
            "Pour tout effacer : /oubli.",
            document=("mes_donnees.json", body),
        )
    if name == "oubli":
        return CommandOutcome(
            text=FORGET_QUESTION,
            buttons=[
                {"title": "Oui, tout effacer", "payload": FORGET_CONFIRM},
                {"title": "Non, garder", "payload": "/menu"},
            ],
        )
    return None


def forget(user_id: str, settings: Settings) -> CommandOutcome:
    """Carry out a confirmed /oubli."""
    with session_scope() as session:
        privacy.forget_user(session, settings, user_id=user_id)
    return CommandOutcome(text=FORGOTTEN)
