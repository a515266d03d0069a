"""One staff group per territory (issue 11, item 8): STAFF_CHATS parsed and checked, a user's
topic opens in their territory's group (the region-wide one as fallback), a rate-limited group
never delays another, /transferer moves a topic to the other group with its card."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import ValidationError

from bot.staff_relay import StaffRelay
from parcours.db.engine import session_scope
from parcours.models import User
from parcours.repositories import outbox, users
from parcours.services import handoff, staff_desk, staff_outbox
from parcours.services.outbox import OutboxKind
from parcours.services.staff_groups import all_groups, group_for, parse_staff_chats
from parcours.settings import Settings
from tests.factories import add_communes
from tests.unit.bot.test_staff_delivery import FakeBot, NoRasa

REGION, CALVADOS, MANCHE, LISIEUX_EPCI = -1000000000001, -1000000000014, -1000000000050, -100777
GROUPS = f"14:{CALVADOS}; 50 61:{MANCHE}\n200069532:{LISIEUX_EPCI}00"


def test_staff_chats_are_parsed_epci_first_then_department_then_the_region() -> None:
    groups = parse_staff_chats(GROUPS)
    assert [(g.chat_id, g.departements, g.epcis) for g in groups] == [
        (CALVADOS, ("14",), ()),
        (MANCHE, ("50", "61"), ()),
        (LISIEUX_EPCI * 100, (), ("200069532",)),
    ]
    assert group_for(GROUPS, REGION, departement="14", epci="200069532") == LISIEUX_EPCI * 100
    assert group_for(GROUPS, REGION, departement="14", epci="241400415") == CALVADOS
    assert group_for(GROUPS, REGION, departement="27", epci=None) == REGION
    assert group_for("", REGION, departement="14", epci=None) == REGION
    assert all_groups(GROUPS, REGION) == [REGION, CALVADOS, MANCHE, LISIEUX_EPCI * 100]


@pytest.mark.parametrize(
    "value",
    ["14:-42", "14", ":-1001234567", "99:-1001234567", "14:-1001234567;14:-1007654321"],
)
def test_a_malformed_staff_chats_setting_is_refused_at_load(value: str) -> None:
    with pytest.raises(ValidationError, match="STAFF_CHATS"):
        Settings(staff_chats=value)


@pytest.fixture
def relay(settings: Settings) -> StaffRelay:
    configured = settings.model_copy(update={"staff_chat_id": REGION, "staff_chats": GROUPS})
    with session_scope() as session:
        add_communes(
            session,
            [
                ("14118", "Caen", "14000", "14", "241400415"),
                ("50129", "Cherbourg", "50100", "50", "200067205"),
            ],
        )
    return StaffRelay(configured, NoRasa())  # type: ignore[arg-type]


def _user(user_id: str, town: str | None) -> None:
    with session_scope() as session:
        users.get_or_create(session, user_id=user_id)
        user = session.get(User, user_id)
        assert user is not None
        user.town_code = town


def _says(user_id: str, text: str) -> None:
    with session_scope() as session:
        outbox.add(session, user_id=user_id, kind=OutboxKind.USER_MESSAGE, payload={"text": text})


def _chats(bot: FakeBot, needle: str) -> set[int]:
    return {chat for chat, _, text in bot.sent if needle in text}


def test_topics_open_in_the_territorys_group_and_a_flooded_group_delays_no_other(
    relay: StaffRelay,
) -> None:
    _user("caen", "14118")
    _user("cherbourg", "50129")
    _user("nowhere", None)
    for user in ("caen", "cherbourg", "nowhere"):
        _says(user, f"bonjour de {user}")
    bot = FlakyGroupBot(flooded=CALVADOS)
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    assert _chats(bot, "bonjour de cherbourg") == {MANCHE}
    assert _chats(bot, "bonjour de nowhere") == {REGION}
    assert _chats(bot, "bonjour de caen") == set(), "Calvados' group is rate-limited"
    assert [row.user_id for row in staff_outbox.unsent(10)] == ["caen"]
    assert staff_outbox.topic("caen") is not None, "its topic exists, in its own group"
    assert staff_outbox.topic("caen").chat_id == CALVADOS  # type: ignore[union-attr]


class FlakyGroupBot(FakeBot):
    """Telegram's flood control in one group only (topic creation and card included)."""

    def __init__(self, flooded: int) -> None:
        super().__init__()
        self.flooded = flooded
        self.created: list[int] = []

    async def create_forum_topic(self, chat_id: int, name: str) -> Any:
        self.created.append(chat_id)
        return await super().create_forum_topic(chat_id, name)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any:
        if chat_id == self.flooded and "bonjour" in text:
            self.flood = 1
        return await super().send_message(chat_id, text, **kwargs)


def test_transfer_moves_the_topic_to_the_other_group_with_its_card(relay: StaffRelay) -> None:
    _user("caen", "14118")
    with session_scope() as session:
        handoff.request(session, user_id="caen", reason="user_request")
        handoff.take(session, user_id="caen", coordinator_id=1)
    bot = FlakyGroupBot(flooded=0)
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    old = staff_outbox.topic("caen")
    assert old is not None
    assert old.chat_id == CALVADOS
    moved = staff_desk.transfer(relay.settings, "caen", "50", actor="test")
    assert moved.chat_id == MANCHE
    before = asyncio.run(relay.topics.move(bot, "caen", MANCHE))  # type: ignore[arg-type]
    assert before == old
    new = staff_outbox.topic("caen")
    assert new is not None
    assert (new.chat_id, new.name) == (MANCHE, old.name)
    assert bot.created == [CALVADOS, MANCHE]
    cards = [(chat, thread) for chat, thread, text in bot.sent if "Fiche de" in text]
    assert cards[-1] == (MANCHE, new.thread_id), "the card is posted in the new topic"
    _says("caen", "toujours là")
    asyncio.run(relay.flush(bot))  # type: ignore[arg-type]
    assert _chats(bot, "toujours là") == {MANCHE}
    assert asyncio.run(relay.topics.move(bot, "caen", MANCHE)) is None  # type: ignore[arg-type]
