"""Contact requests on the staff side: a filed request is posted in the user's topic with
what to forward; the coordinator records the answer there, and the user is told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from parcours.db.engine import session_scope
from parcours.models import ContactRequest
from tests.e2e.conftest import STAFF, BotProcess
from tests.e2e.helpers import Chat, file_ambassador_request
from tests.e2e.test_staff_handoff import Staff

pytestmark = pytest.mark.telegram


def test_a_request_is_forwarded_answered_in_the_topic_and_the_user_told(
    bot: BotProcess, stack_env: dict[str, str]
) -> None:
    staff = Staff(bot.api, stack_env["DATABASE_URL"])
    chat = Chat(bot.api)
    chat.say("bonjour", until=lambda new: bool(new))
    request_id = file_ambassador_request(
        staff.db_url, chat.id, "Comment devient-on boulanger ?", "le mercredi après-midi"
    )

    thread = staff.topic_of(chat.id)
    forwarded = staff.wait_in_topic(thread, f"Demande de contact n°{request_id}")
    assert "Comment devient-on boulanger ?" in forwarded.text
    assert "le mercredi après-midi" in forwarded.text
    assert forwarded.mentions, "a coordinator is mentioned"

    seen = len(bot.api.bot_messages(chat.id))
    day = date.today() + timedelta(days=5)
    staff.says(
        STAFF.calvados, f"/demande {request_id} acceptee {day:%d/%m/%Y} mercredi 14 h", thread
    )
    staff.wait_in_topic(thread, f"Demande n°{request_id} : « acceptée » enregistré")
    with session_scope(staff.db_url) as session:
        row = session.get(ContactRequest, request_id)
        assert row is not None
        assert row.status == "accepted"
        assert row.proposed_date == day
        assert row.answer_note == "mercredi 14 h"
    told = chat.wait_new(seen, "Bonne nouvelle", timeout=45.0)
    [notice] = [m for m in told if "Bonne nouvelle" in str(m.get("text"))]
    assert f"{day:%d/%m/%Y}" in notice["text"]
