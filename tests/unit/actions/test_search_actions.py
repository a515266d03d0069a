"""Guided search: form validation, results ranked by proximity, details, requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.requests import ActionCancelRequest, ActionFileRequest, ActionRequestStatus
from actions.search_forms import ValidateAmbassadorForm, ValidateMinistageForm
from actions.search_results import ActionSearchMinistages, ActionShowTarget
from parcours.db.engine import session_scope
from parcours.models import Company, Metier, MinistageOffer, User
from parcours.services import catalogue_search
from parcours.settings import Settings
from tests.factories import add_communes, ambassador, tracker

COMMUNES = [
    ("14118", "Caen", "14000", "14", "200065597"),
    ("14327", "Hérouville-Saint-Clair", "14200", "14", "200065597"),
    ("14366", "Lisieux", "14100", "14", "200069532"),
    ("50502", "Saint-Lô", "50000", "50", "200066389"),
    ("76540", "Rouen", "76000", "76", "200023414"),
]


@pytest.fixture
def catalogue(settings: Settings) -> Iterator[Settings]:
    """A small catalogue: bakery offers in Caen's EPCI, Lisieux, Saint-Lô and Rouen."""
    with session_scope() as session:
        add_communes(session, COMMUNES)
        session.add(
            Metier(
                code="boulanger",
                libelle="Boulanger / Boulangère",
                secteur="alimentation",
                synonymes="boulangere|boulangerie",
                mots_cles="pain",
            )
        )
        session.add(
            Metier(
                code="infirmier",
                libelle="Infirmier / Infirmière",
                secteur="sante",
                synonymes="infirmiere",
                mots_cles="soins",
            )
        )
        session.flush()
        for key, insee in [
            ("c_caen", "14118"),
            ("c_her", "14327"),
            ("c_lis", "14366"),
            ("c_stlo", "50502"),
            ("c_rouen", "76540"),
        ]:
            session.add(Company(key=key, name=f"Fournil {insee} (démo)", commune=insee, demo=True))
        session.flush()
        for key, company, insee, levels in [
            ("o_rouen", "c_rouen", "76540", "college"),
            ("o_stlo", "c_stlo", "50502", "college"),
            ("o_lis", "c_lis", "14366", "college"),
            ("o_her", "c_her", "14327", "college"),
            ("o_caen_lycee", "c_caen", "14118", "lycee"),
        ]:
            session.add(
                MinistageOffer(
                    key=key,
                    company=company,
                    metier="boulanger",
                    commune=insee,
                    levels=levels,
                    periods="vacances",
                    demo=True,
                )
            )
        session.add(ambassador(company="c_caen", years_in_job=5, formats="individuel visio"))
    catalogue_search.metier_index.cache_clear()
    catalogue_search.commune_index.cache_clear()
    yield settings
    catalogue_search.metier_index.cache_clear()
    catalogue_search.commune_index.cache_clear()


async def test_towns_are_validated_and_remembered_in_the_profile(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = await ValidateMinistageForm().validate_town("st lo", dispatcher, tracker(), {})
    assert slots == {"town": "Saint-Lô", "town_insee": "50502"}
    with session_scope() as session:
        user = session.get(User, "u1")
        assert user is not None
        assert user.town_code == "50502"


async def test_an_unknown_town_is_asked_again_in_french(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = await ValidateMinistageForm().validate_town("zzzzqx", dispatcher, tracker(), {})
    assert slots["town"] is None
    assert "Je ne trouve pas la commune" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("3eme", "college"),
        ("en seconde", "lycee"),
        ("BTS", "superieur"),
        ("college", "college"),
        ("banane", None),
    ],
)
async def test_school_levels_are_understood(
    catalogue: Settings, text: str, level: str | None
) -> None:
    slots = await ValidateMinistageForm().validate_school_level(
        text, CollectingDispatcher(), tracker(), {}
    )
    assert slots == {"school_level": level}


async def test_meeting_formats_are_understood(catalogue: Settings) -> None:
    form = ValidateAmbassadorForm()
    for text, code in [
        ("en visio", "visio"),
        ("pour ma classe", "collectif"),
        ("au tel", "telephone"),
    ]:
        slots = await form.validate_meeting_format(text, CollectingDispatcher(), tracker(), {})
        assert slots == {"meeting_format": code}


