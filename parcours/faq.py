"""The FAQ catalogue: load knowledge/faq/*.yml and the region packs, validate them, generate
Rasa training files.

The catalogue is data. A region's catalogue is the shared one (knowledge/faq/), with the
entries of its pack (knowledge/regions/<region>/faq/) replacing those of the same key or
added, minus the keys of its `faq_remove.yml`. Rasa learns the retrieval intent `faq/<key>`
from the generated `nlu_data/nlu/faq.yml`: the union of every pack's examples (one model for
all regions); the answer is chosen at run time from the REGION's catalogue (actions/faq.py),
so a key the region lacks is never answered there. Answers use the region's placeholders
(parcours/regions.py): `{pm_number}`, `{of_org}`, `{link_site}`…
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator, model_validator

from parcours import KNOWLEDGE_DIR, PROJECT_ROOT, regions
from parcours.importers.specs import STRUCTURE_KINDS

FAQ_DIR = KNOWLEDGE_DIR / "faq"
NLU_OUT = PROJECT_ROOT / "nlu_data" / "nlu" / "faq.yml"
RESPONSES_OUT = PROJECT_ROOT / "nlu_data" / "responses" / "faq.yml"

#: Identity placeholders (parcours/regions.py); whether a region defines an optional one
#: (`phone_line`, `ministages`, `link_<key>`) is checked per region by `check_packs`.
ALLOWED_PLACEHOLDERS = re.compile(
    r"^(?:region_name|in_region|org_name|org|of_org|of_org_name|assistant_of|ambassadors"
    r"|ambassador|pm_number|line|place_examples"
    r"|controller|phone_line|ministages|link_[a-z][a-z0-9_]*)$"
)
LINK_PLACEHOLDER = re.compile(r"^\{(link_[a-z][a-z0-9_]*)\}$")
ALLOWED_PAYLOADS = frozenset({"/ask_human", "/menu", "/search_ministage", "/search_ambassador"})
#: The only phone number the sources give; any other digit run shaped like one is refused.
SOURCED_NUMBERS = frozenset({"0800122500"})
_PHONE_RE = re.compile(r"(?<!\d)(?:0|\+33)\s?[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_BRACES_RE = re.compile(r"[\[\](){}]")
_MIN_EXAMPLES = 15
GENERATED_HEADER = (
    "# GENERATED from knowledge/faq/ and knowledge/regions/*/faq/ by `make faq`: do not edit.\n"
)


class Button(BaseModel):
    """A follow-up under an answer: a link or a payload the dialogue understands."""

    title: str = Field(max_length=40)
    url: str | None = None
    payload: str | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Button:
        if (self.url is None) == (self.payload is None):
            raise ValueError("a button has exactly one of url or payload")
        if self.payload is not None and self.payload not in ALLOWED_PAYLOADS:
            raise ValueError(f"payload {self.payload!r} is not one of {sorted(ALLOWED_PAYLOADS)}")
        if self.url is not None and not (
            self.url.startswith("https://") or LINK_PLACEHOLDER.match(self.url)
        ):
            raise ValueError("links must be https URLs or a region link such as {link_site}")
        return self


class FaqEntry(BaseModel):
    """One question of the catalogue, its answers (tu / vous) and its training examples."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(max_length=40)
    sources: list[str]
    answer: str = Field(max_length=900)
    answer_vous: str = Field(max_length=900)
    buttons: list[Button] = Field(default_factory=list, max_length=3)
    #: Kinds of structure the answer names: the nearest ones are listed after it.
    places: list[str] = Field(default_factory=list)
    #: About minors only: never given or offered to someone who says they are an adult.
    for_minors: bool = False
    examples: list[str]

    @field_validator("places")
    @classmethod
    def _known_places(cls, places: list[str]) -> list[str]:
        unknown = set(places) - set(STRUCTURE_KINDS)
        if unknown:
            raise ValueError(f"unknown structure kinds {sorted(unknown)}")
        return places

    @field_validator("answer", "answer_vous")
    @classmethod
    def _safe_answer(cls, text: str) -> str:
        for name in re.findall(r"{([^{}]*)}", text):
            if not ALLOWED_PLACEHOLDERS.match(name):
                raise ValueError(f"unknown placeholder {{{name}}}")
        for match in _PHONE_RE.finditer(text):
            if re.sub(r"\D", "", match.group()) not in SOURCED_NUMBERS:
                raise ValueError(f"unsourced phone number {match.group()!r}")
        return text.strip()

    @field_validator("examples")
    @classmethod
    def _enough_clean_examples(cls, examples: list[str]) -> list[str]:
        cleaned = [e.strip() for e in examples if e.strip()]
        if len(cleaned) < _MIN_EXAMPLES:
            raise ValueError(f"needs at least {_MIN_EXAMPLES} examples, has {len(cleaned)}")
        for example in cleaned:
            if _BRACES_RE.search(example) or example.startswith("/"):
                raise ValueError(f"example {example!r} uses Rasa markup characters")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("duplicate examples")
        return cleaned


class Catalogue(BaseModel):
    """All entries, unique keys and no example shared by two keys."""

    entries: list[FaqEntry]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        keys = [e.key for e in self.entries]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"duplicate keys: {sorted(dupes)}")
        owner: dict[str, str] = {}
        for entry in self.entries:
            for example in entry.examples:
                folded = example.lower()
                if folded in owner and owner[folded] != entry.key:
                    raise ValueError(
                        f"example {example!r} is in both {owner[folded]} and {entry.key}"
                    )
                owner[folded] = entry.key
        return self

    def by_key(self) -> dict[str, FaqEntry]:
        """Entries indexed by key."""
        return {e.key: e for e in self.entries}


