"""French texts the front end says by itself (everything else comes from Rasa's domain)."""

from __future__ import annotations

from parcours.settings import Settings


def technical_problem(settings: Settings, *, kept: bool = True) -> str:
    """Rasa, the action server or the database is down: say so, keep a way forward."""
    kept_or_not = (
        "Ton message est gardé : je te réponds dès que possible."
        if kept
        else "Réessaie dans quelques minutes."
    )
    return (
        "Oups, je rencontre un problème technique et je ne peux pas répondre tout de suite. "
        f"{kept_or_not} En attendant, tu peux appeler {settings.pm_number_phrase}, ou "
        "demander un conseiller."
    )


EMPTY_MESSAGE = "Je n'ai rien reçu 🙂 Écris ta question avec tes mots, ou tape /aide."
UNKNOWN_EMOJI = (
    "Joli ! 😄 Je comprends mieux les mots : pose-moi ta question sur les métiers, "
    "les formations ou les stages, ou tape /aide."
)
STALE_BUTTON = "Ce bouton n'est plus valable. Voici ce que je peux faire pour toi :"
RELAYED_WAITING = (
    "Ton message est transmis : un conseiller va te répondre ici. "
    "Tu peux aussi revenir à l'assistant."
)
HANDOFF_CANCELLED = "D'accord, c'est de nouveau l'assistant qui te répond. Pose ta question !"
TRUNCATED = "Ton message était très long : je n'en ai lu que le début."

#: What the user is told when a coordinator acts, by register (tu / vous).
COORDINATOR_JOINED = {
    "tu": "👋 Un conseiller de l'Agence a rejoint la conversation. Tu peux lui écrire ici.",
    "vous": "👋 Un conseiller de l'Agence a rejoint la conversation. Vous pouvez lui écrire ici.",
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
RATED = "Merci pour ta réponse ! Je reste là si tu as d'autres questions."
HANDED_BACK = {
    "tu": "Me revoilà : c'est de nouveau l'assistant qui te répond. Une autre question ?",
    "vous": "Me revoilà : c'est de nouveau l'assistant qui vous répond. Une autre question ?",
}
RATE_LIMITED = (
    "Doucement 🙂 tu m'envoies beaucoup de messages d'un coup. Attends quelques secondes, "
    "puis écris-moi ta question en un seul message."
)
