"""Slash commands, the same on Telegram, in the terminal and in replay.

Commands that are dialogue turns (/start, /aide, /humain) become Rasa payloads; privacy
commands are answered here, without Rasa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot import texts
from parcours.intents import payload as button_payload
from parcours.services import conversations
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


@dataclass
class CommandOutcome:
    """Either a payload to send to Rasa, or a local answer (text, buttons, a file).

    The text is a pair (`bot.texts`): the dialogue says it in the user's register, or in
    `register` when the command read it itself (before forgetting the user, say).
    """

    payload: str | None = None
    text: texts.Pair | None = None
    buttons: list[dict[str, str]] | None = None
    document: tuple[str, bytes] | None = None
    register: str | None = None


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
        if role is not None:
            return CommandOutcome(payload=button_payload("set_role", role=role))
        return CommandOutcome(payload="/greet")
    if name == "aide":
        return CommandOutcome(payload="/help")
    if name == "humain":
        return CommandOutcome(payload="/ask_human")
    if name == "recommencer":
        conversations.start_over(user_id)
        return CommandOutcome(payload="/greet")
    if name == "mes_donnees":
        register, data = conversations.export_data(settings, user_id)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        return CommandOutcome(
            text=texts.MY_DATA, document=("mes_donnees.json", body), register=register
        )
    if name == "oubli":
        return CommandOutcome(
            text=texts.FORGET_QUESTION,
            buttons=[
                {"title": "Oui, tout effacer", "payload": FORGET_CONFIRM},
                {"title": "Non, garder", "payload": "/menu"},
            ],
        )
    return None


def forget(user_id: str, settings: Settings) -> CommandOutcome:
    """Carry out a confirmed /oubli."""
    register = conversations.forget(settings, user_id)  # said in the forgotten user's register
    return CommandOutcome(text=texts.FORGOTTEN, register=register)
