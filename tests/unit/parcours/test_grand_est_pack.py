"""The Grand Est pack (knowledge/regions/grand-est/): FAQ written from the Orient'Est charter,
every shared key decided, no Normandy fact, and fictional demo data in real Grand Est communes.

The loader that overlays a pack on the shared catalogue belongs to the region-pack mechanism;
these tests check the pack's content on its own, with the same entry schema.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import cache

import pytest
import yaml

from parcours import KNOWLEDGE_DIR, PROJECT_ROOT
from parcours.faq import FaqEntry, load_catalogue
from tests.unit.test_registers import TU_FORM

PACK = KNOWLEDGE_DIR / "regions" / "grand-est"
NOTES = PROJECT_ROOT / "docs" / "NOTES-grand-est.md"
GRAND_EST = {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}
#: Shared keys Grand Est keeps as they are (true everywhere, no region in them).
KEPT = {"donnees_personnelles"}
#: Words that would bring a Normandy fact into a Grand Est answer.
NORMANDY_WORDS = re.compile(
    r"normandie|normand|rouen|caen|h[ée]rouville|cideme|atrium|parcours m[ée]tier|"
    r"fabrique des comp[ée]tences|atouts|emploi'normandie|ardir",
    re.IGNORECASE,
)
#: Keys answering a question about a Normandy tool by name: they may name it, to say that it
#: is not a Grand Est one.
ASKED_BY_NAME = {"destination_metier": "Destination Métier", "cleor": "Cléor"}


@cache
def pack() -> dict[str, FaqEntry]:
    entries: dict[str, FaqEntry] = {}
    for path in sorted((PACK / "faq").glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            entry = FaqEntry.model_validate(raw)
            assert entry.key not in entries, f"{entry.key} twice in the pack"
            entries[entry.key] = entry
    return entries


def removed() -> list[str]:
    data = yaml.safe_load((PACK / "faq_remove.yml").read_text(encoding="utf-8"))
    return list(data["remove"])


def test_every_shared_key_is_replaced_removed_or_kept_on_purpose() -> None:
    shared = {e.key for e in load_catalogue().entries}
    replaced = shared & set(pack())
    assert set(removed()) <= shared
    assert not set(removed()) & set(pack())
    assert shared - replaced - set(removed()) == KEPT


def test_the_pack_adds_what_the_charter_says() -> None:
    added = set(pack()) - {e.key for e in load_catalogue().entries}
    assert {"ambassadeur_zone", "ambassadeur_engagements", "orient_est_charte"} <= added


def test_every_key_is_in_the_decision_table_of_the_notes() -> None:
    notes = NOTES.read_text(encoding="utf-8")
    for key in {e.key for e in load_catalogue().entries} | set(pack()):
        assert f"`{key}`" in notes, key


def test_answers_cite_the_charter_or_admit_they_have_no_source() -> None:
    for entry in pack().values():
        assert entry.sources, entry.key
        if entry.sources == ["none"]:
            assert "pas d'information fiable" in entry.answer, entry.key


def test_no_placeholder_no_normandy_fact_and_no_url() -> None:
    """Grand Est has no phone line in its sources: no {pm_number}; and no Normandy link."""
    for entry in pack().values():
        for text in (entry.answer, entry.answer_vous):
            assert "{" not in text, entry.key
            assert "http" not in text, entry.key
            found = NORMANDY_WORDS.search(text)
            assert found is None, (entry.key, found and found.group())
            if entry.key not in ASKED_BY_NAME:
                assert "Destination Métier" not in text, entry.key
                assert "Cléor" not in text, entry.key
        assert all(b.url is None for b in entry.buttons), entry.key


def test_the_national_dropout_number_is_never_said_to_reach_a_regional_line() -> None:
    for entry in pack().values():
        if "0 800 122 500" in entry.answer:
            assert "numéro vert national" in entry.answer, entry.key
            assert "réorient" not in entry.answer, entry.key
            assert "relié" not in entry.answer, entry.key


def test_both_registers() -> None:
    for entry in pack().values():
        assert TU_FORM.search(entry.answer_vous) is None, entry.key


def test_examples_speak_of_grand_est_and_never_clash_with_another_shared_key() -> None:
    owner = {x.lower(): e.key for e in load_catalogue().entries for x in e.examples}
    seen: dict[str, str] = {}
    places = re.compile(
        r"orient|grand.?est|metz|reims|nancy|strasbourg|mulhouse|colmar|troyes|alsace|lorraine"
        r"|champagne|moselle|vosges|ardennes|charleville|epinal|[ée]pinal|thionville",
        re.IGNORECASE,
    )
    regional = 0
    for entry in pack().values():
        for example in entry.examples:
            folded = example.lower()
            assert owner.get(folded, entry.key) == entry.key, (entry.key, example)
            assert seen.setdefault(folded, entry.key) == entry.key, (entry.key, example)
            regional += bool(places.search(example))
    assert regional / len(seen) > 0.6


@cache
def rows(kind: str) -> list[dict[str, str]]:
    with (PACK / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def departments() -> dict[str, str]:
    with (KNOWLEDGE_DIR / "communes.csv").open(encoding="utf-8", newline="") as handle:
        return {r["insee"]: r["departement"] for r in csv.DictReader(handle)}


@pytest.mark.parametrize("kind", ["ambassadors", "structures", "companies", "ministages"])
def test_demo_rows_are_in_real_grand_est_communes_of_all_ten_departments(kind: str) -> None:
    found = Counter(departments()[r["commune"]] for r in rows(kind))
    assert set(found) == GRAND_EST
    assert all(r["demo"] == "oui" for r in rows(kind))


def test_demo_names_are_labelled_and_structures_have_no_invented_phone() -> None:
    assert all(r["display_name"].endswith("(démo)") for r in rows("ambassadors"))
    assert all(r["name"].endswith("(démo)") for r in rows("companies") + rows("structures"))
    assert all(not r["phone"] and not r["website"] for r in rows("structures"))
    assert all(not r["charter_signed_on"] for r in rows("companies"))  # no such charter here


def test_one_coordinator_per_department_and_a_backup() -> None:
    covered = Counter(d for r in rows("coordinators") for d in r["departements"].split())
    assert covered == Counter(GRAND_EST)
    assert [r["backup"] for r in rows("coordinators")].count("oui") == 1


def test_demo_zones_are_the_charter_types_that_need_no_unshipped_map() -> None:
    zones = Counter(r["zone_type"] for r in rows("ambassadors"))
    assert set(zones) == {"region", "departement", "commune"}
    assert not (PACK / "zones_emploi.csv").exists()  # official INSEE map: not shipped
    for r in rows("ambassadors"):
        where = departments()[r["commune"]]
        expected = {"region": "44", "departement": where, "commune": r["commune"]}
        assert r["zone_code"] == expected[r["zone_type"]], r["key"]


EVAL = PROJECT_ROOT / "eval" / "real_questions_grand_est.jsonl"
ORIGINAL_EVAL = PROJECT_ROOT / "eval" / "real_questions.jsonl"
FLOWS = {"flow:ministage", "flow:ambassador", "flow:where", "handoff", "unknown"}


def test_grand_est_questions_are_labelled_with_keys_that_exist_in_grand_est() -> None:
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    original = {
        json.loads(line)["id"] for line in ORIGINAL_EVAL.read_text(encoding="utf-8").splitlines()
    }
    grand_est_keys = (set(pack()) | KEPT) - set(removed())
    assert 40 <= len(rows) <= 80
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"dev", "heldout"}
    for row in rows:
        assert 3 <= len(row["text"]) <= 300, row["id"]
        assert row["source"].startswith(("https://", "http://")), row["id"]
        assert len(row["excerpt"]) <= 200, row["id"]
        for label in row["accept"]:
            assert label in FLOWS or label.removeprefix("faq:") in grand_est_keys, (
                row["id"],
                label,
            )
        if "from" in row:  # a real question minimally adapted: says what changed
            assert row["from"] in original, row["id"]
            assert row["adapted"], row["id"]
