"""The assistant deployed for Grand Est (REGION=grand-est) through the real stack: the same
model as Normandy's, the Grand Est pack's answers and demo data. Every reply is checked for
Normandy facts (names, links, the free line, demo places and coordinators)."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from functools import cache
from typing import Any

import pytest

from parcours import regions
from parcours.faq_check import leaks
from tests.integration.conftest import ROOT, Replay, buttons_of, new_user, texts_of

pytestmark = pytest.mark.rasa
PROBES = ROOT / "tests" / "integration" / "probes_grand_est.jsonl"


def _fold(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def normandy_facts() -> tuple[str, ...]:
    """What only Normandy says: its links, its free line and its demo places' and
    coordinators' names."""
    pack = regions.region("normandie")
    facts = {*pack.links.values(), pack.phone.name}
    for kind in ("structures", "coordinators"):
        with (pack.folder / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
            facts |= {row["name"] for row in csv.DictReader(handle)}
    return tuple(sorted(facts))


def assert_grand_est_only(out: dict[str, Any]) -> None:
    """No Normandy word or fact in any reply text, button or venue of one turn."""
    said = [texts_of(out)]
    said += [f"{b.get('title', '')} {b.get('url', '')}" for b in buttons_of(out)]
    venues = [r["location"] for r in out["replies"] if "location" in r]
    said += [json.dumps(venue, ensure_ascii=False) for venue in venues]
    text = "\n".join(said)
    assert leaks(text, "grand-est") == [], text
    assert [fact for fact in normandy_facts() if fact in text] == [], text


def _probes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("probe", _probes(), ids=lambda p: p["id"])
def test_grand_est_probe(grand_est_replay: Replay, probe: dict[str, Any]) -> None:
    out = grand_est_replay.say(new_user(), probe["text"])
    text = _fold(texts_of(out))
    if "any" in probe:
        assert any(re.search(p, text) for p in probe["any"]), text
    for pattern in probe.get("none", []):
        assert not re.search(pattern, text), text
    if probe.get("nonempty"):
        assert text.strip()
    if "buttons_min" in probe:
        assert len(buttons_of(out)) >= probe["buttons_min"]
    if "handoff_any" in probe:
        assert out["handoff"] in probe["handoff_any"]
    assert_grand_est_only(out)


def _until_places(replay: Replay, user: str, out: dict[str, Any], town: str) -> dict[str, Any]:
    """Answer the where-to-go questions (situation, age) until places near `town` come."""
    for _ in range(3):
        if f"Près de {town}" in texts_of(out) or f"près de {town}" in texts_of(out):
            return out
        payloads = [b["payload"] for b in buttons_of(out)]
        choice = next((p for p in payloads if '"scolaire"' in p or '"15_17"' in p), "")
        out = replay.press(user, choice) if choice else replay.say(user, "j'ai 16 ans")
        assert_grand_est_only(out)
    return out


@pytest.mark.parametrize("town", ["Metz", "Reims"])
def test_where_to_go_in_a_grand_est_town_names_its_places(
    grand_est_replay: Replay, town: str
) -> None:
    user = new_user()
    out = grand_est_replay.say(user, f"j'habite à {town}, où aller pour m'orienter")
    assert_grand_est_only(out)
    out = _until_places(grand_est_replay, user, out, town)
    text = texts_of(out)
    assert f"rès de {town}" in text, text
    venue = next(r for r in out["replies"] if "location" in r)
    assert "(démo)" in venue["text"]
    assert "Région Grand Est (Orient'Est)" in text  # the free line of the pack, no digits


def _until_results(replay: Replay, user: str, out: dict[str, Any]) -> dict[str, Any]:
    """Answer the search form's questions (how to meet, class) until people are listed."""
    for _ in range(3):
        assert_grand_est_only(out)
        if any("choose_target" in b.get("payload", "") for b in buttons_of(out)):
            break
        question = texts_of(out).lower()
        out = replay.say(user, "sur place" if "comment" in question else "3e")
    return out


def test_an_ambassador_search_in_grand_est_lists_grand_est_people(
    grand_est_replay: Replay,
) -> None:
    user = new_user()
    out = grand_est_replay.say(user, "je cherche un ambassadeur boulanger près de Nancy")
    out = _until_results(grand_est_replay, user, out)
    people = [b for b in buttons_of(out) if "choose_target" in b.get("payload", "")]
    assert people, texts_of(out)
    assert all("(démo)" in b["title"] for b in people)


def test_an_ambassador_by_bassin_d_emploi_gets_an_honest_note(grand_est_replay: Replay) -> None:
    user = new_user()
    out = grand_est_replay.say(user, "un ambassadeur infirmier dans le bassin d'emploi de Metz")
    out = _until_results(grand_est_replay, user, out)
    # No zones d'emploi map is shipped: the answer says how it searches instead.
    assert "je ne peux donc pas chercher par bassin" in texts_of(out), texts_of(out)
    assert "qui interviennent à Metz" in texts_of(out)
    assert any("choose_target" in b.get("payload", "") for b in buttons_of(out))


def test_the_agency_and_the_greeting_are_the_regions(grand_est_replay: Replay) -> None:
    user = new_user()
    out = grand_est_replay.say(user, "bonjour")
    assert "Je suis l'assistant Orient'Est de la Région Grand Est" in texts_of(out)
    out = grand_est_replay.say(user, "je veux parler à quelqu'un")
    assert_grand_est_only(out)
    assert "de la Région Grand Est" in texts_of(out), texts_of(out)
