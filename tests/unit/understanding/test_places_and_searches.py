"""Searches as people type them: métiers from the catalogue, places with prepositions and
departments, a search started in one message, and slot-first reading inside the forms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionUnderstandFallback
from actions.search_forms import ValidateAmbassadorForm, ValidateMinistageForm
from parcours.db.engine import session_scope
from parcours.models import Commune, Metier
from parcours.services import catalogue_search
from parcours.settings import Settings
from parcours.understanding.places import place_as_answer, place_in_text
from parcours.understanding.search_read import AMBASSADOR, MINISTAGE, read_search
from tests.factories import tracker

COMMUNES = [  # insee, name, postal code, department, population
    ("14118", "Caen", "14000", "14", 108000),
    ("14366", "Lisieux", "14100", "14", 20000),
    ("50129", "Cherbourg-en-Cotentin", "50100", "50", 78000),
    ("50502", "Saint-Lô", "50000", "50", 19000),
    ("76351", "Le Havre", "76600", "76", 166000),
    ("76540", "Rouen", "76000", "76", 114000),
    ("21327", "Jours-lès-Baigneux", "21450", "21", 60),
]
METIERS = [
    ("infirmier", "Infirmier / Infirmière", "sante", "infirmiere", "soins"),
    ("boulanger", "Boulanger / Boulangère", "alimentation", "boulangere|boulangerie", "pain"),
    ("veterinaire", "Vétérinaire", "animaux", "veto", "animaux"),
    ("comedien", "Comédien / Comédienne", "arts", "acteur", "theatre"),
]


@pytest.fixture
def catalogue(settings: Settings) -> Iterator[Settings]:
    with session_scope() as session:
        for insee, nom, postal, dep, population in COMMUNES:
            region = "28" if dep in ("14", "50", "76") else "27"
            session.add(
                Commune(
                    insee=insee,
                    nom=nom,
                    codes_postaux=postal,
                    departement=dep,
                    region=region,
                    epci=f"E{insee}",
                    epci_nom=f"EPCI {nom}",
                    population=population,
                )
            )
        for code, libelle, secteur, synonymes, mots_cles in METIERS:
            session.add(
                Metier(
                    code=code,
                    libelle=libelle,
                    secteur=secteur,
                    synonymes=synonymes,
                    mots_cles=mots_cles,
                )
            )
    catalogue_search.metier_index.cache_clear()
    catalogue_search.commune_index.cache_clear()
    yield settings
    catalogue_search.metier_index.cache_clear()
    catalogue_search.commune_index.cache_clear()


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("vers Caen", "Caen"),
        ("sur rouen", "Rouen"),
        ("à côté de Lisieux", "Lisieux"),
        ("du côté de saint lo", "Saint-Lô"),
        ("dans le coin de Cherbourg", "Cherbourg-en-Cotentin"),
        ("dans la Manche", "Manche"),
        ("en Seine-Maritime", "Seine-Maritime"),
        ("dans le 14", "Calvados"),
        ("c'est pas au Havre, c'est à Caen", "Caen"),
        ("j'ai 14 ans", None),
        ("un mini-stage ça dure combien de jours ?", None),
    ],
)
def test_places_are_read_after_the_usual_prepositions(
    catalogue: Settings, text: str, place: str | None
) -> None:
    found = place_in_text(text, "normandie")
    assert (found.nom if found else None) == place


def test_a_department_stands_for_its_most_populated_commune(catalogue: Settings) -> None:
    found = place_as_answer("la Manche", "normandie")
    assert found is not None
    assert (found.kind, found.insee, found.departement) == ("departement", "50129", "50")


@pytest.mark.parametrize(
    ("text", "kind", "metier", "town"),
    [
        ("je cherche un ambassadeur infirmier pres de Caen", AMBASSADOR, "infirmier", "Caen"),
        ("stage boulangerie vers lisieux", MINISTAGE, "boulangerie", "Lisieux"),
        ("infirmière rouen", None, "infirmière", "Rouen"),
    ],
)
def test_a_search_typed_in_one_message_is_read_with_its_slots(
    catalogue: Settings, text: str, kind: str | None, metier: str, town: str
) -> None:
    read = read_search(text, "normandie")
    assert read.cue
    assert (read.kind, read.metier) == (kind, metier)
    assert read.place is not None
    assert read.place.nom == town


@pytest.mark.parametrize(
    "text",
    [
        "un mini-stage ça dure combien de jours ?",  # "combien" is not "comédien"
        "le stage de 3e est-il obligatoire ?",
        "ils ne sont pas capables de trouver une solution",
    ],
)
def test_questions_about_searches_are_not_searches(catalogue: Settings, text: str) -> None:
    assert not read_search(text, "normandie").cue


async def test_a_search_message_the_nlu_missed_starts_the_form_with_its_slots(
    catalogue: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="nlu_fallback", text="je cherche un ambassadeur infirmier pres de Caen")
    events = await ActionUnderstandFallback().run(dispatcher, t, {})
    assert SlotSet("metier", "infirmier") in events
    assert SlotSet("town", "Caen") in events
    assert SlotSet("town_insee", "14118") in events
    assert events[-1] == FollowupAction("ambassador_form")


async def test_a_bare_metier_and_town_asks_which_search_with_both_prefilled(
    catalogue: Settings,
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionUnderstandFallback().run(dispatcher, tracker(text="infirmière rouen"), {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [
        '/search_ministage{"metier":"infirmière","town":"Rouen"}',
        '/search_ambassador{"metier":"infirmière","town":"Rouen"}',
    ]


async def test_in_a_form_the_answer_is_first_read_as_the_slot_asked(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="faq", text="vétérinaire", slots={"requested_slot": "metier"})
    slots = await ValidateMinistageForm().extract_metier(dispatcher, t, {})
    assert slots == {"metier": "vétérinaire"}
    asked_town = tracker(intent="faq", text="vers Caen", slots={"requested_slot": "town"})
    town = await ValidateAmbassadorForm().extract_town(dispatcher, asked_town, {})
    assert town == {"town": "Caen", "town_insee": "14118"}


async def test_a_real_question_in_a_form_is_left_to_the_faq(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(intent="faq", text="c'est payant ?", slots={"requested_slot": "metier"})
    assert await ValidateMinistageForm().extract_metier(dispatcher, t, {}) == {}


async def test_a_corrected_town_replaces_the_one_given(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        intent="inform",
        text="c'est pas au Havre, c'est à Caen",
        slots={"requested_slot": "school_level", "town": "Le Havre"},
    )
    town = await ValidateMinistageForm().extract_town(dispatcher, t, {})
    assert town == {"town": "Caen", "town_insee": "14118"}


async def test_a_department_is_accepted_as_the_place_of_a_search(catalogue: Settings) -> None:
    dispatcher = CollectingDispatcher()
    slots = await ValidateMinistageForm().validate_town("le 14", dispatcher, tracker(), {})
    assert slots == {"town": "Calvados", "town_insee": "14118"}


async def test_the_town_code_survives_the_whole_form_validation(catalogue: Settings) -> None:
    """rasa-sdk drops extracted slots that are not the form's: town_insee must survive."""
    domain = {
        "forms": {"ministage_form": {"required_slots": ["metier", "town", "school_level"]}},
        "slots": {},
    }
    t = tracker(intent="nlu_fallback", text="vers Caen", slots={"requested_slot": "town"})
    # Rasa appends its own candidate (the from_text mapping) after the user message.
    t.events = [
        {"event": "user", "text": "vers Caen"},
        {"event": "slot", "name": "town", "value": "vers Caen"},
    ]
    events = await ValidateMinistageForm().run(CollectingDispatcher(), t, domain)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["town"] == "Caen"
    assert slots["town_insee"] == "14118"
