"""The front end's side of "after a meeting": the follow-up buttons answered without Rasa,
and what coordinators type after `/demande N acceptee` (date, time, place)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx
import pytest

from bot import texts
from bot.dialogue import is_valid_button
from bot.staff_meetings import leading_date, leading_time, meeting_place
from parcours.db.engine import session_scope
from parcours.models import ContactRequest
from parcours.services import meetings
from parcours.settings import Settings
from tests.factories import accept_with_date, add_bakery_near_caen, contact_request
from tests.unit.bot.test_dialogue import make_dialogue

pytestmark = pytest.mark.both_databases

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _no_rasa(request: httpx.Request) -> httpx.Response:
    raise AssertionError("the follow-up answer must not reach Rasa")


def _followed_up(settings: Settings, user: str) -> int:
    with session_scope() as session:
        add_bakery_near_caen(session, demo=True)
        request = contact_request(session, settings, now=T0, user_id=user)
        accept_with_date(session, settings, request.id, now=T0, day=date(2026, 12, 10))
        meetings.tick(session, settings, now=datetime(2026, 12, 11, 17, tzinfo=UTC))
        return request.id


@pytest.mark.parametrize(
    ("payload", "valid"),
    [
        ("/suivi_12_oui", True),
        ("/suivi_12_moyen", True),
        ("/suivi_12_non", True),
        ("/suivi_12_peut-etre", False),
        ("/suivi_x_oui", False),
        ("/suivi_12_oui{}", False),
    ],
)
def test_only_the_three_follow_up_answers_are_buttons(payload: str, valid: bool) -> None:
    assert is_valid_button(payload) is valid


async def test_the_follow_up_answer_is_stored_without_rasa(settings: Settings) -> None:
    request_id = _followed_up(settings, "111")
    dialogue, seen = make_dialogue(settings, _no_rasa)
    result = await dialogue.handle_button("111", f"/suivi_{request_id}_non", "k1")
    assert [r.text for r in result.replies] == [texts.FOLLOW_UP_NO["tu"]]
    assert seen == []
    with session_scope() as session:
        request = session.get(ContactRequest, request_id)
        assert request is not None
        assert request.follow_up_answer == "non"


async def test_another_user_s_follow_up_cannot_be_answered(settings: Settings) -> None:
    request_id = _followed_up(settings, "111")
    dialogue, _ = make_dialogue(settings, _no_rasa)
    result = await dialogue.handle_button("222", f"/suivi_{request_id}_oui", "k1")
    assert [r.text for r in result.replies] == [texts.FOLLOW_UP_UNKNOWN["tu"]]
    with session_scope() as session:
        request = session.get(ContactRequest, request_id)
        assert request is not None
        assert request.follow_up_answer is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10/12/2026 14h30 apporte", (date(2026, 12, 10), "14h30 apporte")),
        ("10/12 message", (date(2026, 12, 10), "message")),
        ("05/01 en janvier", (date(2027, 1, 5), "en janvier")),  # no year: the next one
        ("31/02/2027", (None, "31/02/2027")),
        ("mercredi", (None, "mercredi")),
    ],
)
def test_a_date_is_read_at_the_start(typed: str, expected: tuple[date | None, str]) -> None:
    assert leading_date(typed, today=date(2026, 12, 5)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14h30 lieu : CIO", (time(14, 30), "lieu : CIO")),
        ("14 h message", (time(14, 0), "message")),
        ("à 9:15", (time(9, 15), "")),
        ("25h", (None, "25h")),
        ("mercredi 14 h", (None, "mercredi 14 h")),
        ("2026 élèves", (None, "2026 élèves")),
    ],
)
def test_a_time_is_read_at_the_start(typed: str, expected: tuple[time | None, str]) -> None:
    assert leading_time(typed) == expected


def test_a_place_is_read_anywhere_up_to_a_semicolon() -> None:
    assert meeting_place("lieu : CIO de Caen, 12 rue X ; apporte tes questions") == (
        "CIO de Caen, 12 rue X",
        "apporte tes questions",
    )
    assert meeting_place("apporte tes questions Lieu: en visio") == (
        "en visio",
        "apporte tes questions",
    )
    assert meeting_place("pas de lieu ici") == ("", "pas de lieu ici")
