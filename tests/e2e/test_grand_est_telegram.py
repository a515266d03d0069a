"""The Telegram assistant deployed for Grand Est (REGION=grand-est), end to end: the real bot
process, the real action server and Rasa (the same model as Normandy's), the Grand Est pack's
answers and demo data. A representative subset of the suite: a FAQ, where to go, a guided
search and its contact request, a hand-off taken by a Moselle coordinator. Nothing the user
or the coordinators read names Normandy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from devstack.botapi import BotApiEmulator
from parcours.db.engine import session_scope
from parcours.faq_check import leaks
from parcours.models import StaffTopic
from tests.e2e.conftest import _BOTS, BotProcess, start_emulator
from tests.e2e.helpers import Chat, Message, buttons, has_button, texts
from tests.integration.conftest import grand_est_env
from tests.integration.test_grand_est import normandy_facts

__all__ = ["grand_est_env"]  # the Grand Est stack of the integration suite, reused here

pytestmark = pytest.mark.telegram


class STAFF_GE:
    """The Grand Est coordinators' forum group (the twin of tests/e2e/conftest.py's STAFF):
    Moselle and a backup."""

    chat_id = -1009876543299
    moselle = 700000157
    backup = 700000159
    members: ClassVar[dict[int, str]] = {moselle: "administrator", backup: "member"}
    env: ClassVar[dict[str, str]] = {
        "STAFF_CHAT_ID": str(chat_id),
        "COORDINATORS": f"{moselle}:57:Camille Test;{backup}:*:Bruno Secours",
        "OPENING_HOURS": "mon-sun 00:00-24:00",
    }


@pytest.fixture(scope="module")
def ge_bot(
    grand_est_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """The bot process of the Grand Est stack, on its own emulated Bot API."""
    api: BotApiEmulator = start_emulator()
    api.create_forum_group(STAFF_GE.chat_id, "Coordinateurs Grand Est (test)", STAFF_GE.members)
    log: Path = tmp_path_factory.mktemp("bot-grand-est") / "bot.log"
    process = BotProcess({**grand_est_env, **STAFF_GE.env}, api, log)
    _BOTS.append(process)
    yield process
    code, _ = process.stop()
    api.stop()
    assert code == 0, f"the bot exited with {code} on SIGTERM:\n{process.log()[-3000:]}"


@pytest.fixture
def chat(ge_bot: BotProcess) -> Iterator[Chat]:
    """A new Grand Est user; everything the bot sent them is checked for Normandy at the end."""
    user = Chat(ge_bot.api)
    yield user
    assert_no_normandy(ge_bot.api.bot_messages(user.id))


def assert_no_normandy(messages: list[Message]) -> None:
    said = [texts(messages)]
    said += [f"{b.get('text', '')} {b.get('url', '')}" for m in messages for b in buttons(m)]
    said += [str(m.get("venue") or "") for m in messages]
    text = "\n".join(said)
    assert leaks(text, "grand-est") == [], text
    assert [fact for fact in normandy_facts() if fact in text] == [], text


def test_a_faq_about_the_agency_is_answered_for_grand_est(chat: Chat) -> None:
    hello = chat.say("bonjour", until="Orient'Est")
    assert "Je suis l'assistant Orient'Est de la Région Grand Est" in texts(hello)
    answer = chat.say("c'est quoi l'agence pour l'orientation", until="Grand Est")
    assert "Région Grand Est" in texts(answer)


def test_where_to_go_in_metz_gives_grand_est_places_and_a_venue(chat: Chat) -> None:
    text = "à qui demander de l'aide pour mon fils de 17 ans à Metz ?"
    new = chat.say(text, until=lambda new: any("venue" in m for m in new))
    answer = texts(new)
    assert "Près de Metz, vous pouvez aller voir" in answer, answer
    venue = next(m for m in new if "venue" in m)["venue"]
    assert "(démo)" in venue["title"]


def _offer_titles(new: list[Message]) -> list[str]:
    return [b["text"] for m in new for b in buttons(m) if "(démo)" in b["text"]]


def test_a_guided_search_in_nancy_ends_with_a_request(chat: Chat) -> None:
    question = "je cherche un stage de 3eme en boulangerie vers Nancy"
    new = chat.say(question, until=lambda n: bool(n))
    for answer in ("3e", "Nancy", "boulanger"):
        if _offer_titles(new):
            break
        new = chat.say(answer, until=lambda n: bool(n))
    offers = _offer_titles(new)
    assert offers, texts(new)
    chat.press(offers[0], until=has_button("Faire une demande"))
    chat.press("Faire une demande", until="En une ou deux phrases")
    chat.say("Je voudrais voir comment on fait le pain le matin", until="disponible")
    filed = chat.say("pendant les vacances de février", until="C'est envoyé")
    assert "Un coordinateur de la Région Grand Est la transmet" in texts(filed)


def _topic_of(api: BotApiEmulator, db_url: str, user_id: int) -> int:
    """The user's topic in the Grand Est staff group (waits until the bot created it)."""

    def probe() -> int | None:
        with session_scope(db_url) as session:
            row = session.get(StaffTopic, str(user_id))
            found = row.thread_id if row else None
        return found if found is not None and found in api.topics(STAFF_GE.chat_id) else None

    return api.wait_for(probe, 30.0, f"the staff topic of {user_id}")


def test_a_handoff_goes_to_the_moselle_coordinator(ge_bot: BotProcess, chat: Chat) -> None:
    staff = ge_bot.api
    chat.say("/start eleve", until=lambda new: bool(new))
    # The town is remembered from a where-to-go question (the issue's own example).
    chat.say("j'habite à Metz, où aller pour m'orienter", until="en ce moment")
    chat.press("A quitté l'école", until="quel âge")
    chat.press("15 à 17 ans", until="Mission locale")
    asked = chat.say("je voudrais parler à un conseiller", until="conseiller")
    assert "de la Région Grand Est" in texts(asked)
    thread = _topic_of(staff, ge_bot.env["DATABASE_URL"], chat.id)
    assert "Metz (57)" in staff.topics(STAFF_GE.chat_id)[thread].name
    announce = staff.wait_for(
        lambda: next(
            (
                m
                for m in staff.thread_messages(STAFF_GE.chat_id, thread)
                if "/prendre pour répondre" in m.text
            ),
            None,
        ),
        30.0,
        "the announce",
    )
    assert announce.mentions_user(STAFF_GE.moselle), "the Moselle coordinator is mentioned"
    seen = len(ge_bot.api.bot_messages(chat.id))
    ge_bot.api.push_group_message(STAFF_GE.chat_id, STAFF_GE.moselle, "/prendre", thread)
    joined = chat.wait_new(seen, "a rejoint la conversation")
    assert "Un conseiller de la Région Grand Est a rejoint la conversation" in texts(joined)
    staff_side = "\n".join(m.text for m in staff.thread_messages(STAFF_GE.chat_id, thread))
    assert leaks(staff_side, "grand-est") == [], staff_side
