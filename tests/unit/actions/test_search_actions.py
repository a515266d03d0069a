"""Guided search: form validation, results ranked by proximity, details, requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.requests import ActionCancelRequest, ActionFileRequest, ActionRequestStatus
from actions.search_forms import ValidateAmbassadorForm, ValidateMinistageForm
from actions.search_results import (
    ActionSearchAmbassadors,
    ActionSearchMinistages,
    ActionShowTarget,
)
from parcours.db.engine import session_scope
from parcours.models import Company, ContactRequest, Metier, MinistageOffer, User
from parcours.services import catalogue_search
from parcours.settings import Settings
from tests.factories import add_communes, ambassador, tracker
from tests.unit.responses import buttons, render

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
    message = dispatcher.messages[0]
    assert message["response"] == "utter_town_unknown"
    assert render(message).startswith("Je ne trouve pas la commune « zzzzqx ». Donne son nom")
    assert "Donnez son nom" in render(message, register="vous")


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
    dispatcher = CollectingDispatcher()
    slots = await ValidateMinistageForm().validate_school_level(text, dispatcher, tracker(), {})
    assert slots == {"school_level": level}
    asked_again = [m["response"] for m in dispatcher.messages]
    assert asked_again == ([] if level else ["utter_school_level_unclear"])


async def test_meeting_formats_are_understood(catalogue: Settings) -> None:
    form = ValidateAmbassadorForm()
    for text, code in [
        ("en visio", "visio"),
        ("pour ma classe", "collectif"),
        ("au tel", "telephone"),
    ]:
        slots = await form.validate_meeting_format(text, CollectingDispatcher(), tracker(), {})
        assert slots == {"meeting_format": code}
    dispatcher = CollectingDispatcher()
    assert await form.validate_meeting_format("bof", dispatcher, tracker(), {}) == {
        "meeting_format": None
    }
    assert render(dispatcher.messages[0]) == "Je n'ai pas compris : choisis un des boutons."
    assert "choisissez" in render(dispatcher.messages[0], register="vous")


async def test_unknown_metiers_are_refused(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = await ValidateMinistageForm().validate_metier("azerty", dispatcher, tracker(), {})
    assert slots == {"metier": None}
    assert render(dispatcher.messages[0]).startswith(
        "Je ne reconnais pas de métier dans « azerty ». Essaie un autre mot"
    )
    assert "Essayez un autre mot" in render(dispatcher.messages[0], register="vous")


async def test_results_are_the_level_s_offers_nearest_first(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "metier": "boulangerie",
        "town": "Caen",
        "town_insee": "14118",
        "school_level": "college",
    }
    await ActionSearchMinistages().run(dispatcher, tracker(slots=slots), {})
    payloads = [b["payload"] for b in buttons(dispatcher.messages[0])]
    assert payloads == [
        '/choose_target{"target":"ministage:o_her"}',
        '/choose_target{"target":"ministage:o_lis"}',
        '/choose_target{"target":"ministage:o_stlo"}',
    ]  # same EPCI, same department, neighbour department; Rouen (76) is too far
    assert render(dispatcher.messages[0]) == (
        "Voici 3 stage(s) découverte « boulangerie » près de Caen (sur 3 trouvés). "
        "Choisis pour voir le détail :"
    )
    assert render(dispatcher.messages[0], register="vous").endswith(
        "Choisissez pour voir le détail :"
    )
    convention = dispatcher.messages[1]
    assert convention["response"] == "utter_convention_college"
    assert "3 à 5 jours" in render(convention)
    assert "passe par ton collège" in render(convention)
    assert "passe par le collège" in render(convention, register="vous")


async def test_no_result_is_said_honestly_with_a_way_forward(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "metier": "infirmiere",
        "town": "Caen",
        "town_insee": "14118",
        "school_level": "college",
    }
    await ActionSearchMinistages().run(dispatcher, tracker(slots=slots), {})
    message = dispatcher.messages[0]
    assert render(message) == (
        "Je n'ai pas trouvé de stage découverte « infirmiere » près de Caen pour le niveau "
        "collège. Essaie un métier proche ou une autre commune, ou demande à un conseiller : "
        "il connaît d'autres entreprises du territoire."
    )
    assert "Essayez un métier proche" in render(message, register="vous")
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in buttons(message)


async def test_details_show_no_private_contact_and_offer_a_request(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "target", "value": "ambassador:a1"}]
    await ActionShowTarget().run(
        dispatcher, tracker(intent="choose_target", entities=entities), {}
    )
    message = dispatcher.messages[0]
    assert message["response"] == "utter_target_ambassador"
    assert "Léa B." in render(message)
    assert "10 jours" in render(message)
    assert "accompagnés" in render(message)
    assert "@" not in render(message)
    assert buttons(message)[0]["payload"] == '/request_contact{"target":"ambassador:a1"}'


async def test_an_offer_s_details_say_the_request_goes_through_a_coordinator(
    catalogue: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "target", "value": "ministage:o_her"}]
    await ActionShowTarget().run(
        dispatcher, tracker(intent="choose_target", entities=entities), {}
    )
    message = dispatcher.messages[0]
    assert render(message) == (
        "Stage découverte : Boulanger / Boulangère\n"
        "Entreprise : Fournil 14327 (démo), Hérouville-Saint-Clair\n"
        "Durée : 3 à 5 jours · Période : vacances\n"
        "Pour : collège · Places : 1\n"
        "Les coordonnées ne sont pas affichées : ta demande passe par un coordinateur de "
        "l'Agence.\n(Fiche de démonstration : entreprise fictive.)"
    )
    assert "votre demande passe par" in render(message, register="vous")
    assert buttons(message)[0]["payload"] == '/request_contact{"target":"ministage:o_her"}'


async def test_a_target_that_is_gone_is_said_in_both_registers(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "target", "value": "ministage:nope"}]
    await ActionShowTarget().run(
        dispatcher, tracker(intent="choose_target", entities=entities), {}
    )
    message = dispatcher.messages[0]
    assert render(message) == "Cette fiche n'existe plus. Relance une recherche."
    assert render(message, register="vous") == "Cette fiche n'existe plus. Relancez une recherche."
    assert buttons(message) == [{"title": "Menu", "payload": "/menu"}]


async def test_a_request_is_filed_followed_and_cancelled(catalogue: Settings) -> None:
    slots = {
        "request_target": "ministage:o_her",
        "request_message": "Je voudrais découvrir",
        "request_availability": "vacances de printemps",
    }
    dispatcher = CollectingDispatcher()
    await ActionFileRequest().run(dispatcher, tracker(slots=slots), {})
    sent = dispatcher.messages[0]
    assert "C'est envoyé ✅ Demande n°1." in render(sent)
    assert "Je te préviens ici" in render(sent)
    assert "Je vous préviens ici" in render(sent, register="vous")
    assert buttons(sent) == [{"title": "Où en est ma demande ?", "payload": "/request_status"}]
    dispatcher = CollectingDispatcher()
    await ActionRequestStatus().run(dispatcher, tracker(), {})
    status = render(dispatcher.messages[0])
    assert status.startswith("Tes demandes :\nn°1 – stage découverte : envoyée")
    assert buttons(dispatcher.messages[0])[0]["title"] == "Annuler la n°1"
    dispatcher = CollectingDispatcher()
    await ActionRequestStatus().run(dispatcher, tracker(slots={"register": "vous"}), {})
    assert render(dispatcher.messages[0], register="vous").startswith("Vos demandes :\nn°1")
    other = CollectingDispatcher()
    await ActionRequestStatus().run(other, tracker(sender="someone-else"), {})
    assert "Tu n'as pas encore fait de demande" in render(other.messages[0])
    assert "Vous n'avez pas encore fait de demande" in render(other.messages[0], register="vous")
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "request_id", "value": "1"}]
    await ActionCancelRequest().run(
        dispatcher, tracker(sender="someone-else", entities=entities), {}
    )
    assert render(dispatcher.messages[0]).startswith("Impossible d'annuler")
    dispatcher = CollectingDispatcher()
    await ActionCancelRequest().run(dispatcher, tracker(entities=entities), {})
    assert render(dispatcher.messages[0]) == "La demande n°1 est annulée."


async def test_a_too_short_request_message_is_asked_again(catalogue: Settings) -> None:
    from actions.requests import ValidateRequestForm

    dispatcher = CollectingDispatcher()
    slots = await ValidateRequestForm().validate_request_message("ok", dispatcher, tracker(), {})
    assert slots == {"request_message": None}
    assert render(dispatcher.messages[0]) == "Écris au moins quelques mots 🙂"
    assert render(dispatcher.messages[0], register="vous") == "Écrivez au moins quelques mots 🙂"


def test_a_declined_request_says_what_to_do_in_the_user_s_register() -> None:
    from actions.requests import describe

    request = ContactRequest(
        id=7, target_type="ambassador", status="declined", due_at=datetime(2030, 1, 2)
    )
    assert describe(request, register="tu") == (
        "n°7 – rencontre avec un ambassadeur : déclinée (tu peux chercher un autre contact)"
    )
    assert describe(request, register="vous") == (
        "n°7 – rencontre avec un ambassadeur : déclinée (vous pouvez chercher un autre contact)"
    )


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
    assert render(first).startswith(
        "Voici 5 stage(s) découverte « boulanger » près de Caen (sur 10 trouvés)."
    )
    assert buttons(first)[-1] == {"title": "Voir plus", "payload": "/search_more"}
    state = {**slots, **{e["name"]: e["value"] for e in events}}
    dispatcher = CollectingDispatcher()
    await ActionSearchMore().run(dispatcher, tracker(slots=state), {})
    second = dispatcher.messages[0]
    assert render(second) == "Résultats 6 à 10 sur 10. Choisis pour voir le détail :"
    assert render(second, register="vous").endswith("Choisissez pour voir le détail :")
    assert len(buttons(second)) == 5
    assert all(b["title"] != "Voir plus" for b in buttons(second))


def test_ambassadors_are_those_who_meet_the_user_s_public(catalogue: Settings) -> None:
    with session_scope() as session:
        session.add(
            ambassador(key="a_adults", company="c_caen", publics="demandeur_emploi salarie")
        )
        session.flush()
        for_pupil = catalogue_search.find_ambassadors(
            session, metier_query="boulanger", insee="14118", meeting_format=None, role="eleve"
        )
        for_job_seeker = catalogue_search.find_ambassadors(
            session,
            metier_query="boulanger",
            insee="14118",
            meeting_format=None,
            role="demandeur_emploi",
        )
        anyone = catalogue_search.find_ambassadors(
            session, metier_query="boulanger", insee="14118", meeting_format=None
        )
    assert [h.key for h in for_pupil] == ["a1"]
    assert [h.key for h in for_job_seeker] == ["a_adults"]
    assert {h.key for h in anyone} == {"a1", "a_adults"}


async def test_nothing_nearby_offers_the_same_metier_farther_away(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "metier": "boulanger",
        "town": "Rouen",
        "town_insee": "76540",
        "school_level": "lycee",
    }
    await ActionSearchMinistages().run(dispatcher, tracker(slots=slots), {})
    assert [m.get("response") for m in dispatcher.messages] == [
        "utter_no_ministage",
        "utter_search_alternatives",
    ]
    offered = dispatcher.messages[1]["buttons"]
    assert offered == [
        {
            "title": "Fournil 14118 (démo) (Caen)",
            "payload": '/choose_target{"target":"ministage:o_caen_lycee"}',
        }
    ]


async def test_no_ambassador_in_this_format_offers_visio_when_it_finds_someone(
    catalogue: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "metier": "boulanger",
        "town": "Rouen",
        "town_insee": "76540",
        "meeting_format": "sur_place",
    }
    await ActionSearchAmbassadors().run(dispatcher, tracker(slots=slots), {})
    assert dispatcher.messages[-1]["response"] == "utter_search_alternatives"
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == (
        '/search_ambassador{"meeting_format":"visio"}'
    )
