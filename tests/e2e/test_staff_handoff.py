"""The coordinators' side, end to end: the real bot process, the real Rasa model, and the
staff forum group of the emulated Bot API (one topic per user, a pinned card, commands)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import staff_texts, texts
from devstack.botapi import BotApiEmulator
from devstack.botapi.reading import MessageView
from parcours.db.engine import session_scope
from parcours.models import Handoff, HandoffState, StaffTopic, User
from tests.e2e.conftest import STAFF, BotProcess, ErrorLedger
from tests.e2e.helpers import Chat, has_button
from tests.e2e.helpers import texts as joined

pytestmark = pytest.mark.telegram
WAIT = 30.0


class Staff:
    """The staff group seen by a test: topics, cards, and coordinators typing."""

    def __init__(self, api: BotApiEmulator, db_url: str) -> None:
        self.api = api
        self.db_url = db_url

    def topic_of(self, user_id: int, *, other_than: int | None = None) -> int:
        """The user's topic id (waits until the bot created it)."""

        def probe() -> int | None:
            with session_scope(self.db_url) as session:
                row = session.get(StaffTopic, str(user_id))
                found = row.thread_id if row else None
            exists = found is not None and found in self.api.topics(STAFF.chat_id)
            return found if exists and found != other_than else None

        return self.api.wait_for(probe, WAIT, f"the staff topic of {user_id}")

    def card(self, user_id: int) -> str:
        """The current text of the user's pinned card."""
        with session_scope(self.db_url) as session:
            row = session.get(StaffTopic, str(user_id))
            assert row is not None
            assert row.card_message_id is not None
            card_id = row.card_message_id
        assert card_id in self.api.pinned(STAFF.chat_id), "the card is pinned"
        shown = self.api.message(STAFF.chat_id, card_id)
        assert shown is not None
        return MessageView.of(shown).text

    def says(self, coordinator: int, text: str, thread: int | None) -> None:
        """A coordinator writes in the group (in a topic when `thread` is given)."""
        self.api.push_group_message(STAFF.chat_id, coordinator, text, thread)

    def wait_in_topic(self, thread: int, needle: str) -> MessageView:
        """The first message of the topic containing `needle`."""
        return self.api.wait_for(
            lambda: next(
                (m for m in self.api.thread_messages(STAFF.chat_id, thread) if needle in m.text),
                None,
            ),
            WAIT,
            f"{needle!r} in topic {thread}",
        )

    def state(self, user_id: int) -> str:
        """The user's hand-off state in the database."""
        with session_scope(self.db_url) as session:
            user = session.get(User, str(user_id))
            return user.handoff_state if user else HandoffState.BOT.value


@pytest.fixture
def staff(bot: BotProcess, stack_env: dict[str, str]) -> Staff:
    """The staff group of the session's bot process."""
    return Staff(bot.api, stack_env["DATABASE_URL"])


@pytest.fixture
def chat(bot: BotProcess) -> Chat:
    """A new user talking to the session's bot."""
    return Chat(bot.api)


def ask_human(chat: Chat) -> None:
    """The user asks for a person; the bot confirms."""
    chat.say("je voudrais parler à un conseiller", until="conseiller")


def test_a_pupils_handoff_is_taken_relayed_both_ways_and_handed_back(
    chat: Chat, staff: Staff
) -> None:
    chat.say("/start eleve", until=lambda new: bool(new))
    chat.say("j'ai 17 ans, j'ai quitté le lycée, j'habite à Lisieux", until="Mission locale")
    ask_human(chat)
    thread = staff.topic_of(chat.id)
    name = staff.api.topics(STAFF.chat_id)[thread].name
    assert name.startswith(f"Test{chat.id % 1000}")
    assert "Lisieux (14)" in name
    announce = staff.wait_in_topic(thread, "/prendre pour répondre")
    assert announce.mentions_user(STAFF.calvados), "the Calvados coordinator is mentioned"
    card = staff.card(chat.id)
    assert "en attente" in card
    assert "Lisieux" in card
    assert "a demandé un conseiller" in card
    assert "j'ai quitté le lycée" in card, "the card shows what was asked"

    chat.say("vous êtes là ?", until=texts.RELAYED_WAITING["tu"][:30], typing=False)
    staff.wait_in_topic(thread, "👤 vous êtes là ?")

    staff.says(STAFF.stranger, "/prendre", thread)
    staff.wait_in_topic(thread, staff_texts.NOT_COORDINATOR[:40])
    assert staff.state(chat.id) == "waiting", "a non-coordinator cannot take the chat"

    seen = len(staff.api.bot_messages(chat.id))
    staff.says(STAFF.calvados, "/prendre", thread)
    chat.wait_new(seen, "a rejoint la conversation")
    assert staff.state(chat.id) == "human"
    assert "pris en charge par Claire Test" in staff.api.wait_for(
        lambda: card if "pris en charge" in (card := staff.card(chat.id)) else None, WAIT
    )

    seen = len(staff.api.bot_messages(chat.id))
    staff.says(STAFF.calvados, "Bonjour, je suis Claire. Tu as quel âge ?", thread)
    chat.wait_new(seen, "je suis Claire")

    seen = len(staff.api.bot_messages(chat.id))
    staff.api.push_photo(chat.id, caption="mon bulletin")
    staff.api.push_message(chat.id, "17 ans")
    staff.wait_in_topic(thread, "👤 17 ans")
    photos = [m for m in staff.api.thread_messages(STAFF.chat_id, thread) if m.kind == "photo"]
    assert photos, "the photo is copied to the topic"
    assert photos[-1].text == "mon bulletin"
    staff.api.settle(chat.id, quiet=1.0)
    assert staff.api.bot_messages(chat.id)[seen:] == [], "the bot stays silent while held"

    staff.says(STAFF.calvados, "/note appeler la Mission locale de Lisieux", thread)
    staff.api.wait_for(lambda: True if "Notes : 1" in staff.card(chat.id) else None, WAIT)
    assert "appeler la Mission" not in joined(staff.api.bot_messages(chat.id)), "never relayed"

    seen = len(staff.api.bot_messages(chat.id))
    staff.says(STAFF.calvados, "/rendre", thread)
    chat.wait_new(seen, "Me revoilà")
    assert staff.state(chat.id) == "bot"
    answer = chat.say("c'est quoi un mini-stage ?", until="stage")
    assert "jours" in joined(answer), "the assistant answers again"


