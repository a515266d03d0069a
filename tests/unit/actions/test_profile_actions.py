"""Greeting and profile actions, and the role wording safety net."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import age_band_for
from actions.profile import ActionGreet, ActionProfileNext, ActionSetProfile
from actions.session import ActionSessionStart
from parcours.db.engine import session_scope
from parcours.profile import role_from_text
from parcours.repositories import users
from tests.factories import tracker


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("je suis la mère d'une collégienne", "parent"),
        ("jsuis lyceenne", "eleve"),
        ("prof principal de 3e", "professionnel"),
        ("au chomage", "demandeur_emploi"),
        ("salariée en CDI", "salarie"),
        ("bonjour", None),
    ],
)
def test_roles_are_recognised_from_common_wordings(text: str, role: str | None) -> None:
    assert role_from_text(text) == role


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (13, "moins_15"),
        (15, "15_17"),
        (17, "15_17"),
        (18, "18_25"),
        (25, "18_25"),
        (26, "26_plus"),
        (3, None),
        (140, None),
    ],
)
def test_ages_map_to_bands(age: int, band: str | None) -> None:
    assert age_band_for(age) == band


async def test_a_parent_is_stored_and_switched_to_vous(db_url: str) -> None:
    t = tracker(
        intent="set_role",
        text="je suis la mère d'une collégienne",
        entities=[{"entity": "role", "value": "mère"}],
    )
    events = await ActionSetProfile().run(CollectingDispatcher(), t, {})
    assert SlotSet("role", "parent") in events
    assert SlotSet("register", "vous") in events
    with session_scope() as session:
        user = users.get(session, user_id="u1")
        assert user is not None
        assert user.role == "parent"


async def test_a_typed_age_is_stored_as_a_band(db_url: str) -> None:
    t = tracker(intent="tell_age", entities=[{"entity": "age", "value": "16"}])
    events = await ActionSetProfile().run(CollectingDispatcher(), t, {})
    assert SlotSet("age_band", "15_17") in events


async def test_a_pupil_without_age_is_asked_it(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="set_role", slots={"role": "eleve", "consent_shown": True})
    await ActionProfileNext().run(dispatcher, t, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_role_noted", "utter_ask_age"]


async def test_greeting_a_new_user_shows_consent_then_asks_the_role(db_url: str) -> None:
    dispatcher = CollectingDispatcher()
    await ActionGreet().run(dispatcher, tracker(intent="greet"), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_greet_new",
        "utter_consent",
        "utter_ask_role",
    ]


async def test_greeting_a_known_user_shows_the_menu(db_url: str) -> None:
    with session_scope() as session:
        users.update_profile(session, user_id="u1", role="eleve")
        users.mark_consent_shown(session, user_id="u1")
    dispatcher = CollectingDispatcher()
    await ActionGreet().run(dispatcher, tracker(intent="greet", slots={"consent_shown": True}), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet_back", "utter_menu"]


async def test_session_start_loads_the_stored_profile(db_url: str) -> None:
    with session_scope() as session:
        users.update_profile(session, user_id="u1", role="salarie", age_band="26_plus")
    events = await ActionSessionStart().run(CollectingDispatcher(), tracker(), {})
    assert SlotSet("role", "salarie") in events
    assert SlotSet("register", "vous") in events
    assert SlotSet("pm_number", "le numéro gratuit Parcours Métier") in events


async def test_an_under_15_gets_the_parent_notice_once(db_url: str) -> None:
    slots = {"role": "eleve", "age_band": "moins_15", "consent_shown": True}
    dispatcher = CollectingDispatcher()
    events = await ActionProfileNext().run(dispatcher, tracker(intent="tell_age", slots=slots), {})
    assert "utter_consent_parent" in [m["response"] for m in dispatcher.messages]
    assert SlotSet("parent_notice_shown", True) in events
    again = CollectingDispatcher()
    slots["parent_notice_shown"] = True
    await ActionProfileNext().run(again, tracker(intent="tell_age", slots=slots), {})
    assert "utter_consent_parent" not in [m["response"] for m in again.messages]


async def test_a_15_year_old_and_a_parent_get_no_parent_notice(db_url: str) -> None:
    for slots in (
        {"role": "eleve", "age_band": "15_17", "consent_shown": True},
        {"role": "parent", "age_band": "moins_15", "consent_shown": True},
    ):
        dispatcher = CollectingDispatcher()
        await ActionProfileNext().run(dispatcher, tracker(intent="tell_age", slots=slots), {})
        assert "utter_consent_parent" not in [m["response"] for m in dispatcher.messages]
