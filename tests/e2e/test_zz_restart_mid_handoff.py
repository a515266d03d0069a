"""The bot restarted while a coordinator holds a chat: nothing sent meanwhile is lost, and
the hand-off state is unchanged. Named zz: it restarts the session's bot process."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import STAFF, BotProcess, ErrorLedger
from tests.e2e.helpers import Chat
from tests.e2e.test_staff_handoff import Staff, ask_human

pytestmark = pytest.mark.telegram


def test_messages_sent_while_the_bot_is_down_are_delivered_after_restart(
    bot: BotProcess, stack_env: dict[str, str], no_api_errors: ErrorLedger
) -> None:
    staff = Staff(bot.api, stack_env["DATABASE_URL"])
    chat = Chat(bot.api)
    ask_human(chat)
    thread = staff.topic_of(chat.id)
    staff.says(STAFF.calvados, "/prendre", thread)
    chat.wait_new(0, "a rejoint la conversation")

    code, _ = bot.stop()
    assert code == 0
    seen = len(bot.api.bot_messages(chat.id))
    bot.api.push_message(chat.id, "vous êtes toujours là ?")
    staff.says(STAFF.calvados, "Oui, je regarde ton dossier.", thread)
    assert bot.api.pending_updates() == 2, "Telegram keeps the updates while the bot is down"

    bot.restart()
    staff.wait_in_topic(thread, "👤 vous êtes toujours là ?")
    chat.wait_new(seen, "je regarde ton dossier")
    assert staff.state(chat.id) == "human", "the coordinator still holds the chat"
    # The stopped process's last long poll is still open on the server side when the new
    # process polls: Telegram ends the older one with a 409, as here. Nothing is lost.
    no_api_errors.expect(bot.api, "terminated by other getUpdates")
