"""The domain's button payloads reach the user as the front end accepts them, and Rasa logs
no ERROR while it renders them.

Rasa's response interpolator reads `{…}` as a slot placeholder, so payloads with entities
double their braces in the domain (see the note in domain/core.yml). The real interpolator
is run here, in .venv-rasa's Python (rasa cannot be imported in the project's venv).
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
import yaml

from actions.understanding import say
from parcours.intents import BUTTON_INTENTS
from tests.unit.responses import ROOT, buttons, responses

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
#: Runs Rasa's interpolator on the buttons read from stdin, as Rasa's NLG does for a response.
_INTERPOLATE = """
import json, sys
from rasa.core.nlg.interpolator import interpolate
buttons = json.load(sys.stdin)
print(json.dumps(interpolate(buttons, {"register": "tu", "role": None})))
"""


def _domain_buttons() -> list[dict[str, Any]]:
    return [
        button
        for variants in responses().values()
        for variant in variants
        for button in variant.get("buttons") or []
        if "payload" in button
    ]


def _entities() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        found.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("entities") or [])
    return found


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    """The domain's buttons as Rasa's NLG gives them (asserting that it logs no error)."""
    if not RASA_PYTHON.exists():
        pytest.skip("no .venv-rasa: run `make setup`")
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", _INTERPOLATE],
        input=json.dumps(_domain_buttons()),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    logged = done.stdout.splitlines()[:-1] + done.stderr.splitlines()
    assert not [line for line in logged if "error" in line.lower()], "\n".join(logged)
    buttons: list[dict[str, Any]] = json.loads(done.stdout.splitlines()[-1])
    return buttons


def test_some_domain_payloads_carry_entities() -> None:
    assert sum("{{" in b["payload"] for b in _domain_buttons()) >= 20


def _read(payload: str) -> tuple[str, dict[str, Any]]:
    """(intent, entities) of a payload `/intent` or `/intent{"entity":"value"}`."""
    assert payload.startswith("/"), payload
    intent, brace, rest = payload[1:].partition("{")
    entities = json.loads(brace + rest) if brace else {}
    assert isinstance(entities, dict), payload
    return intent, entities


def test_rasa_renders_every_domain_payload_without_an_error_as_the_payload_meant(
    rendered: list[dict[str, Any]],
) -> None:
    assert len(rendered) == len(_domain_buttons())
    read = [_read(b["payload"]) for b in rendered]
    assert {intent for intent, _ in read} - BUTTON_INTENTS == set()
    named = {name for _, entities in read for name in entities}
    assert named
    assert named <= _entities()
    assert all(isinstance(v, str) for _, entities in read for v in entities.values())


def test_say_gives_a_variant_s_own_buttons_as_rasa_does() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    domain = {
        "responses": {
            "utter_x": [
                {
                    "text": "Choisis :",
                    "buttons": [{"title": "Lycée", "payload": '/inform{{"a":"b"}}'}],
                }
            ]
        }
    }
    dispatcher = CollectingDispatcher()
    say(dispatcher, domain, "utter_x", vous=False)
    assert dispatcher.messages[0]["buttons"] == [{"title": "Lycée", "payload": '/inform{"a":"b"}'}]


def test_the_unit_tests_see_domain_buttons_as_rasa_gives_them() -> None:
    shown = buttons({"response": "utter_ask_school_level"})
    assert shown[0]["payload"] == '/inform{"school_level":"college"}'
