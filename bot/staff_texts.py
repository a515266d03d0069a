"""French texts shown to coordinators in the staff group (HTML parse mode): answers to their
commands, and what the relay posts in users' topics."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from parcours.services.coordinator_setting import CoordinatorInfo
from parcours.services.staff_desk import WaitingChat
from parcours.services.staff_limits import split_escaped
from parcours.services.staff_outbox import MeetingSummary, RequestSummary

NOT_COORDINATOR = (
    "Ces commandes sont réservées aux coordinateurs déclarés {of_org} "
    "(fichier coordinators ou réglage COORDINATORS)."
)
IN_A_TOPIC = "Cette commande s'utilise dans le sujet d'une personne."
UNKNOWN_TOPIC = "Je ne trouve pas la personne de ce sujet (données effacées ?)."
TAKE_FIRST = "Tapez /prendre pour prendre la conversation : votre message n'a pas été transmis."
TAKEN = "✅ Conversation prise par {name}. Vos messages ici sont transmis à la personne."
HANDED_BACK = "🤖 Conversation rendue à l'assistant."
CLOSED = "⚪ Conversation close. La personne a reçu une question de satisfaction."
NOT_HELD = "Personne n'a cette conversation en main : rien à rendre ni à clore."
NOTE_EMPTY = "Écrivez la note après la commande : /note texte (elle n'est pas transmise)."
NOTE_NO_EPISODE = "Pas encore de prise en charge pour cette personne : note non enregistrée."
TRANSFER_USAGE = (
    "Usage : /transferer suivi d'un département (14), d'une ville, d'un EPCI ou du nom "
    "d'un coordinateur."
)
TRANSFERRED = "🔁 Conversation transférée ({label}) : {mentions}, /prendre pour répondre."
MOVED_GROUP = (
    "🔁 Conversation transférée ({label}) : elle continue dans le groupe de ce territoire, "
    "avec sa fiche. Ce sujet reste pour l'historique."
)
USER_BLOCKED = "⚠️ Message non remis : la personne a bloqué l'assistant ou supprimé son compte."
WEB_TEXT_ONLY = (
    "⚠️ Cette personne écrit depuis le chat du site web : seul le texte lui parvient "
    "(la légende d'une photo ou d'un document, pas le fichier)."
)
NOTHING_WAITING = "Aucune conversation en attente. 🎉"
ABSENT = "Vous êtes noté(e) absent(e) : les nouvelles demandes iront à vos collègues."
PRESENT = "Vous êtes de retour : les demandes de votre territoire vous sont de nouveau adressées."
REQUEST_USAGE = (
    "Usage : /demande N acceptee [JJ/MM/AAAA] [14h30] [lieu : adresse ;] [message] · "
    "/demande N date JJ/MM/AAAA [14h30] [lieu : … ;] (nouvelle date) · "
    "/demande N refusee [message] · /demande N faite [compte rendu]"
)
REPORT_USAGE = "Usage : /retour N [compte rendu de l'ambassadeur ou de l'entreprise]"
REPORT_RECORDED = "✅ Retour enregistré pour la demande n°{id}{by}. Merci !"
REPORT_BUTTON = "✅ Retour reçu"
#: Callback data of the report-back button (a coordinator's press in the staff group).
REPORT_CALLBACK = "retour:{id}"
REQUEST_RECORDED = "✅ Demande n°{id} : « {status} » enregistré. La personne est prévenue."
HELP = (
    "Commandes des coordinateurs\n"
    "Dans le sujet d'une personne : /prendre · /rendre (à l'assistant) · /clore · "
    "/note texte (privée) · /transferer territoire · /demande N acceptee|date|refusee|faite\n"
    "Partout : /attente (conversations en attente) · /absent · /present · /stats · "
    "/retour N [compte rendu] (retour de l'ambassadeur après une rencontre)"
)


def mention(telegram_id: int, name: str) -> str:
    """An HTML mention that notifies the coordinator."""
    return f'<a href="tg://user?id={telegram_id}">{escape(name)}</a>'


def mentions(people: Iterable[CoordinatorInfo]) -> str:
    """Everyone to notify, or the whole team when nobody is named."""
    return ", ".join(mention(p.telegram_id, p.name) for p in people) or "l'équipe"


def user_said(text: str) -> str:
    """A user's message relayed in their topic (short: see `user_said_parts`)."""
    return f"👤 {escape(text)}"


def user_said_parts(text: str) -> list[str]:
    """A user's message relayed in their topic, in as many messages as Telegram needs (the
    prefix and escapes count: a 4,096-character message does not fit in one)."""
    return split_escaped(text, prefix="👤 ", continued="👤 (suite) ")


