"""Faults (run last: they stop and restart services of the shared stack)."""

from __future__ import annotations

import subprocess

import pytest

from tests.integration.conftest import ROOT, Replay, new_user, texts_of

pytestmark = pytest.mark.rasa


def test_action_server_down_gives_a_french_technical_message_then_recovers(
    replay: Replay, stack_env: dict[str, str]
) -> None:
    user = new_user()
    subprocess.run([str(ROOT / "scripts" / "down.sh"), "actions"], env=stack_env, check=True)
    try:
        out = replay.say(user, "c'est quoi un ambassadeur metier")
        assert "problème technique" in texts_of(out)
    finally:
        subprocess.run(
            [str(ROOT / "scripts" / "up.sh")], env=stack_env, check=True, capture_output=True
        )
    out = replay.say(user, "c'est quoi un ambassadeur metier")
    assert "professionnel" in texts_of(out)
