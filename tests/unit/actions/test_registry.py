"""Actions registered by rasa-sdk match the custom actions the domain lists."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[3]
#: Built-in Rasa actions we override, and built-ins that stay in Rasa.
RASA_BUILTINS = {"action_session_start"}


def domain_actions() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        names.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("actions", []) or [])
    return names


def test_every_domain_action_is_implemented_and_no_helper_is_registered() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == domain_actions()
    assert set(executor.actions) >= RASA_BUILTINS


def test_session_config_is_defined_only_in_core() -> None:
    owners = [
        p.name
        for p in (ROOT / "domain").glob("*.yml")
        if "session_config" in yaml.safe_load(p.read_text(encoding="utf-8"))
    ]
    assert owners == ["core.yml"]
