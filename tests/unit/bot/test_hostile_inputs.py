"""Hostile inputs through the dialogue pipeline (scripted Rasa, real SQLite database).

Over a thousand generated inputs: no exception, no traceback in any reply, nothing longer than
`max_text_length`, no control character and no typed payload ever reaches Rasa, and forged
buttons reach it only as intents the assistant offers.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import commands, texts
from bot.dialogue import LOCAL_PAYLOADS, Dialogue, is_valid_button
from bot.normalize import cut, has_words, scrub
from bot.rasa_client import RasaClient
from bot.turn import TurnResult
from parcours.db.engine import session_scope
from parcours.intents import BUTTON_INTENTS
from parcours.models import OutboxMessage, PendingMessage, User
from parcours.settings import Settings, get_settings
from tests import hostile_inputs as h

T = TypeVar("T")

TEXT_EXAMPLES = 700
BUTTON_EXAMPLES = 300
USERS = ["1001", "1002", "987654321", "'; DROP TABLE users;--", 'x"y\\z', "élève-ü"]
#: What typed commands may send to Rasa (commands.run); typed text may send no other payload.
COMMAND_PAYLOADS = {"/greet", "/help", "/ask_human"} | {
    f'/set_role{{"role":"{role}"}}' for role in commands.START_ROLES.values()
}
_FRENCH = re.compile(
    r"\b(je|j'|tu|te|t'|ton|ta|tes|vous|le|la|les|l'|un|une|de|du|d'|des|pour|est|c'est|ce|"
    r"pas|n'|ou|et|ici|bouton|message|conseiller|merci|oups)\b",
    re.I,
)
HYPOTHESIS = hypothesis_settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)

# --- strategies ----------------------------------------------------------------------------

control = st.sampled_from(h.CONTROL_CHARS)
special = st.sampled_from([*h.BIDI, *h.INVISIBLE, *h.SURROGATES, *h.COMBINING, *h.EMOJI])
fragment = st.sampled_from(
    [*h.INJECTIONS, *h.FAKE_COMMANDS, *h.URLS, *h.NUMBERS, *h.RTL_TEXT, *h.EMOJI]
)
words = st.text(st.characters(codec="utf-8"), max_size=40)
any_chars = st.text(
    st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"]),
    max_size=80,
)
huge = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["a", "é", "😀", " ", "mot ", "e\u0301", "\u202e", "\x00", "/", "\n", "👍"]),
    st.integers(4_000, 100_000),
)
zalgo = st.builds(
    lambda base, marks, n: base + "".join(marks) * n,
    st.sampled_from(["Z", "a", "stage", "/", ""]),
    st.lists(st.sampled_from(h.COMBINING), min_size=1, max_size=8),
    st.integers(1, 2_000),
)
emoji_flood = st.lists(st.sampled_from(h.EMOJI), min_size=1, max_size=600).map("".join)
fake_command = st.builds(
    lambda slash, name, bot, arg: f"{slash}{name}{bot}{arg}",
    st.sampled_from(["/", "//", "/ /", " /", "\u200b/", "/\u202e", "/\n/", "\u2003/"]),
    st.sampled_from(
        [*(n for n, _ in commands.MENU), *BUTTON_INTENTS, "restart", "😀", "", "EXTERNAL_x"]
    ),
    st.sampled_from(["", "@x", "@ParcoursBot", "@", "@@"]),
    st.sampled_from(["", " y", " parent", ' {"role":"admin"}', '{"town":"x"}', "@0.9", " /"]),
)
long_word = st.builds(
    lambda c, n: c * n, st.sampled_from(["a", "W", "ß", "ﷺ"]), st.integers(50, 9000)
)
numbers = st.one_of(st.integers().map(str), st.floats().map(str), st.sampled_from(h.NUMBERS))
whitespace = st.text(st.sampled_from(" \t\n\r\u00a0\u2003\u3000\u2028\u202f\u200b"), max_size=30)
mixed = st.lists(
    st.one_of(fragment, words, control, special, numbers), min_size=1, max_size=6
).map(lambda parts: "".join(parts))

hostile_text = st.one_of(
    st.sampled_from(h.hostile_texts()),
    whitespace,
    any_chars,
    huge,
    zalgo,
    emoji_flood,
    fake_command,
    long_word,
    numbers,
    mixed,
    st.lists(control, max_size=40).map("".join),
)

junk_payload = st.text(st.characters(codec="utf-8"), max_size=64).filter(
    lambda s: len(s.encode()) <= 64
)
long_payload = st.text(min_size=65, max_size=400)
broken_intent = st.builds(
    lambda intent, entities: f"/{intent}{entities}",
    st.sampled_from(sorted(BUTTON_INTENTS | set(h.FORBIDDEN_INTENTS))),
    st.one_of(st.sampled_from(h.BROKEN_ENTITIES), st.just(""), st.text(max_size=40)),
)
hostile_button = st.one_of(
    st.sampled_from(h.forged_buttons()),
    junk_payload,
    long_payload,
    broken_intent,
    st.builds(lambda s: "/" + s, st.text(max_size=63)),
)
user_ids = st.sampled_from(USERS)

# --- harness ------------------------------------------------------------------------------


def scripted_rasa(request: httpx.Request) -> httpx.Response:
    """A Rasa that asks for a human on /ask_human and otherwise asks to rephrase."""
    body = json.loads(request.content)
    if body["message"] == "/ask_human":
        return httpx.Response(
            200,
            json=[
                {"text": "Je préviens un conseiller."},
                {"custom": {"handoff": {"reason": "user_request"}}},
            ],
        )
    return httpx.Response(
        200,
        json=[
            {
                "text": "Je n'ai pas bien compris. Tu peux reformuler ?",
                "buttons": [{"title": "Menu", "payload": "/menu"}],
            }
        ],
    )


@dataclass
class Harness:
    """A dialogue on one event loop, recording every body Rasa receives."""

    settings: Settings
    runner: asyncio.Runner
    handler: Callable[[httpx.Request], httpx.Response] = scripted_rasa
    seen: list[dict[str, Any]] = field(default_factory=list)
    turns: int = 0
    dialogue: Dialogue = field(init=False)

    def __post_init__(self) -> None:
        def recording(request: httpx.Request) -> httpx.Response:
            if request.content:
                self.seen.append(json.loads(request.content))
            return self.handler(request)

        client = httpx.AsyncClient(transport=httpx.MockTransport(recording))
        self.dialogue = Dialogue(RasaClient("http://rasa", "t", client=client), self.settings)

    def run(self, turn: Coroutine[Any, Any, T]) -> tuple[T, list[dict[str, Any]]]:
        """Run one turn; returns its result and what Rasa received during it."""
        before = len(self.seen)
        self.turns += 1
        result = self.runner.run(turn)
        return result, self.seen[before:]


@pytest.fixture
def quiet_settings(db_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings whose Rasa tracker store does not exist (/oubli then skips it)."""
    monkeypatch.setenv("RASA_TRACKER_URL", "")
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "no-tracker.db"))
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def harness(quiet_settings: Settings) -> Iterator[Harness]:
    """The pipeline against the scripted Rasa, with its own event loop."""
    with asyncio.Runner() as runner:
        yield Harness(quiet_settings, runner)


