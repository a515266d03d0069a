"""A web visitor asks for a person: the real bot process (Telegram mode, emulated Bot API)
opens their topic in the coordinators' group like a Telegram user's; the coordinator's
replies reach the open page live, and a closed page finds them on return."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot import staff_texts, texts
from devstack.botapi import BotApiEmulator
from devstack.botapi.reading import MessageView
from devstack.webclient import WebVisitor, html_of, wait_ready
from parcours.db.engine import session_scope
from parcours.models import StaffTopic
from tests.e2e.conftest import STAFF, BotProcess

pytestmark = pytest.mark.telegram
WAIT = 30.0


@pytest.fixture
async def visitor(bot: BotProcess) -> AsyncIterator[WebVisitor]:
    await wait_ready(bot.web_url)
    visitor = WebVisitor(bot.web_url)
    assert await visitor.open_page() == 200
    yield visitor
    await visitor.aclose()


def topic_of(api: BotApiEmulator, db_url: str, user_id: str) -> int:
    def probe() -> int | None:
        with session_scope(db_url) as session:
            row = session.get(StaffTopic, user_id)
            found = row.thread_id if row else None
        return found if found is not None and found in api.topics(STAFF.chat_id) else None

    return api.wait_for(probe, WAIT, f"the staff topic of {user_id}")


def in_topic(api: BotApiEmulator, thread: int, needle: str) -> MessageView:
    return api.wait_for(
        lambda: next(
            (m for m in api.thread_messages(STAFF.chat_id, thread) if needle in m.text), None
        ),
        WAIT,
        f"{needle!r} in topic {thread}",
    )


async def test_a_web_handoff_reaches_the_staff_and_the_answers_reach_the_page(
    visitor: WebVisitor, bot: BotProcess, stack_env: dict[str, str]
) -> None:
    api, db_url = bot.api, stack_env["DATABASE_URL"]
    await visitor.connect()
    user_id = visitor.user_id
    assert user_id is not None
    assert user_id.startswith("web:")
    await visitor.turn({"type": "start"})
    await visitor.say("j'ai 17 ans, j'ai quitté le lycée, j'habite à Lisieux")
    waiting = await visitor.command("/humain", "Parler à un conseiller")
    assert waiting["handoff"] == "waiting"

    thread = await asyncio.to_thread(topic_of, api, db_url, user_id)
    topic = api.topics(STAFF.chat_id)[thread]
    assert topic.name.startswith(f"Web {user_id[-4:]}")
    announce = await asyncio.to_thread(in_topic, api, thread, "/prendre pour répondre")
    assert announce.mentions_user(STAFF.calvados), "routed to Calvados like a Telegram user"

    relayed = await visitor.say("vous êtes là ?")
    assert texts.RELAYED_WAITING["tu"][:30] in html_of(relayed)
    await asyncio.to_thread(in_topic, api, thread, "👤 vous êtes là ?")

    api.push_group_message(STAFF.chat_id, STAFF.calvados, "/prendre", thread)
    joined = await visitor.next_push(WAIT)
    assert "a rejoint la conversation" in html_of(joined)

    api.push_group_message(STAFF.chat_id, STAFF.calvados, "Bonjour, je suis Claire.", thread)
    live = await visitor.next_push(WAIT)
    assert live["messages"][0]["role"] == "coordinateur"
    assert "Bonjour, je suis Claire." in html_of(live)

    await visitor.close()  # the page is closed
    api.push_group_message(STAFF.chat_id, STAFF.calvados, "Je t'envoie le lien demain.", thread)
    await asyncio.sleep(1.5)
    history = await visitor.connect()  # back on the page
    said = [m for m in history if m["role"] == "coordinateur"]
    assert len(said) == 2
    assert "Bonjour, je suis Claire." in said[0]["html"]
    assert "le lien demain" in said[1]["html"]
    assert not any(
        staff_texts.USER_BLOCKED[:20] in m.text for m in api.thread_messages(STAFF.chat_id, thread)
    )

    api.push_group_message(STAFF.chat_id, STAFF.calvados, "/clore", thread)
    closed = await visitor.next_push(WAIT)
    assert 'data-payload="/rate_' in html_of(closed), "the satisfaction buttons"
    thanks = await visitor.press("/rate_3", "😀")
    assert texts.RATED["tu"] in html_of(thanks)
