"""Region packs: REGION is checked against them, their identity fills every region-dependent
text, and no region's facts (names, links, demo places, coordinators) leak into another's."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from bot import staff_texts, terminal, texts
from parcours import KNOWLEDGE_DIR, PROJECT_ROOT, faq, regions
from parcours.cli.knowledge import REGION_FILES, shipped_files
from parcours.faq_check import leaks
from parcours.services import notifications
from parcours.settings import Settings

CODES = regions.available()
DEMO_NAME_COLUMNS = {"structures": "name", "coordinators": "name", "companies": "name"}


def test_the_two_shipped_regions_are_packs() -> None:
    assert {"normandie", "grand-est"} <= set(CODES)
    assert regions.insee_codes()["normandie"] == "28"
    assert regions.insee_codes()["grand-est"] == "44"


def test_region_is_checked_against_the_packs() -> None:
    assert Settings(region="grand-est").region == "grand-est"
    with pytest.raises(ValidationError, match="has no pack"):
        Settings(region="bretagne")


def test_a_region_other_than_the_default_has_its_own_databases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The defaults, not what the environment sets (scripts/env.sh exports DATABASE_URL).
    for name in ("DATABASE_URL", "RASA_TRACKER_DB", "REGION"):
        monkeypatch.delenv(name, raising=False)
    default = Settings(_env_file=None)  # type: ignore[call-arg]
    other = Settings(_env_file=None, region="grand-est")  # type: ignore[call-arg]
    assert other.database_url.endswith("app-grand-est.db")
    assert other.rasa_tracker_db.endswith("rasa_tracker-grand-est.db")
    assert other.database_url != default.database_url
    assert Settings(region="grand-est", database_url="sqlite://").database_url == "sqlite://"


def test_the_free_number_is_the_setting_the_pack_names(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = regions.region("grand-est")
    monkeypatch.setenv(pack.phone.setting, "")
    assert pack.number_phrase() == pack.phone.name
    assert not re.search(r"\d", pack.number_phrase())
    monkeypatch.setenv(pack.phone.setting, "03 00 00 00 00")
    assert pack.number_phrase() == f"{pack.phone.name} (03 00 00 00 00)"
    # Another region's setting is never read.
    normandy = regions.region("normandie")
    monkeypatch.setenv(normandy.phone.setting, "0 800 05 00 00")
    assert "0 800 05 00 00" not in pack.number_phrase()


def test_a_pack_is_validated(tmp_path: Any) -> None:
    (tmp_path / "x").mkdir()
    data = yaml.safe_load((regions.REGIONS_DIR / "grand-est" / "region.yml").read_text())
    data["links"] = {"site": "http://example.org"}
    (tmp_path / "x" / "region.yml").write_text(yaml.safe_dump({**data, "code": "x"}))
    with pytest.raises(ValidationError, match="https"):
        regions.load_region("x", tmp_path)
    data["links"] = {}
    (tmp_path / "x" / "region.yml").write_text(yaml.safe_dump(data))  # code: grand-est
    with pytest.raises(ValueError, match="folder's name"):
        regions.load_region("x", tmp_path)


def test_import_knowledge_reads_the_region_pack() -> None:
    for code in CODES:
        files = dict(shipped_files(code))
        assert files["communes"] == KNOWLEDGE_DIR / "communes.csv"
        for kind, name in REGION_FILES:
            assert files[kind] == regions.region(code).folder / name


# --- leaks: render everything region-dependent --------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _fill(text: str, code: str) -> str:
    values: defaultdict[str, str] = defaultdict(str, regions.region(code).placeholders())
    return text.format_map(values)


def region_texts(code: str) -> Iterator[tuple[str, str]]:
    """(where, text) of everything a user or a coordinator of `code` can be shown."""
    for key, entry in faq.catalogue_of(code).by_key().items():
        if key in regions.region(code).compares:
            continue
        buttons = faq.render_buttons(entry, code)
        for vous in (False, True):
            shown = [faq.render_answer(entry, vous=vous, code=code)]
            shown += [f"{b['title']} {b.get('url', '')}" for b in buttons]
            yield f"faq/{key}", "\n".join(shown)
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            for variant in variants:
                said = [str(variant.get("text") or "")]
                said += [str(b.get("title", "")) for b in variant.get("buttons") or []]
                yield name, _fill("\n".join(said), code)
    for module in (texts, staff_texts, terminal, notifications):
        for name, value in vars(module).items():
            if name.isupper():
                for text in _strings(value):
                    yield f"{module.__name__}.{name}", _fill(text, code)


def _demo_names(code: str) -> set[str]:
    """Names of another pack's demo structures, companies and coordinators (≥ 12 chars)."""
    names = set()
    for kind, column in DEMO_NAME_COLUMNS.items():
        path = regions.region(code).folder / f"{kind}.csv"
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                names |= {row[column] for row in csv.DictReader(handle) if len(row[column]) >= 12}
    return names


