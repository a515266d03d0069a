"""Webhook mode (production, and several replicas): the emulator POSTs updates to the bot's
own HTTP server instead of answering getUpdates, with the secret token checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devstack.botapi import BotApiEmulator
from devstack.processes import free_port
from tests.e2e.conftest import _BOTS, BotProcess, new_user_id, start_emulator
from tests.e2e.helpers import Chat

pytestmark = pytest.mark.telegram
SECRET = "s3cret-webhook-token"


@pytest.fixture(scope="module")
def webhook_bot(
    stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """A bot process in webhook mode on its own emulator."""
    api = start_emulator()
    port = free_port()
    env = {
        **stack_env,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }
    process = BotProcess(env, api, tmp_path_factory.mktemp("webhook-bot") / "bot.log")
    _BOTS.append(process)
    yield process
    code, _ = process.stop()
    api.stop()
    assert code == 0, f"the webhook bot exited with {code}:\n{process.log()[-3000:]}"


def test_updates_arrive_by_webhook_with_the_secret_and_are_answered(
    webhook_bot: BotProcess,
) -> None:
    api: BotApiEmulator = webhook_bot.api
    hook = [c for c in api.calls("setWebhook") if c.ok][-1]
    assert hook.params["url"].endswith("/telegram/hook")
    assert hook.params.get("secret_token") == SECRET
    chat = Chat(api, new_user_id())
    answer = chat.say("c'est quoi un ambassadeur métier ?", until="mbassadeur")
    assert answer
    assert not api.calls("getUpdates"), "no polling in webhook mode"
    assert api.webhook_deliveries(), "the update went through the webhook"
