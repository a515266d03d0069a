"""Telling a web user something outside their turns (bot/web_push.py), from the staff side."""

from __future__ import annotations

from typing import Any, cast

from bot import staff_commands, web_push
from bot.render import Reply
from parcours.services import web_transcript
from parcours.settings import Settings

WEB = "web:AbCdEfGhIjKlMnOpQrStUv"


async def test_a_staff_notice_to_a_web_user_is_pushed_and_wakes_the_hub(
    settings: Settings,
) -> None:
    woken: list[int] = []
    remove = web_push.on_push(lambda: woken.append(1))
    start = web_transcript.last_id()
    try:
        # Telegram is never called for a web user: no context needed.
        told = await staff_commands._tell_user(
            cast(Any, None), WEB, [Reply("👋 Un conseiller a rejoint la conversation.")]
        )
    finally:
        remove()
    assert told is True
    assert woken == [1]
    (pushed,) = web_transcript.pushed_after(start)
    assert (pushed.user_id, pushed.role) == (WEB, "ai")
    assert "rejoint" in pushed.body["text"]
    web_push.tell_text(WEB, "encore")  # the listener is gone
    assert woken == [1]


def test_a_coordinators_text_is_a_coordinator_bubble(settings: Settings) -> None:
    (entry,) = web_push.tell_text(WEB, "Bonjour, je suis Claire.")
    assert entry.role == "coordinateur"
    assert web_transcript.history(WEB)[-1].body == {"text": "Bonjour, je suis Claire."}


def test_nothing_is_pushed_for_a_telegram_or_replay_user(settings: Settings) -> None:
    assert not web_push.is_web_user("123456789")
    assert not web_push.is_web_user("terminal-abc")
    assert web_push.is_web_user(WEB)
