"""After a meeting, on the emulated Telegram Bot API: a coordinator accepts a request with a
date → the user receives the .ics; the day before, the reminder; the day after, the
follow-up (its buttons record the answer) and the report-back line (its button records it);
/stats counts both; a restart sends nothing twice.

The bot runs as `python -m devstack.shifted_clock FILE`: its jobs go by the real time plus
the seconds written in FILE, so the test moves to "the day before" and "the day after"
instead of waiting (MEETING_CHECK_SECONDS=1 makes the job look every second).
"""

from __future__ import annotations

import sqlite3
import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from devstack.botapi import BotApiEmulator
from parcours.db.engine import session_scope
from parcours.models import ContactRequest
from tests.e2e.conftest import _BOTS, STAFF, BotProcess, ErrorLedger, start_emulator
from tests.e2e.helpers import Chat, buttons, file_ambassador_request, has_button
from tests.e2e.test_staff_handoff import Staff

pytestmark = pytest.mark.telegram
PARIS = ZoneInfo("Europe/Paris")
WAIT = 45.0


class ShiftedBot:
    """The bot process, its emulator and the file that shifts its jobs' clock."""

    def __init__(self, process: BotProcess, offset_file: Path, db_url: str) -> None:
        self.process = process
        self.api = process.api
        self.offset_file = offset_file
        self.db_url = db_url

    def move_to(self, moment: datetime) -> None:
        """The bot's jobs now believe it is `moment` (and time goes on from there)."""
        offset = (moment - datetime.now(UTC)).total_seconds()
        self.offset_file.write_text(f"{offset:.0f}")


@pytest.fixture(scope="module")
def shifted(
    stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ShiftedBot]:
    api: BotApiEmulator = start_emulator()
    api.create_forum_group(STAFF.chat_id, "Coordinateurs (test)", STAFF.members)
    folder = tmp_path_factory.mktemp("shifted-bot")
    offset_file = folder / "clock_offset"
    offset_file.write_text("0")
    env = {**stack_env, **STAFF.env, "MEETING_CHECK_SECONDS": "1"}
    # Its own copy of the app database (catalogue included): another bot process of the
    # session (`bot`) must not deliver this one's outbox rows to its own emulator.
    source = stack_env["DATABASE_URL"]
    if source.startswith("sqlite:///"):
        copy = folder / "app.db"
        with (
            sqlite3.connect(source.removeprefix("sqlite:///")) as old,
            sqlite3.connect(copy) as new,
        ):
            old.backup(new)
        env["DATABASE_URL"] = f"sqlite:///{copy}"
    process = BotProcess(
        env,
        api,
        folder / "bot.log",
        module=("devstack.shifted_clock", str(offset_file)),
    )
    _BOTS.append(process)
    yield ShiftedBot(process, offset_file, env["DATABASE_URL"])
    code, _ = process.stop()
    api.stop()
    assert code == 0, f"the bot exited with {code}:\n{process.log()[-3000:]}"


def _paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def _count(api: BotApiEmulator, chat_id: int, needle: str) -> int:
    return sum(
        1
        for m in api.bot_messages(chat_id)
        if needle in str(m.get("text") or m.get("caption") or "")
    )


