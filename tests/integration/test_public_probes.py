"""The public behaviour probes of ../shared/eval, run exactly as outside evaluations do, on the
Normandy stack (the Grand Est probes: tests/integration/test_grand_est.py)."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import pytest

from parcours.faq_check import leaks
from tests.integration.conftest import ROOT, Replay, new_user

pytestmark = pytest.mark.rasa
PROBES = ROOT.parent / "shared" / "eval" / "public_probes.jsonl"


def _fold(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _probes() -> list[dict[str, Any]]:
    if not PROBES.exists():
        return []
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.skipif(not PROBES.exists(), reason=f"{PROBES} not found: public probes SKIPPED")
@pytest.mark.parametrize("probe", _probes(), ids=lambda p: p["id"])
def test_public_probe(replay: Replay, probe: dict[str, Any]) -> None:
    out = replay.say(new_user(), probe["text"])
    text = _fold("\n".join(r["text"] for r in out["replies"]))
    buttons = [b for r in out["replies"] for b in r.get("buttons", [])]
    if "any" in probe:
        assert any(re.search(p, text) for p in probe["any"]), text
    for pattern in probe.get("none", []):
        assert not re.search(pattern, text), text
    if probe.get("nonempty"):
        assert text.strip()
    if "buttons_min" in probe:
        assert len(buttons) >= probe["buttons_min"]
    if "handoff_any" in probe:
        assert out["handoff"] in probe["handoff_any"]
    # Normandy's answers never name Grand Est (tests/integration/test_grand_est.py: the converse).
    assert leaks("\n".join(r["text"] for r in out["replies"]), "normandie") == []
