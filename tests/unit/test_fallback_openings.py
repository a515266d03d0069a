"""The front end recognises a "not understood" reply by its opening (bot/observability.py
counts them): its openings are those of the domain's fallback responses, in both registers."""

from __future__ import annotations

from bot.observability import FALLBACK_OPENINGS
from tests.unit.responses import responses

#: The responses that say the message was not understood (first miss, second miss, and
#: Rasa's default action).
FALLBACK_RESPONSES = ("utter_ask_rephrase", "utter_fallback_handoff", "utter_default")


def _texts(name: str) -> list[str]:
    return [str(v.get("text") or "") for v in responses()[name]]


def test_every_variant_of_a_fallback_response_starts_with_a_known_opening() -> None:
    texts = [t for name in FALLBACK_RESPONSES for t in _texts(name)]
    assert len(texts) >= 6
    assert [t for t in texts if not t.startswith(FALLBACK_OPENINGS)] == []


def test_every_opening_is_that_of_a_fallback_response() -> None:
    texts = [t for name in FALLBACK_RESPONSES for t in _texts(name)]
    assert [o for o in FALLBACK_OPENINGS if not any(t.startswith(o) for t in texts)] == []


def test_no_other_response_starts_with_a_fallback_opening() -> None:
    others = [
        name
        for name in responses()
        if name not in FALLBACK_RESPONSES
        and any(t.startswith(FALLBACK_OPENINGS) for t in _texts(name))
    ]
    assert others == []
