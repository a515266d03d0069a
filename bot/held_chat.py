"""While a coordinator holds (or is about to hold) the chat: the user's messages go to the
staff topic instead of Rasa, and a waiting user may go back to the assistant."""

from __future__ import annotations

from bot import observability, texts
from bot.render import Reply
from bot.turn import TurnResult
from parcours.services import conversations
from parcours.services.conversations import HandoffState

BACK_TO_ASSISTANT = "/cancel_handoff"


def relay_to_staff(user_id: str, text: str, state: HandoffState, register: str) -> TurnResult:
    """Queue the message for the user's staff topic; while waiting, say it was passed on."""
    observability.note_outcome("relayed")
    conversations.relay_text(user_id, text)
    if state is HandoffState.HUMAN:
        return TurnResult([], state.value, register)  # the coordinator answers; the bot is silent
    back = {"title": "Revenir à l'assistant", "payload": BACK_TO_ASSISTANT}
    waiting = texts.say(texts.RELAYED_WAITING, register)
    return TurnResult([Reply(waiting, buttons=[back])], state.value, register)


def cancel_handoff(user_id: str) -> TurnResult:
    """The user goes back to the assistant (if nobody took the chat yet)."""
    state, register = conversations.cancel_waiting(user_id)
    cancelled = texts.say(texts.HANDOFF_CANCELLED, register)
    return TurnResult([Reply(cancelled)], state.value, register)
