"""French texts shown to coordinators in the staff group."""

from __future__ import annotations

NOT_COORDINATOR = (
    "Ces commandes sont réservées aux coordinateurs déclarés de l'Agence "
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
USER_BLOCKED = "⚠️ Message non remis : la personne a bloqué l'assistant ou supprimé son compte."
NOTHING_WAITING = "Aucune conversation en attente. 🎉"
ABSENT = "Vous êtes noté(e) absent(e) : les nouvelles demandes iront à vos collègues."
PRESENT = "Vous êtes de retour : les demandes de votre territoire vous sont de nouveau adressées."
REQUEST_USAGE = (
    "Usage : /demande N acceptee [JJ/MM/AAAA] [message] · /demande N refusee [message] · "
    "/demande N faite [compte rendu]"
)
REQUEST_RECORDED = "✅ Demande n°{id} : « {status} » enregistré. La personne est prévenue."
HELP = (
    "Commandes des coordinateurs\n"
    "Dans le sujet d'une personne : /prendre · /rendre (à l'assistant) · /clore · "
    "/note texte (privée) · /transferer territoire · /demande N acceptee|refusee|faite\n"
    "Partout : /attente (conversations en attente) · /absent · /present · /stats"
)
