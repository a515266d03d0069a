"""French texts the front end says by itself (everything else comes from Rasa's domain).

Every text that speaks to the user is a pair, one text per register: `tu` for young people,
`vous` for parents and professionals (`parcours.models.User.register`; a user unknown to the
database is `tu`). `say(pair, register)` picks one.
"""

from __future__ import annotations

from parcours.settings import Settings

#: One text per register: {"tu": …, "vous": …}.
Pair = dict[str, str]


def say(pair: Pair, register: str | None) -> str:
    """The text of `pair` for `register` (anything but "vous" is "tu")."""
    return pair["vous" if register == "vous" else "tu"]


TECHNICAL_PROBLEM = {
    "tu": "Oups, je rencontre un problème technique et je ne peux pas répondre tout de suite. "
    "{then} En attendant, tu peux appeler {pm_number}, ou demander un conseiller.",
    "vous": "Oups, je rencontre un problème technique et je ne peux pas répondre tout de "
    "suite. {then} En attendant, vous pouvez appeler {pm_number}, ou demander un conseiller.",
}
MESSAGE_KEPT = {
    "tu": "Ton message est gardé : je te réponds dès que possible.",
    "vous": "Votre message est gardé : je vous réponds dès que possible.",
}
TRY_LATER = {
    "tu": "Réessaie dans quelques minutes.",
    "vous": "Réessayez dans quelques minutes.",
}


def technical_problem(settings: Settings, *, kept: bool = True, register: str = "tu") -> str:
    """Rasa, the action server or the database is down: say so, keep a way forward."""
    then = say(MESSAGE_KEPT if kept else TRY_LATER, register)
    return say(TECHNICAL_PROBLEM, register).format(then=then, pm_number=settings.pm_number_phrase)


EMPTY_MESSAGE = {
    "tu": "Je n'ai rien reçu 🙂 Écris ta question avec tes mots, ou tape /aide.",
    "vous": "Je n'ai rien reçu 🙂 Écrivez votre question avec vos mots, ou tapez /aide.",
}
UNKNOWN_EMOJI = {
    "tu": "Joli ! 😄 Je comprends mieux les mots : pose-moi ta question sur les métiers, "
    "les formations ou les stages, ou tape /aide.",
    "vous": "Joli ! 😄 Je comprends mieux les mots : posez-moi votre question sur les métiers, "
    "les formations ou les stages, ou tapez /aide.",
}
STALE_BUTTON = {
    "tu": "Ce bouton n'est plus valable. Voici ce que je peux faire pour toi :",
    "vous": "Ce bouton n'est plus valable. Voici ce que je peux faire pour vous :",
}
RELAYED_WAITING = {
    "tu": "Ton message est transmis : un conseiller va te répondre ici. "
    "Tu peux aussi revenir à l'assistant.",
    "vous": "Votre message est transmis : un conseiller va vous répondre ici. "
    "Vous pouvez aussi revenir à l'assistant.",
}
HANDOFF_CANCELLED = {
    "tu": "D'accord, c'est de nouveau l'assistant qui te répond. Pose ta question !",
    "vous": "D'accord, c'est de nouveau l'assistant qui vous répond. Posez votre question !",
}
TRUNCATED = {
    "tu": "Ton message était très long : je n'en ai lu que le début.",
    "vous": "Votre message était très long : je n'en ai lu que le début.",
}
#: After the opening-hours notice (`expected_wait_text`), when a hand-off waits.
WAIT_CALL = {
    "tu": "{wait} D'ici là, tu peux appeler {pm_number}.",
    "vous": "{wait} D'ici là, vous pouvez appeler {pm_number}.",
}