def key() -> str:
    """A fresh message key (each example is a new Telegram update)."""
    return uuid.uuid4().hex


# --- checks -------------------------------------------------------------------------------


def check_replies(result: TurnResult) -> None:
    """Every reply is non-empty French text without any trace of an exception."""
    assert result.handoff in {"bot", "waiting", "human", "closed"}
    assert result.replies, "every input gets an answer (nobody holds these chats)"
    for reply in result.replies:
        assert reply.text.strip(), reply
        assert _FRENCH.search(reply.text), reply.text
        assert not h.looks_like_a_traceback(reply.text), reply.text
        assert not h.forbidden_chars(reply.text, allow_format=True), reply.text


def check_sent(harness: Harness, user: str, sent: list[dict[str, Any]]) -> None:
    """What reached Rasa: the right sender, short enough, no control character."""
    assert len(sent) <= 1
    for body in sent:
        assert body["sender"] == user
        assert len(body["message"]) <= harness.settings.max_text_length
        assert body["message"].strip(), "Rasa never gets an empty message"


# --- tests --------------------------------------------------------------------------------


def check_typed(harness: Harness, user: str, text: str) -> None:
    """One typed message: safe replies, and Rasa gets clean text or a command's payload."""
    result, sent = harness.run(harness.dialogue.handle_text(user, text, key()))
    check_replies(result)
    check_sent(harness, user, sent)
    cleaned = cut(scrub(text), harness.settings.max_text_length)
    command = commands.parse(cleaned)
    for body in sent:
        message = body["message"]
        assert not h.forbidden_chars(message), repr(message)
        if command is None:
            assert not message.strip().startswith("/"), f"{text!r} reached Rasa as {message!r}"
        else:
            assert message in COMMAND_PAYLOADS, (text, message)
    read = scrub(text)  # everything the user typed, before the cut
    if len(read) > harness.settings.max_text_length and has_words(cleaned) and not command:
        assert result.replies[0].text == texts.TRUNCATED["tu"]  # users here are new: tu


