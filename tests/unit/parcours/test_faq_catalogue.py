"""The FAQ catalogue is valid, complete, sourced, and in sync with nlu_data/; a region's
catalogue is the shared one with its pack's entries replacing, adding and removing keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from parcours import faq, regions

CAT = faq.catalogue_of("normandie")


def test_catalogue_has_at_least_forty_questions_with_fifteen_examples_each() -> None:
    assert len(CAT.entries) >= 40
    assert all(len(e.examples) >= 15 for e in CAT.entries)


def test_every_pack_passes_the_check() -> None:
    from parcours.faq_check import check_packs

    assert check_packs() == []


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


def _entry(key: str, answer: str, examples: str, **extra: object) -> dict[str, object]:
    return {
        "key": key,
        "title": key,
        "sources": ["002"],
        "answer": answer,
        "answer_vous": answer,
        "examples": [f"{examples} {i}" for i in range(15)],
        **extra,
    }


def _write(folder: Path, entries: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "x.yml").write_text(yaml.safe_dump({"entries": entries}), encoding="utf-8")


def test_a_pack_replaces_adds_and_removes_keys(tmp_path: Path) -> None:
    shared, packs = tmp_path / "faq", tmp_path / "regions"
    _write(shared, [_entry("a", "shared a", "qa"), _entry("b", "shared b", "qb")])
    _write(packs / "r1" / "faq", [_entry("a", "r1 a", "autre qa"), _entry("c", "r1 c", "qc")])
    (packs / "r1" / "region.yml").write_text("code: r1\n", encoding="utf-8")
    (packs / "r1" / "faq_remove.yml").write_text("remove: [b]\n", encoding="utf-8")
    (packs / "r2" / "faq").mkdir(parents=True)
    (packs / "r2" / "region.yml").write_text("code: r2\n", encoding="utf-8")
    one = faq.region_catalogue("r1", shared, packs).by_key()
    assert {k: e.answer for k, e in one.items()} == {"a": "r1 a", "c": "r1 c"}
    two = faq.region_catalogue("r2", shared, packs).by_key()
    assert {k: e.answer for k, e in two.items()} == {"a": "shared a", "b": "shared b"}
    union = faq.union_catalogue(shared, packs).by_key()
    assert sorted(union) == ["a", "b", "c"]
    assert len(union["a"].examples) == 30  # the examples of both versions of `a`


def test_removing_an_unknown_key_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "faq", [_entry("a", "shared a", "qa")])
    (tmp_path / "regions" / "r1").mkdir(parents=True)
    (tmp_path / "regions" / "r1" / "faq_remove.yml").write_text("remove: [zz]\n")
    with pytest.raises(ValueError, match="unknown key 'zz'"):
        faq.region_catalogue("r1", tmp_path / "faq", tmp_path / "regions")


def test_placeholders_and_links_are_filled_from_the_region() -> None:
    entry = faq.FaqEntry.model_validate(
        _entry(
            "x",
            "Un conseiller {of_org} : appelle {pm_number}.",
            "q",
            buttons=[{"title": "Site {of_org}", "url": "{link_site}"}],
        )
    )
    normandy = regions.region("normandie")
    assert faq.render_answer(entry, vous=False, code="normandie") == (
        f"Un conseiller de l'Agence : appelle {normandy.number_phrase()}."
    )
    assert faq.render_buttons(entry, "normandie") == [
        {"title": "Site de l'Agence", "url": normandy.links["site"]}
    ]
    assert "de la Région Grand Est" in faq.render_answer(entry, vous=False, code="grand-est")
    assert faq.render_buttons(entry, "grand-est") == []  # no link in that pack: no button


def test_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown placeholder"):
        faq.FaqEntry.model_validate(_entry("x", "Appelle {agence_tel}.", "q"))


def test_a_region_lacking_an_optional_placeholder_fails_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parcours import faq_check

    bad = faq.Catalogue.model_validate({"entries": [_entry("x", "Va sur {ministages}.", "q")]})
    monkeypatch.setattr(faq, "region_catalogue", lambda code: bad)
    assert faq_check.region_problems("grand-est") == [
        "grand-est/x: {ministages} is not defined by the region"
    ]
