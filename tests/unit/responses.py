"""The domain's responses for unit tests: load them, and render an action's message as Rasa
would (variant chosen by slot conditions, `{placeholders}` filled from slots and kwargs)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.common import IDENTITY_SLOTS
from parcours import regions

ROOT = Path(__file__).resolve().parents[2]
RESPONSE_FILES = (*sorted((ROOT / "domain").glob("*.yml")), ROOT / "nlu_data/responses/faq.yml")
Variant = dict[str, Any]

#: Keys of `CollectingDispatcher.utter_message` messages that are not template values.
_MESSAGE_KEYS = {
    "text",
    "buttons",
    "elements",
    "custom",
    "template",
    "response",
    "image",
    "attachment",
}
_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


@cache
def responses() -> dict[str, list[Variant]]:
    """Every response of the domain files and the generated FAQ answers, by name."""
    found: dict[str, list[Variant]] = {}
    for path in RESPONSE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update(data.get("responses") or {})
    return found


def matches(variant: Variant, slots: dict[str, Any]) -> bool:
    """True when every slot condition of `variant` holds (a variant without any always does)."""
    return all(slots.get(c["name"]) == c["value"] for c in variant.get("condition") or [])


def variant_for(name: str, slots: dict[str, Any]) -> Variant:
    """The variant Rasa picks: a conditional one that matches, else the default one."""
    variants = responses()[name]
    conditional = [v for v in variants if v.get("condition") and matches(v, slots)]
    return (conditional or [v for v in variants if not v.get("condition")])[0]


def session_slots() -> dict[str, str]:
    """The region's identity slots, which action_session_start sets in every conversation."""
    identity = regions.current().placeholders()
    return {name: identity[name] for name in IDENTITY_SLOTS}


def render(message: dict[str, Any], **slots: Any) -> str:
    """The text the user sees for one dispatcher message, with these slot values.

    A plain text message is returned as is; a `response=` message is rendered from the
    domain, and every placeholder must be filled (a missing value fails the test).
    """
    name = message.get("response")
    if not name:
        return str(message.get("text") or "")
    slots.setdefault("register", "tu")
    values = {
        **session_slots(),
        **slots,
        **{k: v for k, v in message.items() if k not in _MESSAGE_KEYS},
    }
    template = str(variant_for(name, slots).get("text") or "")
    missing = [p for p in _PLACEHOLDER.findall(template) if p not in values]
    assert not missing, f"{name}: nothing fills {missing}"
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def buttons(message: dict[str, Any], **slots: Any) -> list[dict[str, str]]:
    """The buttons shown: the variant's, then those the action added (as Rasa merges them;
    a domain payload's doubled braces come out single, see the note in domain/core.yml)."""
    name = message.get("response")
    slots.setdefault("register", "tu")
    variant = variant_for(name, slots) if name else {}
    own = [{**b, "payload": str(b["payload"]).format()} for b in variant.get("buttons") or []]
    return [*own, *(message.get("buttons") or [])]