def check_pressed(harness: Harness, user: str, payload: str) -> None:
    """One button press: safe replies, and Rasa gets only an intent the assistant offers."""
    result, sent = harness.run(harness.dialogue.handle_button(user, payload, key()))
    check_replies(result)
    check_sent(harness, user, sent)
    for body in sent:
        message = body["message"]
        assert not h.forbidden_chars(message, allow_format=True), repr(message)
        intent = re.match(r"/([a-z_]+)", message)
        assert intent is not None, message
        assert intent.group(1) in BUTTON_INTENTS, message
        if not is_valid_button(payload):
            assert message == "/menu", (payload, message)
        else:
            assert payload not in LOCAL_PAYLOADS
    if not is_valid_button(payload):
        assert result.replies[0].text in (texts.STALE_BUTTON["tu"], texts.RELAYED_WAITING["tu"])


def fresh(user: str) -> str:
    """A new user whose id starts like `user`: each example starts from a clean state, so a
    failing example replays (and shrinks) the same way."""
    return f"{user}#{uuid.uuid4().hex[:8]}"


#: One example in four starts by asking for a human, so that inputs are relayed, not sent.
held_first = st.integers(0, 3).map(lambda n: n == 0)


def test_hostile_texts_never_crash_leak_or_smuggle_a_payload(harness: Harness) -> None:
    examples = 0

    @hypothesis_settings(HYPOTHESIS, max_examples=TEXT_EXAMPLES)
    @given(user=user_ids, held=held_first, inputs=st.lists(hostile_text, min_size=1, max_size=2))
    def typed(user: str, held: bool, inputs: list[str]) -> None:
        nonlocal examples
        examples += 1
        user = fresh(user)
        if held:
            result, _ = harness.run(harness.dialogue.handle_text(user, "/humain", key()))
            assert result.handoff == "waiting"
        for text in inputs:
            check_typed(harness, user, text)

    typed()
    assert examples >= TEXT_EXAMPLES


def test_forged_buttons_reach_rasa_only_as_offered_intents(harness: Harness) -> None:
    examples = 0

    @hypothesis_settings(HYPOTHESIS, max_examples=BUTTON_EXAMPLES)
    @given(user=user_ids, held=held_first, inputs=st.lists(hostile_button, min_size=1, max_size=2))
    def pressed(user: str, held: bool, inputs: list[str]) -> None:
        nonlocal examples
        examples += 1
        user = fresh(user)
        if held:
            result, _ = harness.run(harness.dialogue.handle_text(user, "/humain", key()))
            assert result.handoff == "waiting"
        for payload in inputs:
            check_pressed(harness, user, payload)

    pressed()
    assert examples >= BUTTON_EXAMPLES


@pytest.mark.parametrize("text", h.hostile_texts(), ids=lambda t: repr(t[:20]))
def test_every_listed_hostile_text_is_answered_safely(harness: Harness, text: str) -> None:
    result, sent = harness.run(harness.dialogue.handle_text("1001", text, key()))
    check_replies(result)
    check_sent(harness, "1001", sent)
    for body in sent:
        assert not h.forbidden_chars(body["message"])
        if commands.parse(cut(scrub(text), 4096)) is None:
            assert not body["message"].strip().startswith("/")


def test_a_slash_hidden_behind_spaces_or_invisible_characters_is_not_a_payload(
    harness: Harness,
) -> None:
    for text in ["/ /ask_human", "/\n/ask_human", "/\u2003/ask_human", "/\u200b/ask_human"]:
        _, sent = harness.run(harness.dialogue.handle_text("1001", text, key()))
        assert [body["message"] for body in sent] == ["ask_human"], text


