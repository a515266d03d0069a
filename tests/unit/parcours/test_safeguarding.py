"""The helpline list: every entry sourced, only validated ones in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.safeguarding import (
    SafeguardingError,
    load,
    shown,
    sounds_like_distress,
)

ENTRY = """
  - key: {key}
    numero: "119"
    nom: "Allô Enfance en danger"
    quand: "violences à la maison"
    {source}
    valide_par_agence: {valid}
"""


def write(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "safeguarding.yml"
    path.write_text("resources:\n" + "".join(entries), encoding="utf-8")
    return path


def entry(
    key: str = "a", source: str = 'source: "https://allo119.gouv.fr"', valid: str = "false"
) -> str:
    return ENTRY.format(key=key, source=source, valid=valid)


def test_the_shipped_list_has_the_national_helplines_each_with_an_official_source() -> None:
    resources = load()
    numbers = " ".join(r.numero for r in resources)
    for number in ("119", "3020", "3018", "3114", "112", "17", "114"):
        assert number in numbers
    assert all(str(r.source).startswith("https://") for r in resources)
    assert not any(r.valide_par_agence for r in resources)  # until the Agency checks them


def test_an_entry_without_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SafeguardingError, match="no `source:`"):
        load(write(tmp_path, entry(), entry(key="b", source="")))


@pytest.mark.parametrize("source", ['source: "pas une url"', 'source: "http://allo119.gouv.fr"'])
def test_a_source_that_is_not_an_https_url_is_refused(tmp_path: Path, source: str) -> None:
    with pytest.raises(SafeguardingError):
        load(write(tmp_path, entry(source=source)))


def test_an_empty_or_duplicated_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SafeguardingError):
        load(write(tmp_path))
    with pytest.raises(SafeguardingError, match="duplicate"):
        load(write(tmp_path, entry(), entry()))


def test_production_shows_only_what_the_agency_validated(tmp_path: Path) -> None:
    path = write(tmp_path, entry(key="checked", valid="true"), entry(key="draft"))
    assert [r.key for r in shown(production=True, path=path)] == ["checked"]
    assert [r.key for r in shown(production=False, path=path)] == ["checked", "draft"]


@pytest.mark.parametrize(
    ("text", "distress"),
    [
        ("jveux mourir", True),
        ("on me harcèle", True),
        ("mon père me frappe", True),
        ("j'ai subi des violences", True),
        ("des filles m'humilient", True),
        ("ils se moquent de moi sur tiktok", True),
        ("je joue du violon", False),
        ("j'ai arrêté les cours", False),
    ],
)
def test_the_safety_net_catches_distress_words(text: str, distress: bool) -> None:
    assert sounds_like_distress(text) is distress
