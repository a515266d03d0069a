"""Rasa killed in the middle of a form and restarted: the user is told, the message is
kept, and once Rasa is back the form goes on where it was. Named zz: it restarts Rasa."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import BotProcess
from tests.e2e.helpers import Chat
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.telegram


def test_rasa_killed_mid_form_then_restarted_loses_nothing(
    bot: BotProcess, stack_env: dict[str, str]
) -> None:
    chat = Chat(bot.api)
    chat.say("je cherche un stage de 3eme en boulangerie", until="commune")
    pid = int((Path(stack_env["VAR_DIR"]) / "rasa.pid").read_text())
    os.killpg(pid, signal.SIGKILL)  # a crash, not a clean stop
    try:
        seen = len(bot.api.bot_messages(chat.id))
        bot.api.push_message(chat.id, "caen")
        down = chat.wait_new(seen, "problème technique")
        assert "gardé" in down[-1]["text"], "the user is told the message is kept"
    finally:
        subprocess.run(
            [str(ROOT / "scripts" / "up.sh")], env=stack_env, check=True, capture_output=True
        )
    later = bot.api.wait_for(
        lambda: (
            found
            if (found := [m for m in bot.api.bot_messages(chat.id)[seen + 1 :] if m.get("text")])
            else None
        ),
        timeout=60.0,
    )
    answer = " ".join(str(m["text"]) for m in later)
    assert "Caen" in answer or "classe" in answer or "niveau" in answer, answer