@pytest.mark.parametrize("code", CODES)
def test_no_other_region_leaks_into_what_a_region_says(code: str) -> None:
    others = [c for c in CODES if c != code]
    foreign_links = {url for c in others for url in regions.region(c).links.values()}
    foreign_phrases = {regions.region(c).phone.name for c in others}
    foreign_demo = set().union(*(_demo_names(c) for c in others))
    problems = []
    said = list(region_texts(code))
    assert len(said) > 250  # FAQ answers, domain responses, bot and staff texts
    for where, text in said:
        found = leaks(text, code)
        found += [u for u in foreign_links if u in text]
        found += [p for p in foreign_phrases if p in text]
        found += [n for n in foreign_demo if n in text]
        if found:
            problems.append(f"{where}: {found}")
    assert problems == []


@pytest.mark.parametrize("code", CODES)
def test_every_placeholder_of_what_a_region_says_is_filled(code: str) -> None:
    # Values the actions pass with the message (town, number…) are not identity placeholders.
    identity = set(regions.region(code).placeholders())
    every_pack = set().union(*(regions.region(c).placeholders() for c in CODES))
    for where, text in region_texts(code):
        left = set(re.findall(r"{([a-z_]+)}", text)) & (every_pack - identity)
        assert not left, f"{where}: {code} has no {left}"


@pytest.mark.parametrize("code", CODES)
def test_a_pack_demo_data_lies_in_its_departments(code: str) -> None:
    pack = regions.region(code)
    with (KNOWLEDGE_DIR / "communes.csv").open(encoding="utf-8", newline="") as handle:
        department = {row["insee"]: row["departement"] for row in csv.DictReader(handle)}
    for kind, name in REGION_FILES:
        path = pack.folder / name
        if not path.exists() or kind == "coordinators":
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            outside = {
                row["key"]
                for row in csv.DictReader(handle)
                if department.get(row["commune"]) not in pack.departments
            }
        assert outside == set(), f"{name}: rows outside {code}"


def test_the_leak_detector_finds_another_regions_words() -> None:
    assert leaks("Appelle le numéro gratuit Parcours Métier, à Caen", "grand-est") == [
        "caen (normandie)",
        "parcours metier (normandie)",
    ]
    assert leaks("Les Ambassadeurs Orient'Est de Metz", "normandie") == [
        "metz (grand-est)",
        "orient est (grand-est)",
    ]
    assert leaks("Un conseiller de la Région Grand Est", "grand-est") == []


def test_a_user_in_alsace_moselle_waits_through_its_public_holidays(settings: Settings) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from parcours.db.engine import session_scope
    from parcours.models import User
    from parcours.services import conversations
    from tests.factories import add_communes

    with session_scope() as session:
        add_communes(
            session,
            [
                ("67482", "Strasbourg", "67000", "67", "E1"),
                ("51454", "Reims", "51100", "51", "E2"),
            ],
        )
        session.add_all(
            [User(id="alsace", town_code="67482"), User(id="marne", town_code="51454")]
        )
    assert conversations.department_of("alsace") == "67"
    assert conversations.department_of("nobody") is None
    grand_est = Settings(region="grand-est", database_url=settings.database_url)
    good_friday = datetime(2026, 4, 3, 10, tzinfo=ZoneInfo("Europe/Paris"))
    assert not grand_est.hours_in(conversations.department_of("alsace")).is_open(good_friday)
    assert grand_est.hours_in(conversations.department_of("marne")).is_open(good_friday)
    assert grand_est.hours.is_open(good_friday)  # region-wide: national days only
