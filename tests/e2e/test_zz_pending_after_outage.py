"""No message is lost when the action server is down: it is answered once it is back.

Named zz so that it runs after the other e2e tests (it stops and restarts a service).
"""

from __future__ import annotations

import subprocess

import pytest

from devstack.botapi import BotApiEmulator
from tests.e2e.conftest import BotProcess, new_user_id
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.telegram


def test_a_message_sent_during_an_outage_is_answered_after_it(
    bot: BotProcess, botapi: BotApiEmulator, stack_env: dict[str, str]
) -> None:
    user = new_user_id()
    subprocess.run(
        [str(ROOT / "scripts" / "down.sh"), "actions"],
        env=stack_env,
        check=True,
        capture_output=True,
    )
    try:
        botapi.push_message(user, "c'est quoi un ambassadeur metier")
        first = botapi.wait_for_messages(user, 1)
        assert "problème technique" in first[0]["text"]
    finally:
        subprocess.run(
            [str(ROOT / "scripts" / "up.sh")], env=stack_env, check=True, capture_output=True
        )
    answer = botapi.wait_for(
        lambda: next(
            (m for m in botapi.bot_messages(user) if "professionnel" in str(m.get("text"))), None
        ),
        timeout=45.0,
    )
    assert "Ambassadeur" in answer["text"] or "ambassadeur" in answer["text"]
