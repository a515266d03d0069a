"""The FAQ catalogue is valid, complete, sourced, and in sync with nlu_data/."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from parcours import faq

CAT = faq.load_catalogue()


def test_catalogue_has_at_least_forty_questions_with_fifteen_examples_each() -> None:
    assert len(CAT.entries) >= 40
    assert all(len(e.examples) >= 15 for e in CAT.entries)


def test_generated_rasa_files_are_in_sync_with_the_catalogue() -> None:
    assert faq.out_of_sync() == [], "run `make faq` and commit nlu_data/"


def test_every_key_has_a_tu_and_a_vous_answer_in_the_generated_responses() -> None:
    responses = faq.RESPONSES_OUT.read_text(encoding="utf-8")
    for entry in CAT.entries:
        assert f"utter_faq/{entry.key}:" in responses


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        ("decrochage_numero", "0 800 122 500"),
        ("ambassadeur_delai", "10 jours"),
        ("ministage_quoi", "3 à 5 jours"),
        ("ministage_convention_vacances", "consulaire"),
        ("visite_entreprise_moins_16", "accompagn"),
        ("cleor", "https://normandie.cleor.org"),
        ("conseil_visio", "visio"),
        ("parcours_metier_numero", "{pm_number}"),
    ],
)
def test_answers_cite_the_sourced_fact(key: str, needle: str) -> None:
    entry = CAT.by_key()[key]
    text = entry.answer + " " + " ".join(b.url or "" for b in entry.buttons)
    assert needle in text
    assert needle.split()[0] in entry.answer_vous + " ".join(b.url or "" for b in entry.buttons)


def test_dated_figures_are_given_with_their_year() -> None:
    for entry in CAT.entries:
        for answer in (entry.answer, entry.answer_vous):
            if re.search(r"\b130 ambassadeurs|\b800 ?/ ?900|\bonze\b|\b11 coordonn", answer):
                assert "2021" in answer or "2020" in answer, entry.key


def test_no_answer_uses_the_old_name_pole_emploi_as_current() -> None:
    for entry in CAT.entries:
        for answer in (entry.answer, entry.answer_vous):
            if "Pôle emploi" in answer:
                assert "France Travail" in answer, entry.key


def test_questions_without_source_admit_it_and_give_a_way_forward() -> None:
    for key in ("parcoursup", "cpf", "logement_etudiant", "permis_conduire"):
        entry = CAT.by_key()[key]
        assert "{pm_number}" in entry.answer or any(
            b.payload == "/ask_human" for b in entry.buttons
        )


def test_an_invented_phone_number_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unsourced phone number"):
        faq.FaqEntry(
            key="x",
            title="x",
            sources=[],
            answer="Appelle le 02 31 00 00 00.",
            answer_vous="Appelez.",
            examples=[f"question {i}" for i in range(15)],
        )


def test_rasa_markup_in_examples_is_rejected() -> None:
    with pytest.raises(ValidationError, match="markup"):
        faq.FaqEntry(
            key="x",
            title="x",
            sources=[],
            answer="a",
            answer_vous="b",
            examples=["[lien](url)"] + [f"question {i}" for i in range(15)],
        )


def test_an_example_shared_by_two_keys_is_rejected() -> None:
    base = {"title": "t", "sources": [], "answer": "a", "answer_vous": "b"}
    examples = [f"question {i}" for i in range(15)]
    with pytest.raises(ValidationError, match="is in both"):
        faq.Catalogue.model_validate(
            {
                "entries": [
                    {"key": "a", **base, "examples": examples},
                    {"key": "b", **base, "examples": examples},
                ]
            }
        )