def parked(kind: str, row_id: int, error: str) -> str:
    """A staff notice given up after too many failed tries."""
    return (
        f"⚠️ Une notification ({escape(kind)}, n°{row_id}) n'a pas pu être remise après "
        f"plusieurs essais et a été mise de côté. Erreur : {escape(error[:200])}. "
        "Voir le journal du bot."
    )


def announcement(reason: str, *, urgent: bool, to: str) -> str:
    """A new hand-off request; `to`: the mentions."""
    head = "🚨 <b>URGENT</b> — " if urgent else "🙋 "
    return f"{head}Nouvelle demande : {escape(reason)}.\n{to} : /prendre pour répondre."


def reannouncement(minutes: int, *, to: str) -> str:
    """A waiting chat nobody took: announced again to the backups (`to`)."""
    return (
        f"⏳ Toujours en attente après {minutes} min. {to}, pouvez-vous prendre le relais ? "
        "/prendre"
    )


def _about(request: RequestSummary | None) -> tuple[str, str]:
    """The request's target and deadline, as notices show them."""
    if request is None:
        return "?", "?"
    return escape(request.target_key), f"{request.due_at:%d/%m/%Y}"


def _answers(request_id: int) -> str:
    return f"/demande {request_id} acceptee JJ/MM/AAAA message · /demande {request_id} refusee"


def request_filed(request_id: int, request: RequestSummary | None, *, to: str) -> str:
    """A new contact request, to pass on to the ambassador or company."""
    target, due = _about(request)
    summary = (
        f"« {escape(request.message[:300])} » (disponibilités : "
        f"{escape(request.availability or 'non précisées')})"
        if request
        else ""
    )
    return (
        f"📨 Demande de contact n°{request_id} pour {target}, réponse attendue avant "
        f"le {due} : {summary}\nÀ transmettre. {to}\n{_answers(request_id)}"
    )


def request_reminder(request_id: int, request: RequestSummary | None) -> str:
    """A contact request whose deadline is near."""
    target, due = _about(request)
    return (
        f"⏰ Rappel : la demande n°{request_id} ({target}) attend une réponse "
        f"avant le {due}.\n{_answers(request_id)}"
    )


def request_escalated(request_id: int, request: RequestSummary | None, *, to: str) -> str:
    """A contact request past its deadline, for a coordinator to take over."""
    target, _ = _about(request)
    return f"⚠️ Demande n°{request_id} ({target}) sans réponse dans le délai : à reprendre. {to}"


def report_due(request_id: int, meeting: MeetingSummary | None) -> str:
    """After a meeting: ask for the report-back of the ambassadors' charter."""
    if meeting is None:
        return f"📝 Demande n°{request_id} : la rencontre a eu lieu, retour à enregistrer."
    who = "de l'ambassadeur" if meeting.target_type == "ambassador" else "de l'entreprise"
    return (
        f"📝 Demande n°{request_id} ({escape(meeting.who)}) : rencontre prévue le "
        f"{meeting.day:%d/%m/%Y}. La charte demande un retour {who} : une fois reçu, "
        f"appuyez sur « {REPORT_BUTTON} » ou tapez /retour {request_id} compte rendu."
    )


def meeting_cancelled(request_id: int, meeting: MeetingSummary | None, *, to: str) -> str:
    """The user cancelled an accepted meeting: the other side must hear it from the Agency."""
    if meeting is None:
        return f"❌ La personne a annulé la demande n°{request_id}. {to}"
    who = "l'ambassadeur" if meeting.target_type == "ambassador" else "l'entreprise"
    return (
        f"❌ La personne a annulé la demande n°{request_id} ({escape(meeting.who)}) : "
        f"rendez-vous du {meeting.day:%d/%m/%Y} annulé. Merci de prévenir {who}. {to}"
    )


def waiting_list(chats: Iterable[WaitingChat], *, now: datetime) -> str:
    """/attente: chats waiting for a coordinator, each linked to its topic."""
    lines = ["<b>Conversations en attente</b>"]
    for chat in chats:
        topic = chat.topic
        name = escape(topic.name) if topic else f"utilisateur {chat.user_id[-4:]}"
        if topic is not None:
            link = f"https://t.me/c/{str(topic.chat_id).removeprefix('-100')}/{topic.thread_id}"
            name = f'<a href="{link}">{name}</a>'
        minutes = int((now - chat.since).total_seconds() // 60)
        flag = "🚨 " if chat.urgent else ""
        lines.append(f"• {flag}{name} — depuis {minutes} min")
    return "\n".join(lines)
