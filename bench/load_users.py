"""Simulated Telegram users for bench/load.py: scripted conversations, and how a turn is timed.

A turn starts when the update is pushed to the emulated Bot API and ends at the bot's last
bubble (sendMessage / sendVenue / sendDocument / sendLocation / sendPhoto) for that chat. The
bot answers every input with at least one bubble, and one chat's updates are handled one at a
time, so a turn is complete once it has ≥ 1 bubble and the chat stayed quiet for `quiet`
seconds (the next input is never pushed before). A call that arrives for a chat with no turn
open is counted as `late` (it would mean `quiet` was too short). An input still without any
bubble when the drain phase ends is `lost`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack.botapi import BotApiEmulator, Call

BUBBLES = frozenset({"sendmessage", "sendvenue", "senddocument", "sendlocation", "sendphoto"})
TECHNICAL = ("problème technique", "Oups, un souci")
GREETINGS = ["bonjour", "slt", "bjr", "salut", "coucou", "bonsoir", "hello", "Bonjour !"]
FAQ = [
    "c koi le numero pour le decrochage",
    "un mini stage ca dure combien de temps",
    "comment rencontrer un ambassadeur metier",
    "c'est gratuit ?",
    "je suis en 3e je sais pas quoi faire plus tard",
    "c quoi cleor",
    "c'est quoi destination metier",
    "je peux faire un stage pendant les vacances ?",
    "j'ai 15 ans je peux faire un stage ?",
    "c'est quoi une convention de stage",
    "vous etes ouvert quand",
    "c'est quoi la mission locale",
    "comment devenir ambassadeur",
    "mon fils a arrêté le lycée, on fait quoi ?",
]
SEARCHES = [
    ("je cherche un stage de 3eme en boulangerie vers caen", "caen", "boulanger"),
    ("un stage en coiffure a rouen", "rouen", "coiffeur"),
    ("je veux faire un mini stage en mecanique au havre", "le havre", "mécanicien"),
    ("stage de decouverte chez un fleuriste a caen", "caen", "fleuriste"),
]
STATUS = ["où en est ma demande ?", "ou en est ma demande", "ma demande elle en est ou"]
THANKS = ["merci", "merci beaucoup", "super merci", "ok merci !"]
_user_ids = itertools.count(random.randint(100_000_000, 900_000_000) * 10)


class LoadEmulator(BotApiEmulator):
    """The e2e emulator plus a cheap read of the call log from a cursor."""

    def calls_from(self, index: int) -> list[Call]:
        """Calls received at or after position `index`, done or not."""
        with self._lock:
            return self._calls[index:]


@dataclass
class Turn:
    """One input and what the bot answered."""

    user_id: int
    kind: str  # "text" | "button"
    pushed_at: float
    bubbles: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    last_call_at: float = 0.0
    done: asyncio.Future[None] | None = None

    @property
    def latency(self) -> float:
        """Seconds from the push to the last bubble."""
        return self.bubbles[-1][0] - self.pushed_at

    @property
    def texts(self) -> str:
        """All bubble texts."""
        return "\n".join(str(r.get("text") or r.get("caption") or "") for _, r in self.bubbles)

    def buttons(self) -> list[dict[str, str]]:
        """Inline buttons of every bubble, with the message id they sit under."""
        found = []
        for _, result in self.bubbles:
            rows = (result.get("reply_markup") or {}).get("inline_keyboard") or []
            for row in rows:
                for button in row:
                    if "callback_data" in button:
                        found.append({**button, "message_id": result["message_id"]})
        return found


class Tracker:
    """Reads the emulator's call log and closes turns (see the module docstring)."""

    def close_all(self) -> list[Turn]:
        """End of the drain: close every open turn; returns those without any bubble."""
        lost = [turn for turn in self.open.values() if not turn.bubbles]
        for user_id, turn in list(self.open.items()):
            if turn.bubbles:
                self._close(user_id, turn)
            else:
                del self.open[user_id]
                if turn.done is not None and not turn.done.done():
                    turn.done.set_result(None)
        return lost

    def __init__(self, api: LoadEmulator, quiet: float) -> None:
        self.api = api
        self.quiet = quiet
        self.open: dict[int, Turn] = {}
        self.finished: list[Turn] = []
        self.methods: Counter[str] = Counter()
        self.errors: list[str] = []
        self.late = 0
        self.technical = 0
        self._cursor = 0
        self._seen: set[int] = set()

    def start(self, turn: Turn) -> None:
        """A pushed input waits for its answer."""
        turn.done = asyncio.get_running_loop().create_future()
        self.open[turn.user_id] = turn

    def poll(self) -> None:
        """Route new calls to their turns; close quiet turns."""
        calls = self.api.calls_from(self._cursor)
        advance = True
        for offset, call in enumerate(calls):
            index = self._cursor + offset
            if index in self._seen:
                continue
            if not call.done and call.method.lower() != "getupdates":
                advance = False  # answered later: routed by a later poll
                continue
            self._seen.add(index)
            self._route(call)
        if advance:
            self._seen = {i for i in self._seen if i >= self._cursor + len(calls)}
            self._cursor += len(calls)
        now = time.time()
        for user_id, turn in list(self.open.items()):
            if turn.bubbles and now - turn.last_call_at >= self.quiet:
                self._close(user_id, turn)

    def _route(self, call: Call) -> None:
        method = call.method.lower()
        self.methods[call.method] += 1
        if not call.ok:
            self.errors.append(f"{call.method} → {call.error_code} {call.description}")
        chat = call.chat_id
        if chat is None or chat <= 0 or method == "getupdates":
            return
        turn = self.open.get(chat)
        if turn is None:
            self.late += 1
            return
        turn.last_call_at = max(turn.last_call_at, call.at)
        if method in BUBBLES and call.ok and isinstance(call.result, dict):
            turn.bubbles.append((call.at, call.result))

    def _close(self, user_id: int, turn: Turn) -> None:
        del self.open[user_id]
        if any(marker in turn.texts for marker in TECHNICAL):
            self.technical += 1
        self.finished.append(turn)
        if turn.done is not None and not turn.done.done():
            turn.done.set_result(None)

    async def run(self, stop: asyncio.Event, every: float = 0.01) -> None:
        """Poll until `stop` is set."""
        while not stop.is_set():
            self.poll()
            await asyncio.sleep(every)


