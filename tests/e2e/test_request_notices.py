"""A coordinator's answer to a request reaches the user on Telegram (outbox → JobQueue)."""

from __future__ import annotations

from datetime import date

import pytest

from devstack.botapi import BotApiEmulator
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.services import contact_requests as cr
from parcours.settings import get_settings
from tests.e2e.conftest import BotProcess, new_user_id

pytestmark = pytest.mark.telegram


def test_an_accepted_request_is_announced_to_the_user(
    bot: BotProcess, botapi: BotApiEmulator, stack_env: dict[str, str]
) -> None:
    user = new_user_id()
    botapi.push_message(user, "bonjour")  # Telegram only lets a bot write to users who wrote
    greeted = len(botapi.wait_for_messages(user, 1))
    url = stack_env["DATABASE_URL"]
    with session_scope(url) as session:
        request = cr.file_request(
            session,
            get_settings(),
            user_id=str(user),
            target_type="ministage",
            target_key="demo_ms_0001",
            message="Je voudrais découvrir",
            availability="février",
            now=utcnow(),
        )
        request_id = request.id
    with session_scope(url) as session:
        cr.record_answer(
            session,
            request_id=request_id,
            accepted=True,
            actor="coord",
            now=utcnow(),
            proposed_date=date(2027, 2, 15),
        )
    notice = botapi.wait_for(
        lambda: next(
            (
                m
                for m in botapi.bot_messages(user)[greeted:]
                if "a été acceptée" in str(m.get("text"))
            ),
            None,
        ),
        timeout=45.0,
    )
    assert f"ta demande n°{request_id} a été acceptée" in notice["text"]
    assert "15/02/2027" in notice["text"]
