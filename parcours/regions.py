"""Region packs: what makes the assistant one region's (knowledge/regions/<code>/region.yml).

A pack's identity (organisation, networks, links, the privacy notice's controller, the free
number's setting, public holidays per department) is data. Its values become placeholders
(`{org}`, `{of_org}`, `{pm_number}`…) usable in every answer: FAQ answers, domain responses
(slots set at session start), the bot's own texts. `REGION` selects a pack; the list of
packs is the list of folders holding a `region.yml`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml
from dotenv import dotenv_values
from pydantic import BaseModel, Field, field_validator

from parcours import KNOWLEDGE_DIR, PROJECT_ROOT

REGIONS_DIR = KNOWLEDGE_DIR / "regions"
_HTTPS = "https://"


class Organisation(BaseModel):
    """Who runs the service, in the forms answers need (French elision included)."""

    name: str  # full name: « Agence Régionale de l'Orientation et des Métiers de Normandie »
    short: str  # with its article: « l'Agence », « la Région »
    of_short: str  # « de l'Agence », « de la Région Grand Est »
    of_name: str  # « de l'Agence Régionale … de Normandie », « de la Région Grand Est »
    assistant_of: str  # « Je suis l'assistant {assistant_of}. »


class Networks(BaseModel):
    """Names of the region's networks; null when the region has none."""

    phone_line: str | None = None
    ambassadors: str  # plural: « Ambassadeurs Métiers »
    ambassador: str  # singular: « Ambassadeur Métier »
    ministages: str | None = None


class Phone(BaseModel):
    """The free number: never in the pack (not in the sources), read from a setting."""

    setting: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")  # environment variable (or `.env`)
    name: str  # how answers name the line without digits: « le numéro gratuit Parcours Métier »


class Holidays(BaseModel):
    """`holidays` subdivisions: the region-wide default and per department (Alsace-Moselle)."""

    default: str | None = None
    departments: dict[str, str] = Field(default_factory=dict)


class Region(BaseModel):
    """One `region.yml`."""

    code: str = Field(pattern=r"^[a-z][a-z-]*$")
    name: str
    in_name: str  # « en Normandie », « dans le Grand Est »
    #: Examples of a place in a "which commune?" prompt: a town, a postal code, a department.
    place_examples: str
    region_insee: str = Field(pattern=r"^\d{2}$")
    departments: list[str] = Field(min_length=1)
    organisation: Organisation
    networks: Networks
    phone: Phone
    links: dict[str, str] = Field(default_factory=dict)
    privacy_controller: str
    holidays: Holidays = Field(default_factory=Holidays)
    #: Region-bound words that must never appear in another region's answers (leak tests).
    own_words: list[str] = Field(default_factory=list)
    #: FAQ keys whose answer names another region on purpose (asked to compare), with why.
    compares: dict[str, str] = Field(default_factory=dict)

    @field_validator("links")
    @classmethod
    def _https(cls, links: dict[str, str]) -> dict[str, str]:
        for key, url in links.items():
            if not url.startswith(_HTTPS):
                raise ValueError(f"link {key!r} must be an https URL")
        return links

    @property
    def folder(self) -> Path:
        """The pack's folder."""
        return REGIONS_DIR / self.code

    def holiday_subdivision(self, department: str | None = None) -> str | None:
        """The `holidays` subdivision of a department (the region's default without one)."""
        if department is not None and department in self.holidays.departments:
            return self.holidays.departments[department]
        return self.holidays.default

    def free_number(self) -> str | None:
        """The free number from its setting (environment, then `.env`), None when unset."""
        value = os.environ.get(self.phone.setting)
        if value is None:
            value = _dotenv().get(self.phone.setting)
        return value.strip() if value and value.strip() else None

    def number_phrase(self) -> str:
        """How answers name the free number (never an invented one)."""
        number = self.free_number()
        return f"{self.phone.name} ({number})" if number else self.phone.name

    def placeholders(self) -> dict[str, str]:
        """Every identity value an answer may use as `{key}` (a null network is absent)."""
        line = self.phone.name
        values = {
            "region_name": self.name,
            "in_region": self.in_name,
            "org_name": self.organisation.name,
            "org": self.organisation.short,
            "of_org": self.organisation.of_short,
            "of_org_name": self.organisation.of_name,
            "assistant_of": self.organisation.assistant_of,
            "ambassadors": self.networks.ambassadors,
            "ambassador": self.networks.ambassador,
            "pm_number": self.number_phrase(),
            "line": line[:1].upper() + line[1:],
            "controller": self.privacy_controller,
            "place_examples": self.place_examples,
        }
        if self.networks.phone_line:
            values["phone_line"] = self.networks.phone_line
        if self.networks.ministages:
            values["ministages"] = self.networks.ministages
        values.update({f"link_{key}": url for key, url in self.links.items()})
        return values


def placeholder_names(region: Region) -> frozenset[str]:
    """The placeholder names of a region (values aside)."""
    return frozenset(region.placeholders())


@lru_cache(maxsize=1)
def _dotenv() -> dict[str, str | None]:
    path = PROJECT_ROOT / ".env"
    return dict(dotenv_values(path)) if path.exists() else {}


def available(directory: Path = REGIONS_DIR) -> list[str]:
    """Codes of the packs shipped (folders holding a `region.yml`), sorted."""
    return sorted(p.parent.name for p in directory.glob("*/region.yml"))


def load_region(code: str, directory: Path = REGIONS_DIR) -> Region:
    """Read and validate one pack's `region.yml` (its code must be its folder's name)."""
    path = directory / code / "region.yml"
    if not path.is_file():
        raise ValueError(f"unknown region {code!r}: packs are {', '.join(available(directory))}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    region = Region.model_validate(data)
    if region.code != code:
        raise ValueError(f"{path}: code {region.code!r} is not its folder's name {code!r}")
    return region


@lru_cache(maxsize=8)
def region(code: str) -> Region:
    """A shipped pack, loaded once per process."""
    return load_region(code)


def current() -> Region:
    """The pack of the REGION setting."""
    from parcours.settings import get_settings  # settings validate REGION with this module

    return region(get_settings().region)


def fill(text: str, code: str | None = None, **values: str) -> str:
    """`text` with the region's placeholders (and `values`) filled in."""
    pack = region(code) if code is not None else current()
    return text.format_map({**pack.placeholders(), **values})


def insee_codes() -> dict[str, str]:
    """Region code → INSEE region code, for every shipped pack."""
    return {code: region(code).region_insee for code in available()}