def test_a_lone_surrogate_does_not_break_the_request_to_rasa(harness: Harness) -> None:
    result, sent = harness.run(harness.dialogue.handle_text("1001", "salut \ud800 toi", key()))
    check_replies(result)
    assert [body["message"] for body in sent] == ["salut toi"]
    _, sent = harness.run(harness.dialogue.handle_button("1001", '/inform{"t":"\udc00"}', key()))
    assert [body["message"] for body in sent] == ["/menu"], "not printable: a forged button"


def test_quotes_and_sql_in_ids_and_texts_are_stored_verbatim(quiet_settings: Settings) -> None:
    """Kept while Rasa is down, relayed while a human is awaited: stored as typed, no SQL."""
    up = {"value": False}

    def flaky(request: httpx.Request) -> httpx.Response:
        if not up["value"]:
            raise httpx.ConnectError("refused")
        return scripted_rasa(request)

    nasty = {
        "'; DROP TABLE users;--": "Robert'); DROP TABLE pending_messages;--",
        'x"y\\z': '" OR ""=" % _ \\\' <b>&amp;</b>',
        "1 OR 1=1": "' OR '1'='1 ; SELECT * FROM users",
    }
    with asyncio.Runner() as runner:
        client = httpx.AsyncClient(transport=httpx.MockTransport(flaky))
        rasa = RasaClient("http://rasa", "t", retries=0, client=client)
        dialogue = Dialogue(rasa, quiet_settings)
        for user, text in nasty.items():
            result = runner.run(dialogue.handle_text(user, text, key()))
            assert "problème technique" in result.replies[0].text
        with session_scope() as session:
            kept = {row.user_id: row.text for row in session.scalars(select(PendingMessage))}
            assert session.scalar(select(func.count()).select_from(User)) == len(nasty)
        assert kept == nasty
        up["value"] = True
        answered = runner.run(dialogue.retry_pending())
        assert [user for user, _ in answered] == list(nasty)
        runner.run(dialogue.handle_text("'; DROP TABLE users;--", "/humain", key()))
        runner.run(dialogue.handle_text("'; DROP TABLE users;--", nasty['x"y\\z'], key()))
    with session_scope() as session:
        relayed = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "user_message")
        ).all()
        assert [(m.user_id, m.payload["text"]) for m in relayed] == [
            ("'; DROP TABLE users;--", nasty['x"y\\z'])
        ]
        assert session.scalar(select(func.count()).select_from(PendingMessage)) == 0
        assert session.scalar(select(func.count()).select_from(User)) == len(nasty)


# --- per-user rate limit ------------------------------------------------------------------


def test_a_flood_from_one_user_gets_one_polite_notice(harness: Harness) -> None:
    settings = harness.settings
    limit, window = settings.user_rate_limit, settings.user_rate_window_seconds
    pair = texts.RATE_LIMITED
    assert (limit, window) == (8, 10), "defaults: 8 messages per 10 s"
    notice = pair["tu"]  # the flooders here are new users: tu
    assert _FRENCH.search(notice)
    assert not h.looks_like_a_traceback(notice)

    def say(dialogue: Dialogue, user: str, text: str) -> tuple[list[str], int]:
        """Reply texts of one message, and how many requests Rasa received for it."""
        result, sent = harness.run(dialogue.handle_text(user, text, key()))
        return [r.text for r in result.replies], len(sent)

    for n in range(8):
        replies, sent = say(harness.dialogue, "flooder", f"question {n}")
        assert (sent, notice in replies, bool(replies)) == (1, False, True), n
    assert say(harness.dialogue, "flooder", "encore une") == ([notice], 0)
    for n in range(20):
        assert say(harness.dialogue, "flooder", f"spam {n}") == ([], 0), n
    replies, sent = say(harness.dialogue, "calm", "bonjour")  # other users are unaffected
    assert (sent, notice in replies, bool(replies)) == (1, False, True)

    # Once the window has passed, the same user is answered again.
    short = 2.0
    quick = Dialogue(
        harness.dialogue.rasa, settings.model_copy(update={"user_rate_window_seconds": short})
    )
    started = time.monotonic()
    for n in range(9):
        replies, sent = say(quick, "burst", f"q{n}")
    if time.monotonic() - started < short:  # else the machine was too slow to hit the limit
        assert (replies, sent) == ([notice], 0)
    time.sleep(short + 0.2)
    replies, sent = say(quick, "burst", "après la pause")
    assert (sent, notice in replies) == (1, False)
