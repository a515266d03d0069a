"""No region is hard-coded: region and network names live in the region packs
(knowledge/regions/), never in the code, the domain responses or the shared FAQ answers.

Scanned: parcours/, bot/, actions/, rasa_channels/ (Python, comments included), the web
page's own files, domain/*.yml, and the answers, titles and buttons of knowledge/faq/*.yml.
Not scanned: NLU examples (how people write: "j'habite à Caen"), the region packs
themselves, migrations (history).
A justified exception is an entry of ALLOWED with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from parcours import PROJECT_ROOT

#: Region, network and city names of the shipped packs (case and accents as written).
NAMES = re.compile(
    r"(?i:normandi|normand|grand[ -]est|orient.est|parcours m[ée]tier|destination m[ée]tier"
    r"|rouen|caen|h[ée]rouville|metz|strasbourg|reims|nancy|mulhouse|le havre|cherbourg"
    r"|lisieux|cl[ée]or)"
    r"|Ambassadeurs? M[ée]tiers?"
)
CODE_FOLDERS = ("parcours", "bot", "actions", "rasa_channels")

#: (path, name found, folded to lower case) → why it may stay.
ALLOWED: dict[tuple[str, str], str] = {
    **{
        ("parcours/search/communes.py", name): "the commune matcher: short forms of real "
        "commune names (Vire Normandie, Cherbourg-en-Cotentin, Le Havre), the INSEE codes of "
        "the shipped regions and the neighbour map of their departments (search data)"
        for name in ("normandi", "grand est", "cherbourg", "herouville", "hérouville", "le havre")
    },
    ("parcours/search/__init__.py", "normandi"): "re-exports the INSEE constant NORMANDIE",
    **{
        (path, "grand-est"): "a comment pointing to docs/NOTES-grand-est.md"
        for path in ("parcours/importers/specs.py", "parcours/importers/zones.py")
    },
    **{
        ("parcours/importers/territories.py", name): "the table of all French regions (names "
        "and INSEE codes) the importer reads a region column with"
        for name in ("normandi", "grand est")
    },
    ("parcours/settings.py", "normandi"): "the default REGION (a pack's folder name), kept so "
    "that existing deployments need no new setting",
    **{
        ("parcours/regions.py", name): "documents the fields of region.yml with the shipped "
        "values as examples"
        for name in (
            "normandi",
            "grand est",
            "parcours métier",
            "ambassadeurs métiers",
            "ambassadeur métier",
        )
    },
    **{
        (path, name): "a docstring or comment quoting how people type places (user input, "
        "like the NLU examples), not something the assistant says"
        for path, name in (
            ("parcours/search/normalize.py", "caen"),
            ("parcours/importers/places.py", "cherbourg"),
            ("parcours/understanding/search_read.py", "caen"),
            ("parcours/understanding/search_read.py", "lisieux"),
            ("parcours/understanding/places.py", "caen"),
            ("parcours/services/staff_card.py", "lisieux"),
            ("actions/fallback.py", "rouen"),
            ("actions/faq.py", "caen"),
            ("actions/search_forms.py", "caen"),
            ("parcours/services/zone_notes.py", "metz"),
        )
    },
}


def _found(path: str, text: str) -> set[tuple[str, str]]:
    return {(path, m.group().lower()) for m in NAMES.finditer(text)}


def region_names_in_code() -> set[tuple[str, str]]:
    """(path, name) of every region name in the scanned code and texts."""
    found: set[tuple[str, str]] = set()
    for folder in CODE_FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            found |= _found(relative, path.read_text(encoding="utf-8"))
    for path in sorted((PROJECT_ROOT / "bot" / "static" / "web").iterdir()):
        if path.suffix in {".html", ".js", ".css"} and not path.name.startswith("deepChat"):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            found |= _found(relative, path.read_text(encoding="utf-8"))
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        found |= _found(f"domain/{path.name}", path.read_text(encoding="utf-8"))
    for path in sorted((PROJECT_ROOT / "knowledge" / "faq").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries") or []:
            said = [entry["answer"], entry["answer_vous"], entry["title"]]
            said += [
                str(b.get("title", "")) + " " + str(b.get("url", ""))
                for b in entry.get("buttons") or []
            ]
            found |= _found(f"knowledge/faq/{path.name}", "\n".join(said))
    return found


def test_no_region_name_outside_the_packs() -> None:
    unexpected = sorted(region_names_in_code() - set(ALLOWED))
    assert unexpected == [], "move these to a region pack, or allow them with a reason"


def test_every_exception_is_still_needed() -> None:
    assert sorted(set(ALLOWED) - region_names_in_code()) == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    assert _found("x", "Bienvenue en Normandie, appelle Parcours Métier") == {
        ("x", "normandi"),
        ("x", "parcours métier"),
    }
    assert _found("x", "un ambassadeur métier près de Metz") == {("x", "metz")}
    assert _found("x", "les Ambassadeurs Métiers") == {("x", "ambassadeurs métiers")}