def load_entries(directory: Path) -> list[dict[str, object]]:
    """The raw entries of every `*.yml` file of a catalogue folder (none if it is absent)."""
    entries: list[dict[str, object]] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries.extend(data.get("entries", []))
    return entries


def load_catalogue(directory: Path = FAQ_DIR) -> Catalogue:
    """Read and validate every `*.yml` file of one catalogue folder."""
    return Catalogue.model_validate({"entries": load_entries(directory)})


def removed_keys(code: str, directory: Path = regions.REGIONS_DIR) -> list[str]:
    """Shared keys a region removes (`faq_remove.yml`: `remove: [key, …]`)."""
    path = directory / code / "faq_remove.yml"
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(key) for key in data.get("remove") or []]


def region_catalogue(
    code: str, shared: Path = FAQ_DIR, directory: Path = regions.REGIONS_DIR
) -> Catalogue:
    """The catalogue of one region: shared entries, replaced or added by its pack's, minus
    its removed keys (in the shared order, the pack's new keys after)."""
    by_key = {str(e["key"]): e for e in load_entries(shared)}
    for entry in load_entries(directory / code / "faq"):
        by_key[str(entry["key"])] = entry
    for key in removed_keys(code, directory):
        if key not in by_key:
            raise ValueError(f"{code}/faq_remove.yml: unknown key {key!r}")
        del by_key[key]
    return Catalogue.model_validate({"entries": list(by_key.values())})


def union_catalogue(shared: Path = FAQ_DIR, directory: Path = regions.REGIONS_DIR) -> Catalogue:
    """Every key of every pack with the examples of all its versions (training data)."""
    by_key: dict[str, dict[str, object]] = {}
    examples: dict[str, list[str]] = {}
    packs = [shared, *(directory / code / "faq" for code in regions.available(directory))]
    for folder in packs:
        for entry in load_entries(folder):
            key = str(entry["key"])
            by_key.setdefault(key, dict(entry))
            kept = examples.setdefault(key, [])
            seen = {e.strip().lower() for e in kept}
            raw = entry.get("examples")
            for example in raw if isinstance(raw, list) else []:
                if str(example).strip().lower() not in seen:
                    kept.append(str(example))
                    seen.add(str(example).strip().lower())
    entries = [{**entry, "examples": examples[key]} for key, entry in by_key.items()]
    return Catalogue.model_validate({"entries": entries})


@lru_cache(maxsize=8)
def catalogue_of(code: str) -> Catalogue:
    """A region's catalogue, loaded once per process."""
    return region_catalogue(code)


def catalogue() -> Catalogue:
    """The catalogue of the REGION setting."""
    from parcours.settings import get_settings

    return catalogue_of(get_settings().region)


def render_answer(entry: FaqEntry, *, vous: bool, code: str | None = None) -> str:
    """An entry's answer (tu or vous) with the region's placeholders filled in."""
    return regions.fill(entry.answer_vous if vous else entry.answer, code)


def render_buttons(entry: FaqEntry, code: str | None = None) -> list[dict[str, str]]:
    """An entry's buttons as Rasa dicts; a region link resolved (dropped if the region has
    none)."""
    values = (regions.region(code) if code else regions.current()).placeholders()
    buttons = []
    for button in entry.buttons:
        data = button.model_dump(exclude_none=True)
        data["title"] = data["title"].format_map(values)
        link = LINK_PLACEHOLDER.match(button.url or "")
        if link is not None:
            if link.group(1) not in values:
                continue
            data["url"] = values[link.group(1)]
        buttons.append(data)
    return buttons


def render_nlu(cat: Catalogue) -> str:
    """Training examples of the retrieval intent, in Rasa 3.1 YAML."""
    lines = [GENERATED_HEADER, 'version: "3.1"', "nlu:"]
    for entry in cat.entries:
        lines.append(f"- intent: faq/{entry.key}")
        lines.append("  examples: |")
        lines.extend(f"    - {example}" for example in entry.examples)
    return "\n".join(lines) + "\n"


def render_responses(cat: Catalogue) -> str:
    """`utter_faq/<key>` responses the ResponseSelector needs (one per key, tu and vous).

    They are never said: actions/faq.py answers from the REGION's catalogue, so the text here
    only names the key, the same for every region.
    """
    lines = [GENERATED_HEADER, 'version: "3.1"', "responses:"]
    for entry in cat.entries:
        title = json.dumps(f"faq/{entry.key} (action_answer_faq)")
        lines.append(f"  utter_faq/{entry.key}:")
        lines.append("  - condition:")
        lines.append("    - type: slot")
        lines.append("      name: register")
        lines.append("      value: vous")
        lines.append(f"    text: {title}")
        lines.append(f"  - text: {title}")
    return "\n".join(lines) + "\n"


def generate() -> list[Path]:
    """Write the generated Rasa files; return the paths that changed."""
    cat = union_catalogue()
    changed = []
    for path, text in ((NLU_OUT, render_nlu(cat)), (RESPONSES_OUT, render_responses(cat))):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def out_of_sync() -> list[Path]:
    """Generated files that differ from what the catalogue would produce now."""
    cat = union_catalogue()
    stale = []
    for path, text in ((NLU_OUT, render_nlu(cat)), (RESPONSES_OUT, render_responses(cat))):
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale
