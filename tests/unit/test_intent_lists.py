"""Lists written both in code and in the domain agree with their one source (parcours.intents),
every intent, slot and entity the code names exists in the domain, and the values the
domain's buttons offer (roles, age bands, situations, levels, formats) are the code's.

The domain cannot import Python: its copies (the `not_intent` lists of the forms' free-text
slot mappings) are checked here instead of generated.
"""

from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.fallback import _WAY_OUT, INTENT_LABELS
from parcours.importers.specs import FORMATS, LEVELS
from parcours.intents import (
    BUTTON_INTENTS,
    BUTTON_ONLY_INTENTS,
    FORM_INTERRUPTIONS,
    NOT_INTENT_BY_FORM,
    REQUEST_INTERRUPTIONS,
)
from parcours.models.user import AGE_BANDS, ROLES
from parcours.services.where_to_go import SITUATIONS
from tests.unit.responses import ROOT, responses

#: Slots Rasa defines by itself.
RASA_SLOTS = {"requested_slot"}


@cache
def domain() -> dict[str, Any]:
    """The split domain merged: intents, entities, slots and forms of every file."""
    merged: dict[str, Any] = {"intents": set(), "entities": set(), "slots": {}, "forms": {}}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["intents"].update(data.get("intents") or [])
        merged["entities"].update(data.get("entities") or [])
        merged["slots"].update(data.get("slots") or {})
        merged["forms"].update(data.get("forms") or {})
    return merged


def _text_mappings() -> list[tuple[str, dict[str, Any]]]:
    """(slot, mapping) of every free-text slot mapping of the domain."""
    return [
        (slot, mapping)
        for slot, spec in domain()["slots"].items()
        for mapping in spec.get("mappings") or []
        if mapping.get("type") == "from_text"
    ]


def test_every_free_text_mapping_lists_its_form_s_interruptions() -> None:
    checked = 0
    for slot, mapping in _text_mappings():
        forms = {c["active_loop"] for c in mapping.get("conditions") or []}
        assert forms, f"{slot}: a free-text mapping outside a form"
        for form in forms:
            assert mapping.get("not_intent") == list(NOT_INTENT_BY_FORM[form]), (slot, form)
            checked += 1
    assert checked >= 8


def test_the_canonical_lists_name_domain_intents_and_forms() -> None:
    intents = domain()["intents"]
    assert set(FORM_INTERRUPTIONS) <= intents
    assert set(REQUEST_INTERRUPTIONS) <= intents
    assert set(NOT_INTENT_BY_FORM) == set(domain()["forms"])
    assert set(REQUEST_INTERRUPTIONS) < set(FORM_INTERRUPTIONS)


def test_button_intents_are_domain_intents() -> None:
    assert BUTTON_ONLY_INTENTS < BUTTON_INTENTS
    assert domain()["intents"] >= BUTTON_INTENTS


def _nlu_intents() -> set[str]:
    found = set()
    for path in (ROOT / "nlu_data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in block:
                found.add(str(block["intent"]).split("/")[0])
    return found


def test_button_only_intents_are_exactly_the_button_intents_without_nlu_examples() -> None:
    """scripts/validate.sh accepts Rasa's "no NLU example" warning for these, and only these."""
    assert "ask_human" in _nlu_intents()
    assert BUTTON_INTENTS - _nlu_intents() == BUTTON_ONLY_INTENTS


def test_intents_the_fallback_offers_as_buttons_are_button_intents() -> None:
    assert set(INTENT_LABELS) <= BUTTON_INTENTS
    assert {p.removeprefix("/") for p in _WAY_OUT} <= BUTTON_INTENTS


# --- names used by the code ----------------------------------------------------------------


def _constant_args(function: str, position: int, *paths: Path) -> set[str]:
    """Constant string arguments at `position` of the calls to `function` (a name or an
    attribute) in these files."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) <= position:
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else None
            called = node.func.id if isinstance(node.func, ast.Name) else called
            arg = node.args[position]
            if called == function and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


ACTIONS = sorted((ROOT / "actions").glob("*.py"))


def test_slots_the_actions_read_and_set_are_domain_slots() -> None:
    used = _constant_args("get_slot", 0, *ACTIONS) | _constant_args("SlotSet", 0, *ACTIONS)
    assert {"register", "town_insee"} <= used
    assert used - RASA_SLOTS - set(domain()["slots"]) == set()


def test_entities_the_actions_read_are_domain_entities() -> None:
    used = _constant_args("latest_entity", 1, *ACTIONS)
    assert {"request_id", "target"} <= used
    assert used - domain()["entities"] == set()


def test_payloads_built_in_code_carry_button_intents() -> None:
    sources = [*ACTIONS, *(ROOT / "bot").glob("*.py")]
    built = _constant_args("payload", 0, *sources) | _constant_args("button_payload", 0, *sources)
    assert {"choose_target", "set_role"} <= built
    assert built - BUTTON_INTENTS == set()


# --- values offered by the domain's buttons -------------------------------------------------


def _button_values() -> dict[str, set[str]]:
    """Entity → the values the domain's buttons carry (their payloads as Rasa gives them)."""
    found: dict[str, set[str]] = {}
    for variants in responses().values():
        for variant in variants:
            for button in variant.get("buttons") or []:
                text = str(button.get("payload", "")).format()
                if "{" in text:
                    for name, value in json.loads(text[text.index("{") :]).items():
                        found.setdefault(name, set()).add(value)
    return found


def test_the_domain_offers_the_values_the_code_knows() -> None:
    values = _button_values()
    assert values["role"] == set(ROLES) == set(domain()["slots"]["role"]["values"])
    assert values["age_band"] == set(AGE_BANDS) == set(domain()["slots"]["age_band"]["values"])
    assert values["situation"] == set(SITUATIONS)
    assert values["school_level"] == set(LEVELS)
    assert values["meeting_format"] <= set(FORMATS)
