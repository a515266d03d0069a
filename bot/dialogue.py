"""The dialogue pipeline shared by Telegram, the terminal demo and `replay`.

One call = one user turn: flood control, clean the input, answer commands and local buttons
here, respect the hand-off state (a human holds the chat → relay, no Rasa: `bot/held_chat.py`),
else ask Rasa (`bot/rasa_turn.py`) unless the input was already answered (redelivery).
Database access goes through `parcours.services.conversations`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from bot import commands, held_chat, observability, texts
from bot.db_retry import retry_on_db_outage
from bot.normalize import cut, emoji_meaning, has_words, neutralise_command, scrub
from bot.rasa_client import RasaClient, RasaUnavailableError
from bot.rasa_turn import RasaTurns
from bot.rate_limit import UserRateLimiter, Verdict
from bot.render import Reply
from bot.turn import TurnResult, saying
from parcours.intents import BUTTON_INTENTS
from parcours.logging_setup import user_ref
from parcours.services import conversations
from parcours.services.conversations import HELD
from parcours.settings import Settings

log = logging.getLogger(__name__)

#: Payloads the front end handles itself, without Rasa.
RATINGS = {"/rate_1": 1, "/rate_2": 2, "/rate_3": 3}
LOCAL_PAYLOADS = frozenset({held_chat.BACK_TO_ASSISTANT, commands.FORGET_CONFIRM, *RATINGS})
#: The one-tap answers after a meeting (`parcours.services.meeting_texts.FOLLOW_UP_PAYLOAD`).
FOLLOW_UP_THANKS = {
    "oui": texts.FOLLOW_UP_YES,
    "moyen": texts.FOLLOW_UP_SO_SO,
    "non": texts.FOLLOW_UP_NO,
}
FOLLOW_UP_RE = re.compile(r"^/suivi_(?P<request>\d{1,9})_(?P<answer>oui|moyen|non)$")
_PAYLOAD_RE = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.S)


def is_valid_button(payload: str) -> bool:
    """A payload the assistant could have offered (callback data is user-controlled)."""
    if payload in LOCAL_PAYLOADS or FOLLOW_UP_RE.fullmatch(payload):
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


class Dialogue:
    """Runs turns for any channel; the channel only transports `TurnResult`s."""

    def __init__(self, rasa: RasaClient, settings: Settings, *, rate_limit: bool = True) -> None:
        self.rasa = rasa
        self.settings = settings
        self.rasa_turns = RasaTurns(rasa, settings)
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
            return self._local(user_id, saying(texts.RATE_LIMITED))
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
            return self._local(user_id, saying(texts.EMPTY_MESSAGE))
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
        if payload == held_chat.BACK_TO_ASSISTANT:
            return held_chat.cancel_handoff(user_id)
        if payload == commands.FORGET_CONFIRM:
            return self._outcome(user_id, commands.forget(user_id, self.settings))
        if payload in RATINGS:
            conversations.rate(user_id, RATINGS[payload])
            return self._local(user_id, saying(texts.RATED))
        if (follow_up := FOLLOW_UP_RE.fullmatch(payload)) is not None:
            answer = follow_up["answer"]
            kept = conversations.answer_follow_up(user_id, int(follow_up["request"]), answer)
            thanks = FOLLOW_UP_THANKS[answer] if kept else texts.FOLLOW_UP_UNKNOWN
            return self._local(user_id, saying(thanks))
        return await self._turn(user_id, payload, message_key)

    @observability.observed_turn
    @retry_on_db_outage(_database_down)
    async def handle_location(
        self, user_id: str, latitude: float, longitude: float, message_key: str
    ) -> TurnResult:
        """A shared location: Rasa sets the user's territory from the nearest commune."""
        entities = json.dumps({"latitude": round(latitude, 5), "longitude": round(longitude, 5)})
        return await self._turn(user_id, f"/share_location{entities}", message_key)

    async def retry_pending(self, limit: int = 20) -> list[tuple[str, TurnResult]]:
        """Answer messages kept while Rasa was down, oldest first; returns what to send."""
        return await self.rasa_turns.retry_pending(limit)

    def is_held(self, user_id: str) -> bool:
        """True while a coordinator holds (or is about to hold) the chat."""
        return conversations.state(user_id) in HELD

    def held_and_register(self, user_id: str) -> tuple[bool, str]:
        """`is_held`, and the user's register (`tu` if unknown), in one database read."""
        state, register = conversations.where(user_id)
        return state in HELD, register

    def register_of(self, user_id: str) -> str:
        """The user's register (`tu` for a user unknown to the database)."""
        return conversations.register_of(user_id)

    def relay_media(self, user_id: str, chat_id: int, message_id: int) -> None:
        """A photo, document, voice… sent while held: copied to the user's staff topic."""
        conversations.relay_media(user_id, chat_id, message_id)

    async def _command(self, user_id: str, name: str, arg: str, message_key: str) -> TurnResult:
        outcome = commands.run(name, arg, user_id, self.settings)
        if outcome is None:
            return self._local(user_id, saying(texts.UNKNOWN_COMMAND))
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
        """Ask Rasa (or relay to staff while held); `notes` come first, in the user's register.
        Nothing for a user whose /oubli is not final yet: a Rasa turn would write them back."""
        done, state, register, forgotten = conversations.already_answered(
            self.settings, user_id, message_key
        )
        if forgotten:
            result = TurnResult([Reply(texts.say(texts.BEING_FORGOTTEN, register))], state.value)
        elif done is not None:
            result = TurnResult([Reply.from_dict(r) for r in done], state.value)
        elif state in HELD:
            result = held_chat.relay_to_staff(user_id, text, state, register)
        else:
            try:
                result = await self.rasa_turns.ask(user_id, text, message_key, state)
            except RasaUnavailableError as exc:
                log.warning(
                    "rasa unavailable for a turn: %s", exc, extra={"user": user_ref(user_id)}
                )
                observability.note_outcome("rasa_unavailable")
                conversations.keep_for_later(user_id, message_key, text)
                problem = texts.technical_problem(self.settings, register=register)
                result = TurnResult([Reply(problem)], state.value)
        result.replies[:0] = [Reply(texts.say(note, register)) for note in notes]
        result.register = register
        return result

    async def _held_or(self, user_id: str, text: str, pair: texts.Pair) -> TurnResult:
        state, register = conversations.where(user_id)
        if state in HELD:
            return held_chat.relay_to_staff(user_id, text, state, register)
        return TurnResult([Reply(texts.say(pair, register))], state.value, register)

    def _local(self, user_id: str, replies: Callable[[str], list[Reply]]) -> TurnResult:
        """An answer made here, without Rasa: `replies(register)` in the user's register."""
        state, register = conversations.where(user_id)
        return TurnResult(replies(register), state.value, register)