def test_a_meeting_from_acceptance_to_report_back(
    shifted: ShiftedBot, no_api_errors: ErrorLedger
) -> None:
    api = shifted.api
    staff = Staff(api, shifted.db_url)
    chat = Chat(api)
    chat.say("bonjour", until=lambda new: bool(new))
    request_id = file_ambassador_request(
        staff.db_url,
        chat.id,
        "Je m'appelle Lucas, comment devient-on viticulteur ?",
        "le mercredi",
    )
    thread = staff.topic_of(chat.id)
    staff.wait_in_topic(thread, f"Demande de contact n°{request_id}")

    # 1. Accepted with a date, a time and a place → the notice, then the calendar file.
    day = datetime.now(PARIS).date() + timedelta(days=4)
    seen = len(api.bot_messages(chat.id))
    staff.says(
        STAFF.calvados,
        f"/demande {request_id} acceptee {day:%d/%m/%Y} 14h30 lieu : CIO de Caen ; "
        "apporte tes questions",
        None,
    )
    new = chat.wait_new(seen, lambda m: any(x.get("document") for x in m), timeout=WAIT)
    [notice] = [m for m in new if "Bonne nouvelle" in str(m.get("text"))]
    assert f"{day:%d/%m/%Y} à 14 h 30, lieu : CIO de Caen" in notice["text"]
    [sent] = [m for m in new if m.get("document")]
    assert sent["document"]["file_name"] == f"rendez-vous-demande-{request_id}.ics"
    assert sent["document"]["mime_type"] == "text/calendar"
    assert "ouvre ce fichier pour l'ajouter à ton agenda" in sent["caption"]
    ics = Calendar.from_ical(api.uploaded(sent["document"]["file_id"]).content)
    [event] = ics.walk("VEVENT")
    assert event.decoded("dtstart") == _paris(day, 14, 30)
    assert str(event["location"]) == "CIO de Caen"
    assert "Lucas" not in ics.to_ical().decode()

    # 2. The day before at 17:00 (Paris): the reminder, once.
    shifted.move_to(_paris(day - timedelta(days=1), 17, 0))
    chat.wait_new(seen, "Rappel : ton rendez-vous", timeout=WAIT)

    # 3. The day after at 17:00: the follow-up to the user, the report line to the staff.
    seen = len(api.bot_messages(chat.id))
    shifted.move_to(_paris(day + timedelta(days=1), 17, 0))
    chat.wait_new(seen, has_button("👍 Oui"), timeout=WAIT)
    line = staff.wait_in_topic(thread, f"Demande n°{request_id}")
    line = staff.wait_in_topic(thread, "La charte demande un retour de l'ambassadeur")
    [report_button] = buttons(line.raw)
    assert report_button["text"] == "✅ Retour reçu"

    # 4. The user answers in one tap (no Rasa), the answer is stored.
    chat.press("👍 Oui", until="Super, merci")
    # 5. The coordinator presses « Retour reçu »: recorded, the button goes.
    api.push_callback(
        STAFF.calvados, report_button["callback_data"], line.message_id, chat_id=STAFF.chat_id
    )
    staff.wait_in_topic(thread, f"Retour enregistré pour la demande n°{request_id} par")
    with session_scope(staff.db_url) as session:
        row = session.get(ContactRequest, request_id)
        assert row is not None
        assert (row.follow_up_answer, row.status) == ("oui", "done")
        assert row.report_at is not None
    assert not buttons(api.message(STAFF.chat_id, line.message_id) or {})

    # 6. /stats counts the follow-up, its answer and the report-back.
    mark = len(api.bot_messages(STAFF.chat_id))
    staff.says(STAFF.calvados, "/stats", None)
    stats = api.wait_for(
        lambda: next(
            (
                str(m.get("text"))
                for m in api.bot_messages(STAFF.chat_id)[mark:]
                if "Après les rencontres" in str(m.get("text"))
            ),
            None,
        ),
        WAIT,
        "the /stats answer",
    )
    assert "1 « c'était utile ? » envoyés, 1 réponses (utile 1" in stats
    assert "1 enregistrés sur 1 demandés" in stats

    # 7. A restart sends nothing twice (the job runs every second on the same clock).
    mark = api.mark()
    shifted.process.restart()
    api.wait_for(  # the new process is up (its menu published), not the old poll's echo
        lambda: any(c.method == "setMyCommands" for c in api.calls_since(mark)) or None,
        WAIT,
        "the restarted bot's start",
    )
    clock.sleep(4)  # a few runs of the job, on the clock of "the day after"
    assert _count(api, chat.id, "Rappel : ton rendez-vous") == 1
    assert _count(api, chat.id, "c'était utile ?") == 1
    assert _count(api, chat.id, "Bonne nouvelle") == 1
    assert sum(1 for m in api.bot_messages(chat.id) if m.get("document")) == 1
    # The stopped process's last long poll ends with a 409 when the new one polls (as on
    # Telegram): expected, nothing is lost.
    no_api_errors.expect(api, "terminated by other getUpdates")
