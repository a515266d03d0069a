"""A web visitor asks for a person: a topic opens in the coordinators' Telegram group (the
emulated Bot API), a coordinator takes the chat and answers there, and the open page shows the
answer live; an answer written while the page is closed is shown when the visitor comes back."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from devstack.botapi.reading import MessageView
from tests.browser.axe import describe, run_axe
from tests.browser.chat import ChatPage
from tests.browser.conftest import WebStack
from tests.e2e.conftest import STAFF

pytestmark = pytest.mark.browser
WAIT = 30.0


class StaffGroup:
    """The coordinators' forum group as the test sees it in the emulator."""

    def __init__(self, stack: WebStack) -> None:
        self.api = stack.api

    def new_topic(self, known: set[int]) -> int:
        """The topic the bot opens for this visitor (one not in `known`)."""
        return self.api.wait_for(
            lambda: next((t for t in self.api.topics(STAFF.chat_id) if t not in known), None),
            WAIT,
            "a new topic in the coordinators' group",
        )

    def says(self, coordinator: int, text: str, thread: int) -> None:
        """A coordinator writes in the visitor's topic."""
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


def test_a_coordinators_answer_reaches_the_open_page_live_and_a_later_visit(
    page: Any, web_stack: WebStack
) -> None:
    staff = StaffGroup(web_stack)
    known = set(web_stack.api.topics(STAFF.chat_id))
    chat = ChatPage(page).open()
    answer = chat.say("Mon fils de 17 ans a arrêté le lycée, on habite à Lisieux")
    assert answer, chat.transcript()

    before = chat.count("ai")
    page.locator("#pm-human").click()  # the shortcut "Parler à un conseiller"
    assert "conseiller" in "\n".join(chat.wait_turn(before)), chat.transcript()
    thread = staff.new_topic(known)
    staff.wait_in_topic(thread, "/prendre pour répondre")

    staff.says(STAFF.calvados, "/prendre", thread)
    chat.bubble_with("a rejoint la conversation", role="ai")  # pushed, no reload
    staff.says(STAFF.calvados, "Bonjour, je suis Claire. Quel est son projet ?", thread)
    claire = chat.bubble_with("je suis Claire", role="coordinateur")
    expect(claire).to_contain_text("Quel est son projet ?")
    result = run_axe(page)  # the coordinator's bubbles too
    assert result["violations"] == [], describe(result["violations"])

    chat.send("Il aime la cuisine")  # relayed: the assistant stays silent
    staff.wait_in_topic(thread, "Il aime la cuisine")
    chat.idle()  # (closing mid-turn is test_a_tab_closed_mid_turn_loses_nothing's subject)

    context = page.context
    page.close()  # the visitor leaves; the coordinator answers meanwhile
    staff.says(STAFF.calvados, "Je vous propose un rendez-vous jeudi.", thread)
    back = ChatPage(context.new_page()).open()
    back.bubble_with("Je vous propose un rendez-vous jeudi.", role="coordinateur")
    back.bubble_with("je suis Claire", role="coordinateur")

    staff.says(STAFF.calvados, "/rendre", thread)
    back.bubble_with("Me revoilà", role="ai")
    answer = back.say("c'est quoi un mini-stage ?")
    assert "jours" in answer, back.transcript()


def test_a_tab_closed_mid_turn_loses_nothing(page: Any) -> None:
    chat = ChatPage(page).open()
    chat.send("c'est quoi un mini-stage ?")
    context = page.context
    page.close()  # before the answer arrives
    back = ChatPage(context.new_page()).open()
    expect(back.bubbles("user").filter(has_text="c'est quoi un mini-stage ?")).to_have_count(1)
    back.bubble_with("jours", role="ai")
