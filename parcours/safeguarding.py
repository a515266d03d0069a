"""Helplines for people in danger or distress (knowledge/safeguarding.yml), validated on load.

Every entry must name the official page it comes from. In production only the entries the
Agency has validated are shown (the same rule as for demo data elsewhere).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from parcours import PROJECT_ROOT
from parcours.search.normalize import fold

DEFAULT_PATH = PROJECT_ROOT / "knowledge" / "safeguarding.yml"


class SafeguardingError(ValueError):
    """The helpline list is missing, malformed, or an entry lacks its source."""


class Resource(BaseModel):
    """One helpline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    numero: str = Field(min_length=2)
    nom: str = Field(min_length=2)
    quand: str = Field(min_length=2)
    comment: str = ""
    source: HttpUrl
    valide_par_agence: bool = False

    @field_validator("source")
    @classmethod
    def _https_only(cls, value: HttpUrl) -> HttpUrl:
        """Sources are official web pages (https)."""
        if value.scheme != "https":
            raise ValueError("la source doit être une adresse https")
        return value

    def line(self) -> str:
        """How the helpline is said in a message."""
        how = f", {self.comment}" if self.comment else ""
        return f"📞 {self.numero} – {self.nom} ({self.quand}{how})"


def load(path: Path = DEFAULT_PATH) -> list[Resource]:
    """Parse and validate the list; refuse it whole on any bad entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SafeguardingError(f"{path}: {error}") from error
    entries = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SafeguardingError(f"{path}: expected a non-empty `resources:` list")
    resources = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("source"):
            raise SafeguardingError(f"{path}: entry {position} has no `source:` URL")
        try:
            resources.append(Resource.model_validate(entry))
        except ValidationError as error:
            raise SafeguardingError(f"{path}: entry {position}: {error}") from error
    keys = [r.key for r in resources]
    if len(set(keys)) != len(keys):
        raise SafeguardingError(f"{path}: duplicate keys")
    return resources


@lru_cache(maxsize=4)
def _cached(path: Path) -> tuple[Resource, ...]:
    return tuple(load(path))


def shown(*, production: bool, path: Path = DEFAULT_PATH) -> list[Resource]:
    """The helplines to show: all in development, only validated ones in production."""
    return [r for r in _cached(path) if r.valide_par_agence or not production]


#: Words that must never be answered with "I did not understand" (checked on the folded text).
_DISTRESS = re.compile(
    r"\b(mourir|me tuer|suicid\w*|en finir|plus envie de vivre|me faire du mal|scarifi\w*|"
    r"harcel\w*|frappe\w*|me bat\b|me battent|battu\w*|viol(s|e|ee|ees|ent|ente|ences?)?\b|"
    r"racket\w*|agress\w*|maltrait\w*|menace\w*|humili\w*|claques?|gifles?|"
    r"(se )?moqu\w* de moi)"
)


def sounds_like_distress(text: str) -> bool:
    """A safety net for messages the NLU did not classify (accents folded, lower case)."""
    return _DISTRESS.search(fold(text)) is not None
