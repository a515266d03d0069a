"""A turn Rasa answers: send, carry out its signals (hand-off), render, remember the answer.

Messages Rasa could not answer (down) are kept and answered here, oldest first, once it is
back (`retry_pending`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot import observability, texts
from bot.rasa_client import RasaClient, RasaMessage, RasaUnavailableError
from bot.render import Reply, render_messages
from bot.turn import TurnResult
from parcours import regions
from parcours.services import conversations
from parcours.services.conversations import HandoffState
from parcours.services.opening_hours import expected_wait_text
from parcours.settings import Settings


class RasaTurns:
    """Asks Rasa for the turns the bot does not answer itself."""

    def __init__(self, rasa: RasaClient, settings: Settings) -> None:
        self.rasa = rasa
        self.settings = settings
        self.hours = settings.hours

    async def ask(
        self, user_id: str, text: str, message_key: str, state: HandoffState
    ) -> TurnResult:
        """Send to Rasa, carry out its signals, render and remember the answer."""
        messages = await self.rasa.send(user_id, text, message_key)
        observability.note_rasa_reply(messages)
        signals, shown = split_signals(messages)
        new_state = self._apply_signals(user_id, signals) or state
        result = TurnResult(render_messages(shown), new_state.value)
        if new_state is HandoffState.WAITING and state is not HandoffState.WAITING:
            result.replies.extend(self._wait_notice(user_id))
        conversations.remember(user_id, message_key, [r.as_dict() for r in result.replies])
        return result

    async def retry_pending(self, limit: int = 20) -> list[tuple[str, TurnResult]]:
        """Answer kept messages, oldest first, while Rasa answers; returns what to send."""
        answered: list[tuple[str, TurnResult]] = []
        for kept in conversations.kept(limit):
            if conversations.being_forgotten(self.settings, kept.user_id):
                conversations.answered_kept(kept.id)  # read just before /oubli: dropped
                continue
            state, register = conversations.where(kept.user_id)
            try:
                result = await self.ask(kept.user_id, kept.text, kept.message_key, state)
            except RasaUnavailableError:
                break  # still down: keep the rest, in order
            result.register = register
            conversations.answered_kept(kept.id)
            answered.append((kept.user_id, result))
        return answered

    def _apply_signals(self, user_id: str, signals: list[dict[str, Any]]) -> HandoffState | None:
        new_state = None
        for signal in signals:
            request = signal.get("handoff")
            if isinstance(request, dict):
                new_state = conversations.request_handoff(
                    user_id,
                    reason=str(request.get("reason", "user_request")),
                    urgent=bool(request.get("urgent", False)),
                )
        return new_state

    def _wait_notice(self, user_id: str) -> list[Reply]:
        """Out of opening hours (the public holidays of the user's department: Alsace-Moselle
        has two more): the hours, when someone answers, and the free number."""
        now = datetime.now(UTC)
        hours = self.hours
        department = conversations.department_of(user_id)
        if regions.region(self.settings.region).holiday_subdivision(department):
            hours = self.settings.hours_in(department)
        if hours.is_open(now):
            return []
        register = conversations.register_of(user_id)
        wait = expected_wait_text(hours, now, register="vous" if register == "vous" else "tu")
        call = texts.say(texts.WAIT_CALL, register)
        return [Reply(call.format(wait=wait, pm_number=self.settings.pm_number_phrase))]


def split_signals(messages: list[RasaMessage]) -> tuple[list[dict[str, Any]], list[RasaMessage]]:
    """Separate control payloads (custom JSON for the front end) from what users see."""
    signals, shown = [], []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and "handoff" in custom:
            signals.append(custom)
        else:
            shown.append(message)
    return signals, shown
