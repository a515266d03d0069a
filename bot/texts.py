"""French texts the front end says by itself (everything else comes from Rasa's domain)."""

from __future__ import annotations

from parcours.settings import Settings


def technical_problem(settings: Settings) -> str:
    """Rasa or the action server is down: say so, keep the user's way forward."""
    return (
        "Oups, je rencontre un problème technique et je ne peux pas répondre tout de suite. "
        "Ton message est gardé : je te réponds dès que possible. En attendant, tu peux appeler "
        f"{settings.pm_number_phrase}, ou demander un conseiller."
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