#: What the user is told when a coordinator acts, by register (tu / vous); `{of_org}` and the
#: region's other placeholders are filled by `parcours.regions.fill`.
COORDINATOR_JOINED = {
    "tu": "👋 Un conseiller {of_org} a rejoint la conversation. Tu peux lui écrire ici.",
    "vous": "👋 Un conseiller {of_org} a rejoint la conversation. Vous pouvez lui écrire ici.",
}
TRANSFERRED = {
    "tu": "Ta demande est confiée à un autre conseiller, mieux placé pour t'aider. Il te "
    "répond ici dès que possible.",
    "vous": "Votre demande est confiée à un autre conseiller, mieux placé pour vous aider. Il "
    "vous répond ici dès que possible.",
}
CLOSED = {
    "tu": "Le conseiller a terminé la conversation. C'est de nouveau l'assistant qui te "
    "répond. Une dernière chose : cet échange t'a-t-il aidé ?",
    "vous": "Le conseiller a terminé la conversation. C'est de nouveau l'assistant qui vous "
    "répond. Une dernière chose : cet échange vous a-t-il aidé ?",
}
SATISFACTION_BUTTONS = [
    {"title": "😀 Oui, beaucoup", "payload": "/rate_3"},
    {"title": "🙂 Un peu", "payload": "/rate_2"},
    {"title": "🙁 Pas vraiment", "payload": "/rate_1"},
]
RATED = {
    "tu": "Merci pour ta réponse ! Je reste là si tu as d'autres questions.",
    "vous": "Merci pour votre réponse ! Je reste là si vous avez d'autres questions.",
}
#: After the one-tap answer to "c'était utile ?" (a meeting's follow-up), by answer.
FOLLOW_UP_YES = {
    "tu": "Super, merci ! 🎉 Je suis là si tu veux chercher un autre métier ou un stage.",
    "vous": "Merci pour votre réponse ! 🎉 Je suis là si vous voulez chercher un autre "
    "métier ou un stage.",
}
FOLLOW_UP_SO_SO = {
    "tu": "Merci pour ta réponse. Si tu veux, un conseiller peut t'aider à trouver une "
    "autre piste : tape /humain.",
    "vous": "Merci pour votre réponse. Si vous le souhaitez, un conseiller peut vous aider "
    "à trouver une autre piste : tapez /humain.",
}
FOLLOW_UP_NO = {
    "tu": "Merci de me le dire. Un conseiller peut t'aider à trouver une piste qui te "
    "va mieux : tape /humain.",
    "vous": "Merci de nous le dire. Un conseiller peut vous aider à trouver une piste qui "
    "vous convienne mieux : tapez /humain.",
}
FOLLOW_UP_UNKNOWN = {
    "tu": "Ce bouton n'est plus valable (la demande a peut-être été effacée).",
    "vous": "Ce bouton n'est plus valable (la demande a peut-être été effacée).",
}
HANDED_BACK = {
    "tu": "Me revoilà : c'est de nouveau l'assistant qui te répond. Une autre question ?",
    "vous": "Me revoilà : c'est de nouveau l'assistant qui vous répond. Une autre question ?",
}
RATE_LIMITED = {
    "tu": "Doucement 🙂 tu m'envoies beaucoup de messages d'un coup. Attends quelques secondes, "
    "puis écris-moi ta question en un seul message.",
    "vous": "Doucement 🙂 vous m'envoyez beaucoup de messages d'un coup. Attendez quelques "
    "secondes, puis écrivez-moi votre question en un seul message.",
}

# --- slash commands (bot/commands.py) ------------------------------------------------------

MY_DATA = {
    "tu": "Voici toutes les données que je garde sur toi (fichier JSON). "
    "Pour tout effacer : /oubli.",
    "vous": "Voici toutes les données que je garde sur vous (fichier JSON). "
    "Pour tout effacer : /oubli.",
}
FORGET_QUESTION = {
    "tu": "Tu veux vraiment effacer toutes tes données (profil, conversation, demandes) ? "
    "C'est définitif.",
    "vous": "Voulez-vous vraiment effacer toutes vos données (profil, conversation, "
    "demandes) ? C'est définitif.",
}
FORGOTTEN = {
    "tu": "C'est fait : tout ce que je savais de toi est effacé. Tu peux recommencer quand "
    "tu veux.",
    "vous": "C'est fait : tout ce que je savais de vous est effacé. Vous pouvez recommencer "
    "quand vous voulez.",
}
BEING_FORGOTTEN = {
    "tu": "J'efface encore tes données. Réessaie dans une minute, tu repartiras de zéro.",
    "vous": "J'efface encore vos données. Réessayez dans une minute, vous repartirez de zéro.",
}
UNKNOWN_COMMAND = {
    "tu": "Je ne connais pas cette commande. Essaie /aide pour voir ce que je sais faire.",
    "vous": "Je ne connais pas cette commande. Essayez /aide pour voir ce que je sais faire.",
}

# --- Telegram only (bot/telegram_app.py) ---------------------------------------------------

GROUP_NOTICE = {
    "tu": "Je ne discute qu'en message privé : écris-moi directement 🙂",
    "vous": "Je ne discute qu'en message privé : écrivez-moi directement 🙂",
}
MEDIA_NOTICE = {
    "tu": "Je ne sais lire que les messages écrits. Écris ta question, ou tape /humain pour "
    "parler à un conseiller.",
    "vous": "Je ne sais lire que les messages écrits. Écrivez votre question, ou tapez /humain "
    "pour parler à un conseiller.",
}
CONTACT_NOTICE = {
    "tu": "Merci, mais je n'ai pas besoin de numéro de téléphone et je n'en garde aucun. "
    "Écris-moi ta question, ou tape /humain pour parler à un conseiller.",
    "vous": "Merci, mais je n'ai pas besoin de numéro de téléphone et je n'en garde aucun. "
    "Écrivez-moi votre question, ou tapez /humain pour parler à un conseiller.",
}
LOCATION_PLACEHOLDER = {  # the input field's hint under the "share my location" keyboard
    "tu": "ou écris le nom de ta commune",
    "vous": "ou écrivez le nom de votre commune",
}
INTERNAL_ERROR = {
    "tu": "Oups, un souci de mon côté. Réessaie dans un instant, ou tape /humain.",
    "vous": "Oups, un souci de mon côté. Réessayez dans un instant, ou tapez /humain.",
}

# -- the web chat (bot/web_socket.py) ---------------------------------------------------------
WEB_UNREADABLE = {
    "tu": "Je n'ai pas pu lire ce message. Écris ta question, ou choisis un bouton.",
    "vous": "Je n'ai pas pu lire ce message. Écrivez votre question, ou choisissez un bouton.",
}
