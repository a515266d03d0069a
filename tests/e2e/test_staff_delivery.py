"""Staff deliveries never block (issue 11, item 1), end to end: the real bot process, the real
Rasa model and the emulated Bot API, which refuses what Telegram refuses (over 4,096
characters, unclosed tags)."""

from __future__ import annotations

import time

import pytest

from bot import texts
from devstack.botapi import BotApiEmulator
from devstack.botapi.reading import MessageView
from parcours.db.engine import session_scope
from parcours.models import StaffTopic
from tests.e2e.conftest import STAFF, BotProcess
from tests.e2e.helpers import Chat

pytestmark = pytest.mark.telegram
WAIT = 30.0
#: "Within seconds": the relay runs right after each turn. The group's flood control (PTB's
#: limiter: 20 messages a minute, its burst spent by the session's earlier tests) spaces group
#: calls 3 s apart: the message's parts already sent, then the topic and its card (🚨 URGENT).
PROMPT = 20.0


def _topic(api: BotApiEmulator, db_url: str, user_id: int) -> int:
    def probe() -> int | None:
        with session_scope(db_url) as session:
            row = session.get(StaffTopic, str(user_id))
            found = row.thread_id if row else None
        return found if found is not None and found in api.topics(STAFF.chat_id) else None

    return api.wait_for(probe, WAIT, f"the staff topic of {user_id}")


def _in_topic(api: BotApiEmulator, thread: int, needle: str, timeout: float) -> MessageView:
    return api.wait_for(
        lambda: next(
            (m for m in api.thread_messages(STAFF.chat_id, thread) if needle in m.text), None
        ),
        timeout,
        f"{needle!r} in topic {thread}",
    )


def test_a_4096_character_message_does_not_hold_up_another_users_urgent_handoff(
    bot: BotProcess, stack_env: dict[str, str]
) -> None:
    api, db_url = bot.api, stack_env["DATABASE_URL"]
    talker = Chat(api)
    talker.say("je voudrais parler à un conseiller", until="conseiller")
    first = _topic(api, db_url, talker.id)
    _in_topic(api, first, "/prendre pour répondre", WAIT)
    long = ('Il a dit "non" & <rien> ' * 200)[:4096]
    talker.say(long, until=texts.RELAYED_WAITING["tu"][:30], typing=False)

    other = Chat(api)
    other.say("je me fais harceler au collège et j'en peux plus", until="3020")
    started = time.monotonic()  # the hand-off is recorded (and queued) before the reply
    urgent = _in_topic(api, _topic(api, db_url, other.id), "URGENT", PROMPT)
    assert time.monotonic() - started < PROMPT, urgent.text

    _in_topic(api, first, "👤 (suite)", PROMPT)
    relayed = "".join(
        m.text.removeprefix("👤 (suite) ").removeprefix("👤 ")
        for m in api.thread_messages(STAFF.chat_id, first)
        if m.text.startswith("👤")
    )
    assert relayed.replace(" ", "") == long.replace(" ", ""), "the whole message, in order"


def test_a_card_full_of_quotes_is_pinned_whole(bot: BotProcess, stack_env: dict[str, str]) -> None:
    api, db_url = bot.api, stack_env["DATABASE_URL"]
    chat = Chat(api)
    quotes = '"' * 300
    chat.say(f"bonjour {quotes}", until=lambda new: bool(new))
    chat.say(f"je cherche un métier {quotes}", until=lambda new: bool(new))
    chat.say(f"je voudrais parler à un conseiller {quotes}", until="conseiller")
    thread = _topic(api, db_url, chat.id)
    _in_topic(api, thread, "/prendre pour répondre", WAIT)
    with session_scope(db_url) as session:
        row = session.get(StaffTopic, str(chat.id))
        assert row is not None
        card_id = row.card_message_id
    assert card_id in api.pinned(STAFF.chat_id), "the card was accepted and pinned"
    shown = api.message(STAFF.chat_id, card_id)
    assert shown is not None
    card = MessageView.of(shown).text
    assert "Derniers échanges" in card
    assert card.endswith("/transferer territoire"), "the commands hint (in <i>) is whole"
