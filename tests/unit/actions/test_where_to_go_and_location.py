"""Where to go: what the form asks, what it picks and why; a shared location → the commune."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.location import ActionShareLocation
from actions.where_to_go import ActionWhereToGo, ValidateWhereForm, band_from_text
from parcours.db.engine import session_scope
from parcours.models import Commune, Structure
from parcours.repositories import users
from parcours.services import catalogue_search
from parcours.services.where_to_go import kinds_for, situation_from_text
from parcours.settings import Settings, get_settings
from tests.factories import tracker
from tests.unit.responses import buttons, render

KINDS = ("mission_locale", "psad", "cio", "info_jeunes", "transitions_pro")


@pytest.fixture
def lisieux(settings: Settings) -> Iterator[None]:
    with session_scope() as session:
        session.add(
            Commune(
                insee="14366",
                nom="Lisieux",
                codes_postaux="14100",
                departement="14",
                region="28",
                epci="E1",
                latitude=49.1461,
                longitude=0.2279,
            )
        )
        session.flush()
        for kind in KINDS:
            session.add(
                Structure(
                    key=f"{kind}_lx", kind=kind, name=f"{kind} Lisieux", commune="14366", demo=True
                )
            )
    catalogue_search.commune_index.cache_clear()
    yield
    catalogue_search.commune_index.cache_clear()


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("j'ai quitté le lycée", "sorti_ecole"),
        ("je suis en seconde", "scolaire"),
        ("étudiante en BTS", "etudiant"),
        ("au chômage", "demandeur_emploi"),
        ("je suis salarié en CDI", "salarie"),
        ("c'est pour mon fils", "parent"),
        ("sorti_ecole", "sorti_ecole"),
        ("Lisieux", None),
    ],
)
def test_situations_are_read_from_buttons_and_everyday_words(
    text: str, situation: str | None
) -> None:
    assert situation_from_text(text) == situation


def test_school_leavers_of_16_to_25_go_to_the_psad_and_the_mission_locale() -> None:
    assert kinds_for("sorti_ecole", "15_17")[:2] == ["psad", "mission_locale"]
    assert kinds_for("salarie", None) == ["transitions_pro"]
    assert kinds_for("scolaire", None) == ["cio", "info_jeunes"]
    assert "mission_locale" not in kinds_for("parent", "moins_15")
    assert kinds_for("demandeur_emploi", "26_plus") == []  # the free number only


def test_ages_are_read_from_words_and_band_codes() -> None:
    assert band_from_text("17 ans") == "15_17"
    assert band_from_text("22") == "18_25"
    assert band_from_text("15_17") == "15_17"
    assert band_from_text("en seconde") is None


async def required(slots: dict[str, Any]) -> list[str]:
    return await ValidateWhereForm().required_slots(
        [], CollectingDispatcher(), tracker(slots=slots), {}
    )


async def test_the_form_asks_the_age_only_when_it_changes_the_answer() -> None:
    assert await required({"situation": "salarie"}) == ["town", "situation"]
    assert await required({"situation": "parent"}) == ["town", "situation", "person_age_band"]


async def test_a_first_message_fills_situation_age_and_town(lisieux: None) -> None:
    form = ValidateWhereForm()
    text = "à qui demander de l'aide pour mon fils de 17 ans à Lisieux"
    t = tracker(intent="where_to_go", text=text, slots={"requested_slot": None})
    assert await form.extract_situation(CollectingDispatcher(), t, {}) == {
        "situation": "parent",
        "person_age_band": "15_17",
    }
    assert await form.extract_town(CollectingDispatcher(), t, {}) == {
        "town": "Lisieux",
        "town_insee": "14366",
    }


async def test_the_stored_role_and_commune_are_reused(lisieux: None) -> None:
    with session_scope() as session:
        users.get_or_create(session, user_id="u1").town_code = "14366"
    form = ValidateWhereForm()
    t = tracker(intent="where_to_go", text="où m'adresser ?", slots={"role": "salarie"})
    assert await form.extract_situation(CollectingDispatcher(), t, {}) == {"situation": "salarie"}
    assert (await form.extract_town(CollectingDispatcher(), t, {}))["town_insee"] == "14366"


async def test_a_parent_is_not_given_their_own_age_band_for_their_child() -> None:
    form = ValidateWhereForm()
    t = tracker(text="où aller", slots={"situation": "parent", "age_band": "26_plus"})
    assert await form.extract_person_age_band(CollectingDispatcher(), t, {}) == {}


async def test_an_unclear_situation_is_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    out = await ValidateWhereForm().validate_situation("bof", dispatcher, tracker(), {})
    assert out == {"situation": None}
    assert render(dispatcher.messages[0]) == "Je n'ai pas bien compris : choisis un des boutons."
    assert "choisissez" in render(dispatcher.messages[0], register="vous")


async def test_an_unclear_age_is_asked_again_with_vous_for_a_parent() -> None:
    dispatcher = CollectingDispatcher()
    out = await ValidateWhereForm().validate_person_age_band("bof", dispatcher, tracker(), {})
    assert out == {"person_age_band": None}
    message = dispatcher.messages[0]
    assert render(message) == "Je n'ai pas compris l'âge : choisis un des boutons."
    assert "choisissez" in render(message, situation="parent")
    assert "choisissez" in render(message, register="vous")


#: Slots of a young person of 17 who left school, in Lisieux.
DROPOUT_17_IN_LISIEUX = {
    "situation": "sorti_ecole",
    "person_age_band": "15_17",
    "town": "Lisieux",
    "town_insee": "14366",
}


async def test_a_dropout_of_17_in_lisieux_gets_psad_and_mission_locale_with_why(
    lisieux: None,
) -> None:
    dispatcher = CollectingDispatcher()
    slots = DROPOUT_17_IN_LISIEUX
    events = await ActionWhereToGo().run(dispatcher, tracker(slots=slots), {})
    places = render(dispatcher.messages[0], **slots)
    assert places.startswith("Près de Lisieux, tu peux aller voir :\n• ")
    assert "psad Lisieux" in places
    assert "16–25 ans" in places
    assert "Atouts" not in places
    outro = dispatcher.messages[-1]
    assert render(outro, **slots) == (
        f"Et pour un premier conseil, gratuit : {get_settings().pm_number_phrase}."
    )
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in buttons(outro)
    assert SlotSet("age_band", "15_17") in events


async def test_a_kind_with_no_place_nearby_is_named_with_the_free_number(
    settings: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"situation": "salarie", "town": "Lisieux", "town_insee": "14366"}
    await ActionWhereToGo().run(dispatcher, tracker(slots=slots), {})
    missing = dispatcher.messages[0]
    assert missing["response"] == "utter_places_missing"
    pm = settings.pm_number_phrase
    assert render(missing, **slots).startswith("Pour cette situation, près de Lisieux :\n• ")
    assert render(missing, **slots).endswith(f"appelle {pm} (demande-lui les coordonnées).")
    assert render(missing, **slots, register="vous").endswith(
        f"appelez {pm} (demandez-lui les coordonnées)."
    )


async def test_a_situation_without_a_place_gets_the_free_number_for_all(
    settings: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"situation": "demandeur_emploi", "person_age_band": "26_plus", "town": "Caen"}
    await ActionWhereToGo().run(dispatcher, tracker(slots=slots), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_free_number_for_all",
        "utter_first_advice",
    ]
    assert "peut te diriger" in render(dispatcher.messages[0], **slots)
    assert "peut vous diriger" in render(dispatcher.messages[0], **slots, register="vous")


async def test_a_parent_is_answered_with_vous(lisieux: None) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"situation": "parent", "person_age_band": "15_17", "town": "Lisieux"}
    slots["town_insee"] = "14366"
    events = await ActionWhereToGo().run(dispatcher, tracker(slots=slots), {})
    assert "vous pouvez aller voir" in render(dispatcher.messages[0], **slots)
    assert SlotSet("register", "vous") in events


async def test_a_shared_location_sets_the_commune_like_a_typed_town(lisieux: None) -> None:
    dispatcher = CollectingDispatcher()
    entities = [
        {"entity": "latitude", "value": 49.146},
        {"entity": "longitude", "value": 0.226},
    ]
    events = await ActionShareLocation().run(
        dispatcher, tracker(intent="share_location", entities=entities), {}
    )
    message = dispatcher.messages[0]
    assert render(message) == "Tu es du côté de Lisieux (Calvados) : c'est noté."
    assert render(message, register="vous") == (
        "Vous êtes du côté de Lisieux (Calvados) : c'est noté."
    )
    assert events == [SlotSet("town", "Lisieux"), SlotSet("town_insee", "14366")]
    with session_scope() as session:
        user = users.get(session, user_id="u1")
        assert user is not None
        assert user.town_code == "14366"


async def test_a_position_far_from_any_commune_asks_for_the_name(lisieux: None) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "latitude", "value": 40.0}, {"entity": "longitude", "value": -30.0}]
    events = await ActionShareLocation().run(dispatcher, tracker(entities=entities), {})
    assert events == []
    assert render(dispatcher.messages[0]) == (
        "Je n'arrive pas à situer cette position en France. Écris plutôt le nom de ta commune "
        "ou son code postal."
    )
    assert "Écrivez plutôt le nom de votre commune" in render(
        dispatcher.messages[0], register="vous"
    )


async def test_the_places_come_with_their_details_and_the_nearest_as_a_venue(
    lisieux: None,
) -> None:
    with session_scope() as session:
        psad = session.get(Structure, "psad_lx")
        assert psad is not None
        psad.hours, psad.phone = "lun-ven 9h-17h", "02 00 00 00 00"
        psad.latitude, psad.longitude = 49.1500, 0.2300
    dispatcher = CollectingDispatcher()
    slots = DROPOUT_17_IN_LISIEUX
    await ActionWhereToGo().run(dispatcher, tracker(slots=slots), {})
    places = render(dispatcher.messages[0], **slots)
    assert "• psad Lisieux : plateforme" in places
    assert "\n   Horaires : lun-ven 9h-17h\n   Tél. : 02 00 00 00 00\n   Carte : " in places
    assert "mlat=49.15000&mlon=0.23000" in places
    # Without its own point, the Mission locale's map is Lisieux's centre, said so.
    assert "Carte (emplacement approximatif : centre de la commune) : " in places
    # The venue: in the same town, a place's own point beats the commune's centre.
    assert dispatcher.messages[1]["custom"] == {
        "location": {
            "latitude": 49.15,
            "longitude": 0.23,
            "title": "psad Lisieux",
            "address": "Lisieux",
        }
    }