def test_clore_asks_for_satisfaction_and_records_the_answer(chat: Chat, staff: Staff) -> None:
    ask_human(chat)
    thread = staff.topic_of(chat.id)
    staff.says(STAFF.calvados, "/prendre", thread)
    chat.wait_new(0, "a rejoint la conversation")
    seen = len(staff.api.bot_messages(chat.id))
    staff.says(STAFF.calvados, "/clore", thread)
    chat.wait_new(seen, has_button("😀 Oui, beaucoup"))
    assert staff.state(chat.id) == "closed"
    chat.press("😀 Oui, beaucoup", until="Merci pour ta réponse")
    with session_scope(staff.db_url) as session:
        episode = session.scalars(
            select(Handoff).where(Handoff.user_id == str(chat.id)).order_by(Handoff.id.desc())
        ).first()
        assert episode is not None
        assert episode.satisfaction == 3
    answer = chat.say("c'est quoi un ambassadeur métier ?", until="mbassadeur")
    assert answer, "after closing, the assistant answers"


def test_transfer_puts_the_chat_back_in_the_queue_for_another_territory(
    chat: Chat, staff: Staff
) -> None:
    ask_human(chat)
    thread = staff.topic_of(chat.id)
    staff.says(STAFF.calvados, "/prendre", thread)
    chat.wait_new(0, "a rejoint la conversation")
    seen = len(staff.api.bot_messages(chat.id))
    staff.says(STAFF.calvados, "/transferer 27", thread)
    notice = staff.wait_in_topic(thread, "Conversation transférée")
    assert notice.mentions_user(STAFF.eure)
    chat.wait_new(seen, "autre conseiller")
    assert staff.state(chat.id) == "waiting"


def test_a_topic_deleted_by_hand_is_recreated_on_the_next_message(
    chat: Chat, staff: Staff, no_api_errors: ErrorLedger
) -> None:
    ask_human(chat)
    first = staff.topic_of(chat.id)
    staff.wait_in_topic(first, "/prendre pour répondre")
    staff.api.delete_topic(STAFF.chat_id, first)
    chat.say("il y a quelqu'un ?", until=texts.RELAYED_WAITING["tu"][:30], typing=False)
    second = staff.topic_of(chat.id, other_than=first)
    staff.wait_in_topic(second, "👤 il y a quelqu'un ?")
    assert "Fiche de" in staff.card(chat.id), "the new topic starts with a pinned card"
    no_api_errors.expect(staff.api, "message thread not found")


def test_attente_lists_waiting_chats_in_the_general_topic(chat: Chat, staff: Staff) -> None:
    ask_human(chat)
    staff.topic_of(chat.id)
    before = len(staff.api.bot_messages(STAFF.chat_id))
    staff.says(STAFF.eure, "/attente", None)
    listing = staff.api.wait_for(
        lambda: next(
            (
                MessageView.of(m)
                for m in staff.api.bot_messages(STAFF.chat_id)[before:]
                if "Conversations en attente" in MessageView.of(m).text
            ),
            None,
        ),
        WAIT,
    )
    assert f"Test{chat.id % 1000}" in listing.text
    assert "depuis" in listing.text


def test_oubli_deletes_the_users_staff_topic(chat: Chat, staff: Staff) -> None:
    ask_human(chat)
    thread = staff.topic_of(chat.id)
    staff.says(STAFF.calvados, "/rendre", thread)
    chat.wait_new(0, "Me revoilà")
    chat.say("/oubli", until=has_button("Oui, tout effacer"), typing=False)
    chat.press("Oui, tout effacer", until="effacé")
    staff.api.wait_for(
        lambda: True if thread not in staff.api.topics(STAFF.chat_id) else None, WAIT
    )
    with session_scope(staff.db_url) as session:
        assert session.get(StaffTopic, str(chat.id)) is None