async def test_unknown_metiers_are_refused(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = await ValidateMinistageForm().validate_metier("azerty", dispatcher, tracker(), {})
    assert slots == {"metier": None}


async def test_results_are_the_level_s_offers_nearest_first(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "metier": "boulangerie",
        "town": "Caen",
        "town_insee": "14118",
        "school_level": "college",
    }
    await ActionSearchMinistages().run(dispatcher, tracker(slots=slots), {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [
        '/choose_target{"target":"ministage:o_her"}',
        '/choose_target{"target":"ministage:o_lis"}',
        '/choose_target{"target":"ministage:o_stlo"}',
    ]  # same EPCI, same department, neighbour department; Rouen (76) is too far
    assert "3 à 5 jours" in dispatcher.messages[1]["text"]


async def test_no_result_is_said_honestly_with_a_way_forward(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "metier": "infirmiere",
        "town": "Caen",
        "town_insee": "14118",
        "school_level": "college",
    }
    await ActionSearchMinistages().run(dispatcher, tracker(slots=slots), {})
    assert "Je n'ai pas trouvé" in dispatcher.messages[0]["text"]
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in (
        dispatcher.messages[0]["buttons"]
    )


async def test_details_show_no_private_contact_and_offer_a_request(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "target", "value": "ambassador:a1"}]
    await ActionShowTarget().run(
        dispatcher, tracker(intent="choose_target", entities=entities), {}
    )
    message = dispatcher.messages[0]
    assert "Léa B." in message["text"]
    assert "10 jours" in message["text"]
    assert "accompagnés" in message["text"]
    assert message["buttons"][0]["payload"] == '/request_contact{"target":"ambassador:a1"}'


async def test_a_request_is_filed_followed_and_cancelled(catalogue: Settings) -> None:
    slots = {
        "request_target": "ministage:o_her",
        "request_message": "Je voudrais découvrir",
        "request_availability": "vacances de printemps",
    }
    dispatcher = CollectingDispatcher()
    await ActionFileRequest().run(dispatcher, tracker(slots=slots), {})
    assert "Demande n°1" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    await ActionRequestStatus().run(dispatcher, tracker(), {})
    assert "n°1 – stage découverte : envoyée" in dispatcher.messages[0]["text"]
    other = CollectingDispatcher()
    await ActionRequestStatus().run(other, tracker(sender="someone-else"), {})
    assert "pas encore fait de demande" in other.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "request_id", "value": "1"}]
    await ActionCancelRequest().run(
        dispatcher, tracker(sender="someone-else", entities=entities), {}
    )
    assert "Impossible d'annuler" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    await ActionCancelRequest().run(dispatcher, tracker(entities=entities), {})
    assert dispatcher.messages[0]["text"] == "La demande n°1 est annulée."


async def test_more_results_come_page_by_page(catalogue: Settings) -> None:
    from actions.search_results import ActionSearchMore

    with session_scope() as session:
        for index in range(7):
            session.add(
                MinistageOffer(
                    key=f"o_more_{index}",
                    company="c_her",
                    metier="boulanger",
                    commune="14327",
                    levels="college",
                    demo=True,
                )
            )
    slots = {
        "metier": "boulanger",
        "town": "Caen",
        "town_insee": "14118",
        "school_level": "college",
    }
    dispatcher = CollectingDispatcher()
    events = await ActionSearchMinistages().run(dispatcher, tracker(slots=slots), {})
    first = dispatcher.messages[0]
    assert first["text"].startswith(
        "Voici 5 stage(s) découverte « boulanger » près de Caen (sur 10 trouvés)."
    )
    assert first["buttons"][-1] == {"title": "Voir plus", "payload": "/search_more"}
    state = {**slots, **{e["name"]: e["value"] for e in events}}
    dispatcher = CollectingDispatcher()
    await ActionSearchMore().run(dispatcher, tracker(slots=state), {})
    second = dispatcher.messages[0]
    assert second["text"].startswith("Résultats 6 à 10 sur 10.")
    assert len(second["buttons"]) == 5
    assert all(b["title"] != "Voir plus" for b in second["buttons"])
