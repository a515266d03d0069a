"""The dialogue pipeline against a scripted Rasa (httpx transport), with a real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bot import texts
from bot.dialogue import Dialogue, is_valid_button
from bot.rasa_client import RasaClient, bot_messages_after
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import HandoffState, PendingMessage
from parcours.repositories import users
from parcours.services import handoff
from parcours.services.opening_hours import OpeningHours
from parcours.settings import Settings

pytestmark = pytest.mark.both_databases  # also on PostgreSQL (tests/conftest.py)

Handler = Callable[[httpx.Request], httpx.Response]


def make_dialogue(settings: Settings, handler: Handler) -> tuple[Dialogue, list[dict[str, Any]]]:
    """A pipeline whose Rasa answers with `handler`; returns the recorded request bodies."""
    seen: list[dict[str, Any]] = []

    def recording(request: httpx.Request) -> httpx.Response:
        if request.content:
            seen.append(json.loads(request.content))
        return handler(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(recording))
    return Dialogue(RasaClient("http://rasa", "t", client=client), settings), seen


def answer(*messages: dict[str, Any]) -> Handler:
    return lambda request: httpx.Response(200, json=list(messages))


async def test_rasa_text_and_buttons_become_replies(settings: Settings) -> None:
    dialogue, seen = make_dialogue(
        settings, answer({"text": "Bonjour", "buttons": [{"title": "Parent", "payload": "/x"}]})
    )
    result = await dialogue.handle_text("u1", "  bonjour\x00 ", "k1")
    assert result.as_dict() == {
        "replies": [{"text": "Bonjour", "buttons": [{"title": "Parent", "payload": "/x"}]}],
        "handoff": "bot",
    }
    assert seen[0]["message"] == "bonjour"
    assert seen[0]["metadata"] == {"message_key": "k1"}


async def test_an_empty_rasa_reply_is_a_technical_problem_not_silence(settings: Settings) -> None:
    dialogue, _ = make_dialogue(settings, answer())
    result = await dialogue.handle_text("u1", "bonjour", "k1")
    assert "problème technique" in result.replies[0].text


async def test_rasa_down_is_a_technical_problem(settings: Settings) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    dialogue, _ = make_dialogue(settings, down)
    result = await dialogue.handle_text("u1", "bonjour", "k1")
    assert "problème technique" in result.replies[0].text


HANDOFF_REPLY = answer(
    {"text": "Je préviens un conseiller"}, {"custom": {"handoff": {"reason": "user_request"}}}
)


async def test_a_handoff_signal_puts_the_user_in_waiting_and_is_not_shown(
    settings: Settings,
) -> None:
    dialogue, _ = make_dialogue(settings, HANDOFF_REPLY)
    dialogue.rasa_turns.hours = OpeningHours.parse("mon-sun 00:00-24:00")
    result = await dialogue.handle_text("u1", "un humain stp", "k1")
    assert [r.text for r in result.replies] == ["Je préviens un conseiller"]
    assert result.handoff == "waiting"


async def test_out_of_hours_the_user_is_told_the_hours_the_wait_and_the_number(
    settings: Settings,
) -> None:
    dialogue, _ = make_dialogue(settings, HANDOFF_REPLY)
    hours = OpeningHours.parse("mon 09:00-09:01")  # closed but one minute a week
    dialogue.rasa_turns.hours = (
        hours if not hours.is_open(utcnow()) else OpeningHours.parse("sun 3h-3h01")
    )
    result = await dialogue.handle_text("u1", "un humain stp", "k1")
    notice = result.replies[-1].text
    assert "Nos conseillers sont disponibles" in notice
    assert "dès la réouverture" in notice
    assert "Parcours Métier" in notice
    assert result.handoff == "waiting"


async def test_while_a_human_holds_the_chat_messages_skip_rasa_and_the_bot_is_silent(
    settings: Settings,
) -> None:
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
        handoff.transition(session, user_id="u1", target=HandoffState.HUMAN, actor="coord")
    dialogue, seen = make_dialogue(settings, answer({"text": "should not be called"}))
    result = await dialogue.handle_text("u1", "merci madame", "k1")
    assert result.replies == []
    assert result.handoff == "human"
    assert seen == []


async def test_the_same_message_key_is_answered_once(settings: Settings) -> None:
    dialogue, seen = make_dialogue(settings, answer({"text": "Réponse"}))
    first = await dialogue.handle_text("u1", "question", "same-key")
    second = await dialogue.handle_text("u1", "question", "same-key")
    assert first.as_dict() == second.as_dict()
    assert len(seen) == 1


async def test_empty_input_is_answered_locally(settings: Settings) -> None:
    dialogue, seen = make_dialogue(settings, answer({"text": "x"}))
    result = await dialogue.handle_text("u1", " \n\t ", "k1")
    assert result.replies[0].text == texts.EMPTY_MESSAGE["tu"]  # unknown to the database: tu
    assert seen == []


def a_parent(user_id: str = "u1") -> None:
    """A user whose register is vous."""
    with session_scope() as session:
        users.update_profile(session, user_id=user_id, role="parent")


async def test_texts_said_by_the_front_end_are_in_the_user_s_register(
    settings: Settings,
) -> None:
    a_parent()
    dialogue, _ = make_dialogue(settings, answer({"text": "Menu"}))
    empty = await dialogue.handle_text("u1", " ", "k1")
    assert [r.text for r in empty.replies] == [texts.EMPTY_MESSAGE["vous"]]
    emoji = await dialogue.handle_text("u1", "🐙", "k2")
    assert [r.text for r in emoji.replies] == [texts.UNKNOWN_EMOJI["vous"]]
    stale = await dialogue.handle_button("u1", "/restart", "k3")
    assert [r.text for r in stale.replies] == [texts.STALE_BUTTON["vous"], "Menu"]
    long = await dialogue.handle_text("u1", "mot " * settings.max_text_length, "k4")
    assert long.replies[0].text == texts.TRUNCATED["vous"]
    unknown = await dialogue.handle_text("u1", "/inconnue", "k5")
    assert [r.text for r in unknown.replies] == [texts.UNKNOWN_COMMAND["vous"]]
    forget = await dialogue.handle_text("u1", "/oubli", "k6")
    assert forget.replies[0].text == texts.FORGET_QUESTION["vous"]
    forgotten = await dialogue.handle_button("u1", "/forget_confirm", "k7")
    assert [r.text for r in forgotten.replies] == [texts.FORGOTTEN["vous"]]  # said before
    again = await dialogue.handle_text("u1", " ", "k8")  # forgotten: unknown, so tu
    assert [r.text for r in again.replies] == [texts.EMPTY_MESSAGE["tu"]]


async def test_a_relayed_message_and_a_cancelled_handoff_use_the_register(
    settings: Settings,
) -> None:
    a_parent()
    with session_scope() as session:
        handoff.request(session, user_id="u1", reason="user_request")
    dialogue, _ = make_dialogue(settings, answer({"text": "x"}))
    relayed = await dialogue.handle_text("u1", "vous êtes là ?", "k1")
    assert relayed.replies[0].text == texts.RELAYED_WAITING["vous"]
    cancelled = await dialogue.handle_button("u1", "/cancel_handoff", "k2")
    assert [r.text for r in cancelled.replies] == [texts.HANDOFF_CANCELLED["vous"]]
    rated = await dialogue.handle_button("u1", "/rate_3", "k3")
    assert [r.text for r in rated.replies] == [texts.RATED["vous"]]


async def test_rasa_down_and_the_wait_notice_use_the_register(settings: Settings) -> None:
    a_parent()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    dialogue, _ = make_dialogue(settings, down)
    result = await dialogue.handle_text("u1", "bonjour", "k1")
    assert result.replies[0].text == texts.technical_problem(settings, register="vous")
    assert "Votre message est gardé" in result.replies[0].text
    assert "vous pouvez appeler" in result.replies[0].text

    dialogue, _ = make_dialogue(settings, HANDOFF_REPLY)
    hours = OpeningHours.parse("mon 09:00-09:01")
    dialogue.rasa_turns.hours = (
        hours if not hours.is_open(utcnow()) else OpeningHours.parse("sun 3h-3h01")
    )
    waiting = await dialogue.handle_text("u1", "un humain", "k2")
    assert waiting.replies[-1].text.endswith(
        f"D'ici là, vous pouvez appeler {settings.pm_number_phrase}."
    )
    assert "Vous pouvez déjà écrire" in waiting.replies[-1].text


async def test_a_flood_notice_uses_the_register(settings: Settings) -> None:
    a_parent()
    dialogue, _ = make_dialogue(settings, answer({"text": "Réponse"}))
    replies = []
    for n in range(settings.user_rate_limit + 1):
        result = await dialogue.handle_text("u1", f"question {n}", f"k{n}")
        replies = [r.text for r in result.replies]
    assert replies == [texts.RATE_LIMITED["vous"]]


async def test_a_known_emoji_is_read_as_its_meaning(settings: Settings) -> None:
    dialogue, seen = make_dialogue(settings, answer({"text": "Ok !"}))
    await dialogue.handle_text("u1", "👍", "k1")
    assert seen[0]["message"] == "oui"


@pytest.mark.parametrize(
    ("payload", "valid"),
    [
        ('/set_role{"role":"eleve"}', True),
        ("/menu", True),
        ("/cancel_handoff", True),
        ("/EXTERNAL_handback", False),
        ("/restart", False),
        ("hello", False),
        ('/faq_confirm{"faq_key":"' + "x" * 300 + '"}', False),
    ],
)
def test_only_payloads_the_assistant_offers_are_accepted(payload: str, valid: bool) -> None:
    assert is_valid_button(payload) is valid


def test_recovery_after_a_timeout_finds_the_bot_messages_of_that_input() -> None:
    events = [
        {"event": "user", "metadata": {"message_key": "a"}},
        {"event": "bot", "text": "first"},
        {"event": "user", "metadata": {"message_key": "b"}},
        {"event": "action", "name": "x"},
        {"event": "bot", "text": "second", "data": {"buttons": [{"title": "t", "payload": "/p"}]}},
        {"event": "user", "metadata": {"message_key": "c"}},
        {"event": "bot", "text": "third"},
    ]
    assert bot_messages_after(events, "b") == [
        {"text": "second", "buttons": [{"title": "t", "payload": "/p"}]}
    ]
    assert bot_messages_after(events, "zzz") == []


async def test_a_message_sent_while_rasa_is_down_is_kept_and_answered_when_it_is_back(
    settings: Settings,
) -> None:
    up = {"value": False}

    def flaky(request: httpx.Request) -> httpx.Response:
        if not up["value"]:
            raise httpx.ConnectError("refused")
        return httpx.Response(200, json=[{"text": "Réponse différée"}])

    dialogue, seen = make_dialogue(settings, flaky)
    first = await dialogue.handle_text("u1", "une question", "k1")
    assert "gardé" in first.replies[0].text
    assert await dialogue.retry_pending() == []  # still down: kept
    up["value"] = True
    answered = await dialogue.retry_pending()
    assert [(user, [r.text for r in result.replies]) for user, result in answered] == [
        ("u1", ["Réponse différée"])
    ]
    assert seen[-1]["message"] == "une question"
    assert seen[-1]["metadata"] == {"message_key": "k1"}
    assert await dialogue.retry_pending() == []  # answered once
    again = await dialogue.handle_text("u1", "une question", "k1")  # a redelivered update
    assert [r.text for r in again.replies] == ["Réponse différée"]


async def test_a_connection_broken_mid_request_is_a_kept_message_not_a_crash(
    settings: Settings,
) -> None:
    def crashed(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset by peer")

    dialogue, _ = make_dialogue(settings, crashed)
    result = await dialogue.handle_text("u1", "caen", "k1")
    assert "problème technique" in result.replies[0].text
    with session_scope() as session:
        assert [m.text for m in session.query(PendingMessage)] == ["caen"]


async def test_a_database_restart_during_a_turn_is_ridden_out(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first database accesses fail (restart in progress), then it is back: answered."""
    from sqlalchemy.exc import OperationalError

    import bot.db_retry
    import parcours.services.conversations as module

    real = module.session_scope
    failures = {"left": 2}

    def flaky(url: str | None = None) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(url)

    monkeypatch.setattr(module, "session_scope", flaky)
    monkeypatch.setattr(bot.db_retry, "DELAYS", (0.01, 0.01, 0.01))
    dialogue, _ = make_dialogue(settings, answer({"text": "Bonjour"}))
    result = await dialogue.handle_text("u1", "bonjour", "k1")
    assert [r.text for r in result.replies] == ["Bonjour"]


async def test_a_database_that_stays_down_gets_a_french_notice(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import bot.db_retry
    import parcours.services.conversations as module

    def down(url: str | None = None) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(module, "session_scope", down)
    monkeypatch.setattr(bot.db_retry, "DELAYS", (0.01,))
    dialogue, _ = make_dialogue(settings, answer({"text": "Bonjour"}))
    result = await dialogue.handle_text("u1", "bonjour", "k1")
    assert "problème technique" in result.replies[0].text
    assert "Réessaie" in result.replies[0].text