class SimUser:
    """One Telegram user running one scripted conversation (a new user id each time)."""

    def __init__(
        self,
        api: LoadEmulator,
        tracker: Tracker,
        rng: random.Random,
        timeout: float,
    ) -> None:
        self.api = api
        self.tracker = tracker
        self.rng = rng
        self.timeout = timeout
        self.id = next(_user_ids)
        self.last: Turn | None = None
        self.unanswered = 0

    async def _turn(self, kind: str, push: Callable[[], Any]) -> Turn:
        turn = Turn(self.id, kind, time.time())
        self.tracker.start(turn)
        push()
        assert turn.done is not None
        try:
            await asyncio.wait_for(asyncio.shield(turn.done), self.timeout)
        except TimeoutError:
            self.unanswered += 1  # still open: the drain phase decides whether it is lost
            await turn.done
        self.last = turn
        return turn

    async def say(self, text: str) -> Turn:
        """Type a message."""
        return await self._turn("text", lambda: self.api.push_message(self.id, text))

    async def press(self, match: Callable[[dict[str, str]], bool]) -> Turn | None:
        """Press the first button of the last turn accepted by `match` (None if there is none)."""
        if self.last is None:
            return None
        found = [b for b in self.last.buttons() if match(b)]
        if not found:
            return None
        button = self.rng.choice(found)
        data, message_id = button["callback_data"], int(button["message_id"])
        return await self._turn(
            "button", lambda: self.api.push_callback(self.id, data, message_id)
        )


def _payload_has(fragment: str) -> Callable[[dict[str, str]], bool]:
    return lambda button: fragment in button.get("callback_data", "")


def _role(role: str) -> Callable[[dict[str, str]], bool]:
    return lambda b: json.dumps({"role": role}).replace(" ", "") in b.get("callback_data", "")


async def pupil_faq(user: SimUser, think: Callable[[], Any]) -> None:
    """Greeting, role and age buttons, two or three FAQ questions, thanks."""
    rng = user.rng
    await user.say(rng.choice(GREETINGS))
    await think()
    role = rng.choice(["eleve", "eleve", "parent", "demandeur_emploi", "salarie"])
    if await user.press(_role(role)) is not None:
        await think()
        if await user.press(_payload_has("tell_age")) is not None:
            await think()
    for question in rng.sample(FAQ, rng.randint(2, 3)):
        await user.say(question)
        await think()
    await user.say(rng.choice(THANKS))


async def ministage(user: SimUser, think: Callable[[], Any]) -> None:
    """A pupil searches a mini-stage, opens an offer, files a request, asks its status."""
    rng = user.rng
    await user.say(rng.choice(GREETINGS))
    await think()
    if await user.press(_role("eleve")) is not None:
        await think()
    query, town, job = rng.choice(SEARCHES)
    turn = await user.say(query)
    for _ in range(2):
        if any("choose_target" in b["callback_data"] for b in turn.buttons()):
            break
        await think()
        question = turn.texts.lower()
        turn = await user.say(
            town if "commune" in question else "3e" if "classe" in question else job
        )
    await think()
    if await user.press(_payload_has("choose_target")) is None:
        return
    await think()
    if await user.press(_payload_has("request_contact")) is None:
        return
    await think()
    await user.say("Je voudrais voir comment on travaille le matin")
    await think()
    await user.say("pendant les vacances de février")
    await think()
    await user.say(rng.choice(STATUS))


async def status_and_faq(user: SimUser, think: Callable[[], Any]) -> None:
    """A returning user asks about a request, then a question."""
    rng = user.rng
    await user.say(rng.choice(GREETINGS))
    await think()
    await user.say(rng.choice(STATUS))
    await think()
    await user.say(rng.choice(FAQ))
    await think()
    await user.say(rng.choice(THANKS))


SCENARIOS = [(pupil_faq, 0.5), (ministage, 0.35), (status_and_faq, 0.15)]


def pick_scenario(rng: random.Random) -> Callable[[SimUser, Callable[[], Any]], Any]:
    """A conversation script, by weight."""
    functions, weights = zip(*SCENARIOS, strict=True)
    chosen: Callable[[SimUser, Callable[[], Any]], Any] = rng.choices(functions, weights)[0]
    return chosen
