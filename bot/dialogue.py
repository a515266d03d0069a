"""The dialogue pipeline shared by Telegram, the terminal demo and `replay`.

One call = one user turn: clean the input, respect the hand-off state (a human holds the
chat → relay, no Rasa), ask Rasa, carry out signals (hand-off), render plain replies.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import commands, observability, texts
from bot.db_retry import retry_on_db_outage
from bot.normalize import cut, emoji_meaning, has_words, neutralise_command, scrub
from bot.rasa_client import RasaClient, RasaMessage, RasaUnavailableError
from bot.rate_limit import UserRateLimiter, Verdict
from bot.render import Reply, render_messages
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.intents import BUTTON_INTENTS
from parcours.logging_setup import user_ref
from parcours.models import HandoffState, OutboxMessage, PendingMessage, ProcessedMessage
from parcours.repositories import users
from parcours.services import handoff
from parcours.services.opening_hours import expected_wait_text
from parcours.settings import Settings

log = logging.getLogger(__name__)

#: Payloads the front end handles itself, without Rasa.
RATINGS = {"/rate_1": 1, "/rate_2": 2, "/rate_3": 3}
LOCAL_PAYLOADS = frozenset({"/cancel_handoff", commands.FORGET_CONFIRM, *RATINGS})
_PAYLOAD_RE = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.S)


@dataclass
class TurnResult:
    """What the user is shown for one input, and who holds the conversation after it."""

    replies: list[Reply] = field(default_factory=list)
    handoff: str = HandoffState.BOT.value

    def as_dict(self) -> dict[str, Any]:
        """The replay wire format."""
        return {"replies": [r.as_dict() for r in self.replies], "handoff": self.handoff}


def is_valid_button(payload: str) -> bool:
    """A payload the assistant could have offered (callback data is user-controlled)."""
    if payload in LOCAL_PAYLOADS:
        return True
    match = _PAYLOAD_RE.fullmatch(payload)
    if match is None or match.group("intent") not in BUTTON_INTENTS:
        return False
    if len(payload) > 256 or not payload.isprintable():
        return False
    entities = match.group("entities")
    if entities is None:
        return True
    try:
        return isinstance(json.loads(entities), dict)
    except ValueError:
        return False


def _database_down(dialogue: Dialogue) -> TurnResult:
    """The answer when the database stays unreachable (nothing can be kept meanwhile); the
    register cannot be read either, so it is the default one."""
    return TurnResult([Reply(texts.technical_problem(dialogue.settings, kept=False))])


def _register(session: Session, user_id: str) -> str:
    """The user's register (`tu` for a user unknown to the database).

    Called where the turn already reads the user: `session.get` finds it in the session, so
    this adds no database round trip.
    """
    user = users.get(session, user_id=user_id)
    return user.register if user is not None else "tu"


def _saying(pair: texts.Pair) -> Callable[[str], list[Reply]]:
    """One reply, `pair` said in the register it is given."""
    return lambda register: [Reply(texts.say(pair, register))]


class Dialogue:
    """Runs turns for any channel; the channel only transports `TurnResult`s."""

    def __init__(self, rasa: RasaClient, settings: Settings, *, rate_limit: bool = True) -> None:
        self.rasa = rasa
        self.settings = settings
        self.hours = settings.hours
        self.limiter = (
            UserRateLimiter(settings.user_rate_limit, settings.user_rate_window_seconds)
            if rate_limit
            else None
        )

    def _flooding(self, user_id: str) -> TurnResult | None:
        """Over the per-user limit: one polite notice per window, then silence."""
        verdict = self.limiter.check(user_id) if self.limiter is not None else Verdict.OK
        if verdict is Verdict.OK:
            return None
        if verdict is Verdict.NOTIFY:
            return self._local(user_id, _saying(texts.RATE_LIMITED))
        return self._local(user_id, lambda register: [])

    @observability.observed_turn
    @retry_on_db_outage(_database_down)
    async def handle_text(self, user_id: str, text: str, message_key: str) -> TurnResult:
        """A typed message."""
        if (flood := self._flooding(user_id)) is not None:
            return flood
        read = scrub(text)  # everything the user typed, once, before the cut
        cleaned = cut(read, self.settings.max_text_length)
        notes = (texts.TRUNCATED,) if len(read) > self.settings.max_text_length else ()
        if not cleaned:
            return self._local(user_id, _saying(texts.EMPTY_MESSAGE))
        if not has_words(cleaned):
            meaning = emoji_meaning(cleaned)
            if meaning is None:
                return await self._held_or(user_id, cleaned, texts.UNKNOWN_EMOJI)
            cleaned = meaning
        command = commands.parse(cleaned)
        if command is not None:
            return await self._command(user_id, *command, message_key)
        return await self._turn(user_id, neutralise_command(cleaned), message_key, notes)

    @observability.observed_turn
    @retry_on_db_outage(_database_down)
    async def handle_button(self, user_id: str, payload: str, message_key: str) -> TurnResult:
        """A button press; forged or stale payloads get the menu, never an error."""
        if (flood := self._flooding(user_id)) is not None:
            return flood
        if not is_valid_button(payload):
            return await self._turn(user_id, "/menu", message_key, (texts.STALE_BUTTON,))
        if payload == "/cancel_handoff":
            return self._cancel_handoff(user_id)
        if payload == commands.FORGET_CONFIRM:
            return self._outcome(user_id, commands.forget(user_id, self.settings))
        if payload in RATINGS:
            with session_scope() as session:
                handoff.rate(session, user_id=user_id, score=RATINGS[payload])
            return self._local(user_id, _saying(texts.RATED))
        return await self._turn(user_id, payload, message_key)

    @observability.observed_turn
    @retry_on_db_outage(_database_down)
    async def handle_location(
        self, user_id: str, latitude: float, longitude: float, message_key: str
    ) -> TurnResult:
        """A shared location: Rasa sets the user's territory from the nearest commune."""
        entities = json.dumps({"latitude": round(latitude, 5), "longitude": round(longitude, 5)})
        return await self._turn(user_id, f"/share_location{entities}", message_key)

    def is_held(self, user_id: str) -> bool:
        """True while a coordinator holds (or is about to hold) the chat."""
        return self._state(user_id) in (HandoffState.WAITING, HandoffState.HUMAN)

    def held_and_register(self, user_id: str) -> tuple[bool, str]:
        """`is_held`, and the user's register (`tu` if unknown), in one database read."""
        state, register = self._where(user_id)
        return state in (HandoffState.WAITING, HandoffState.HUMAN), register

    def register_of(self, user_id: str) -> str:
        """The user's register (`tu` for a user unknown to the database)."""
        with session_scope() as session:
            return _register(session, user_id)

    def relay_media(self, user_id: str, chat_id: int, message_id: int) -> None:
        """A photo, document, voice… sent while held: copied to the user's staff topic."""
        with session_scope() as session:
            users.get_or_create(session, user_id=user_id)
            session.add(
                OutboxMessage(
                    user_id=user_id,
                    kind="user_media",
                    payload={"chat_id": chat_id, "message_id": message_id},
                )
            )

    async def _command(self, user_id: str, name: str, arg: str, message_key: str) -> TurnResult:
        outcome = commands.run(name, arg, user_id, self.settings)
        if outcome is None:
            return self._local(user_id, _saying(texts.UNKNOWN_COMMAND))
        if outcome.payload is not None:
            return await self._turn(user_id, outcome.payload, message_key)
        return self._outcome(user_id, outcome)

    def _outcome(self, user_id: str, outcome: commands.CommandOutcome) -> TurnResult:
        def replies(register: str) -> list[Reply]:
            said = outcome.register or register
            text = texts.say(outcome.text, said) if outcome.text is not None else ""
            return [Reply(text, outcome.buttons or [], document=outcome.document)]

        return self._local(user_id, replies)

    async def _turn(
        self, user_id: str, text: str, message_key: str, notes: tuple[texts.Pair, ...] = ()
    ) -> TurnResult:
        """Ask Rasa (or relay to staff while held); `notes` come first, in the user's register."""
        done, state, register = self._already_processed(user_id, message_key)
        if done is not None:
            result = done
        elif state in (HandoffState.WAITING, HandoffState.HUMAN):
            result = self._relay_to_staff(user_id, text, state, register)
        else:
            try:
                result = await self._ask_rasa(user_id, text, message_key, state)
            except RasaUnavailableError as exc:
                log.warning(
                    "rasa unavailable for a turn: %s", exc, extra={"user": user_ref(user_id)}
                )
                observability.note_outcome("rasa_unavailable")
                self._keep_for_later(user_id, text, message_key)
                problem = texts.technical_problem(self.settings, register=register)
                result = TurnResult([Reply(problem)], state.value)
        result.replies[:0] = [Reply(texts.say(note, register)) for note in notes]
        return result

    async def _ask_rasa(
        self, user_id: str, text: str, message_key: str, state: HandoffState
    ) -> TurnResult:
        """Send to Rasa, carry out its signals, render and remember the answer."""
        messages = await self.rasa.send(user_id, text, message_key)
        observability.note_rasa_reply(messages)
        signals, shown = _split_signals(messages)
        new_state = self._apply_signals(user_id, signals) or state
        result = TurnResult(render_messages(shown), new_state.value)
        if new_state is HandoffState.WAITING and state is not HandoffState.WAITING:
            result.replies.extend(self._wait_notice(user_id))
        self._remember(user_id, message_key, result)
        return result

    def _keep_for_later(self, user_id: str, text: str, message_key: str) -> None:
        """Store the message so that `retry_pending` answers it once Rasa is back."""
        with session_scope() as session:
            users.get_or_create(session, user_id=user_id)
            exists = session.scalars(
                select(PendingMessage).where(
                    PendingMessage.user_id == user_id, PendingMessage.message_key == message_key
                )
            ).first()
            if exists is None:
                session.add(PendingMessage(user_id=user_id, message_key=message_key, text=text))
            else:
                exists.attempts += 1

    async def retry_pending(self, limit: int = 20) -> list[tuple[str, TurnResult]]:
        """Answer kept messages, oldest first, while Rasa answers; returns what to send."""
        with session_scope() as session:
            rows = [
                (row.id, row.user_id, row.text, row.message_key)
                for row in session.scalars(
                    select(PendingMessage).order_by(PendingMessage.id).limit(limit)
                )
            ]
        answered: list[tuple[str, TurnResult]] = []
        for row_id, user_id, text, message_key in rows:
            try:
                result = await self._ask_rasa(user_id, text, message_key, self._state(user_id))
            except RasaUnavailableError:
                break  # still down: keep the rest, in order
            with session_scope() as session:
                row = session.get(PendingMessage, row_id)
                if row is not None:
                    session.delete(row)
            answered.append((user_id, result))
        return answered

    async def _held_or(self, user_id: str, text: str, pair: texts.Pair) -> TurnResult:
        state, register = self._where(user_id)
        if state in (HandoffState.WAITING, HandoffState.HUMAN):
            return self._relay_to_staff(user_id, text, state, register)
        return TurnResult([Reply(texts.say(pair, register))], state.value)

    def _local(self, user_id: str, replies: Callable[[str], list[Reply]]) -> TurnResult:
        """An answer made here, without Rasa: `replies(register)` in the user's register."""
        state, register = self._where(user_id)
        return TurnResult(replies(register), state.value)

    def _state(self, user_id: str) -> HandoffState:
        with session_scope() as session:
            return handoff.current_state(session, user_id=user_id)

    def _where(self, user_id: str) -> tuple[HandoffState, str]:
        """Who holds the chat, and the user's register, in one read."""
        with session_scope() as session:
            return handoff.current_state(session, user_id=user_id), _register(session, user_id)

    def _relay_to_staff(
        self, user_id: str, text: str, state: HandoffState, register: str
    ) -> TurnResult:
        """A human holds (or is about to hold) the chat: the message goes to staff, not Rasa."""
        observability.note_outcome("relayed")
        with session_scope() as session:
            users.get_or_create(session, user_id=user_id)
            session.add(
                OutboxMessage(user_id=user_id, kind="user_message", payload={"text": text})
            )
        if state is HandoffState.HUMAN:
            return TurnResult([], state.value)  # the coordinator answers; the bot stays silent
        back = {"title": "Revenir à l'assistant", "payload": "/cancel_handoff"}
        waiting = texts.say(texts.RELAYED_WAITING, register)
        return TurnResult([Reply(waiting, buttons=[back])], state.value)

    def _cancel_handoff(self, user_id: str) -> TurnResult:
        with session_scope() as session:
            if handoff.current_state(session, user_id=user_id) is HandoffState.WAITING:
                handoff.transition(session, user_id=user_id, target=HandoffState.BOT, actor="user")
            register = _register(session, user_id)
        cancelled = texts.say(texts.HANDOFF_CANCELLED, register)
        return TurnResult([Reply(cancelled)], self._state(user_id).value)

    def _apply_signals(self, user_id: str, signals: list[dict[str, Any]]) -> HandoffState | None:
        new_state = None
        for signal in signals:
            request = signal.get("handoff")
            if isinstance(request, dict):
                with session_scope() as session:
                    handoff.request(
                        session,
                        user_id=user_id,
                        reason=str(request.get("reason", "user_request")),
                        urgent=bool(request.get("urgent", False)),
                    )
                    new_state = handoff.current_state(session, user_id=user_id)
        return new_state

    def _wait_notice(self, user_id: str) -> list[Reply]:
        """Out of opening hours: the hours, when someone answers, and the free number."""
        now = utcnow()
        if self.hours.is_open(now):
            return []
        with session_scope() as session:
            register = _register(session, user_id)
        wait = expected_wait_text(self.hours, now, register="vous" if register == "vous" else "tu")
        call = texts.say(texts.WAIT_CALL, register)
        return [Reply(call.format(wait=wait, pm_number=self.settings.pm_number_phrase))]

    def _already_processed(
        self, user_id: str, message_key: str
    ) -> tuple[TurnResult | None, HandoffState, str]:
        """The answer already given to this message (None if new), who holds the chat, and
        the user's register: one database session for all three."""
        with session_scope() as session:
            row = session.scalars(
                select(ProcessedMessage).where(
                    ProcessedMessage.user_id == user_id,
                    ProcessedMessage.message_key == message_key,
                )
            ).first()
            state = handoff.current_state(session, user_id=user_id)
            register = _register(session, user_id)
            if row is None:
                return None, state, register
            replies = [Reply.from_dict(r) for r in row.replies]
            return TurnResult(replies, state.value), state, register

    def _remember(self, user_id: str, message_key: str, result: TurnResult) -> None:
        with session_scope() as session:
            users.get_or_create(session, user_id=user_id).last_seen_at = utcnow()
            session.add(
                ProcessedMessage(
                    user_id=user_id,
                    message_key=message_key,
                    replies=[r.as_dict() for r in result.replies],
                )
            )


def _split_signals(messages: list[RasaMessage]) -> tuple[list[dict[str, Any]], list[RasaMessage]]:
    """Separate control payloads (custom JSON for the front end) from what users see."""
    signals, shown = [], []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and "handoff" in custom:
            signals.append(custom)
        else:
            shown.append(message)
    return signals, shown


def message_key_for(*parts: object) -> str:
    """A stable key for an input (e.g. Telegram update id, or replay line number)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
