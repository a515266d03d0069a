"""A forged button naming an unavailable ambassador or a full offer files no request."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.requests import ActionFileRequest
from parcours.db.engine import session_scope
from parcours.models import ContactRequest
from parcours.settings import Settings
from tests.factories import add_bakery_near_caen, tracker
from tests.unit.responses import render


@pytest.fixture
def catalogue(settings: Settings) -> Settings:
    """An ambassador `a1` no longer available and an offer `o1` with no place left."""
    with session_scope() as session:
        add_bakery_near_caen(
            session, ambassador_fields={"available": False}, offer_fields={"places": 0}
        )
    return settings


@pytest.mark.parametrize("target", ["ambassador:a1", "ministage:o1"])
@pytest.mark.parametrize(
    ("register", "said"),
    [
        (
            "tu",
            "Je n'ai pas pu envoyer la demande : cette personne ou cette offre ne prend plus "
            "de demande pour le moment, tu peux chercher un autre contact.",
        ),
        (
            "vous",
            "Je n'ai pas pu envoyer la demande : cette personne ou cette offre ne prend "
            "plus de demande pour le moment, vous pouvez chercher un autre contact.",
        ),
    ],
)
async def test_a_forged_request_payload_files_nothing(
    catalogue: Settings, target: str, register: str, said: str
) -> None:
    slots = {
        "request_target": target,  # from `/request_contact{"target": …}`, typed by anyone
        "request_message": "Je voudrais découvrir",
        "request_availability": "mercredi",
        "register": register,
    }
    dispatcher = CollectingDispatcher()
    await ActionFileRequest().run(dispatcher, tracker(slots=slots), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_request_failed"]
    assert render(dispatcher.messages[0], register=register) == said
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ContactRequest)) == 0
