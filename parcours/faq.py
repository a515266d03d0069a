"""The FAQ catalogue: load knowledge/faq/*.yml, validate it, generate Rasa training files.

The catalogue is data. Rasa learns the retrieval intent `faq/<key>` from the generated
`nlu_data/nlu/faq.yml` and answers with `utter_faq/<key>` from `nlu_data/responses/faq.yml`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator, model_validator

from parcours import KNOWLEDGE_DIR, PROJECT_ROOT
from parcours.importers.specs import STRUCTURE_KINDS

FAQ_DIR = KNOWLEDGE_DIR / "faq"
NLU_OUT = PROJECT_ROOT / "nlu_data" / "nlu" / "faq.yml"
RESPONSES_OUT = PROJECT_ROOT / "nlu_data" / "responses" / "faq.yml"

ALLOWED_PLACEHOLDERS = frozenset({"pm_number"})
ALLOWED_PAYLOADS = frozenset({"/ask_human", "/menu", "/search_ministage", "/search_ambassador"})
#: The only phone number the sources give; any other digit run shaped like one is refused.
SOURCED_NUMBERS = frozenset({"0800122500"})
_PHONE_RE = re.compile(r"(?<!\d)(?:0|\+33)\s?[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_BRACES_RE = re.compile(r"[\[\](){}]")
_MIN_EXAMPLES = 15
GENERATED_HEADER = "# GENERATED from knowledge/faq/*.yml by `make faq`: do not edit by hand.\n"


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
        if self.url is not None and not self.url.startswith("https://"):
            raise ValueError("links must be https URLs")
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
            if name not in ALLOWED_PLACEHOLDERS:
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


def load_catalogue(directory: Path = FAQ_DIR) -> Catalogue:
    """Read and validate every `*.yml` file of the catalogue folder."""
    entries: list[dict[str, object]] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries.extend(data.get("entries", []))
    return Catalogue.model_validate({"entries": entries})


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return load_catalogue()


def render_nlu(cat: Catalogue) -> str:
    """Training examples of the retrieval intent, in Rasa 3.1 YAML."""
    lines = [GENERATED_HEADER, 'version: "3.1"', "nlu:"]
    for entry in cat.entries:
        lines.append(f"- intent: faq/{entry.key}")
        lines.append("  examples: |")
        lines.extend(f"    - {example}" for example in entry.examples)
    return "\n".join(lines) + "\n"


def render_responses(cat: Catalogue) -> str:
    """`utter_faq/<key>` responses, with a `vous` variant conditioned on the register slot."""
    lines = [GENERATED_HEADER, 'version: "3.1"', "responses:"]
    for entry in cat.entries:
        lines.append(f"  utter_faq/{entry.key}:")
        lines.append("  - condition:")
        lines.append("    - type: slot")
        lines.append("      name: register")
        lines.append("      value: vous")
        lines.append(f"    text: {json.dumps(entry.answer_vous, ensure_ascii=False)}")
        lines.append(f"  - text: {json.dumps(entry.answer, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def generate() -> list[Path]:
    """Write the generated Rasa files; return the paths that changed."""
    cat = load_catalogue()
    changed = []
    for path, text in ((NLU_OUT, render_nlu(cat)), (RESPONSES_OUT, render_responses(cat))):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def out_of_sync() -> list[Path]:
    """Generated files that differ from what the catalogue would produce now."""
    cat = load_catalogue()
    stale = []
    for path, text in ((NLU_OUT, render_nlu(cat)), (RESPONSES_OUT, render_responses(cat))):
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale
