"""What each import kind expects: columns, parsers, references and cross-field rules.

The column names are the CSV header (documented in knowledge/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from parcours.db.base import Base
from parcours.importers import columns as c
from parcours.importers import territories
from parcours.importers.resolving import COMMUNE, METIER, ZONE
from parcours.models import (
    Ambassador,
    Commune,
    Company,
    Coordinator,
    Metier,
    MinistageOffer,
    RomeMetier,
    Structure,
    ZoneEmploi,
)

FORMATS = ("individuel", "collectif", "sur_place", "tiers_lieu", "telephone", "visio", "mail")
PUBLICS = (
    "college",
    "lycee",
    "etudiant",
    "decrocheur",
    "demandeur_emploi",
    "salarie",
    "parent",
    "professionnel",
)
LEVELS = ("college", "lycee", "superieur")
STRUCTURE_KINDS = (
    "mission_locale",
    "cio",
    "info_jeunes",
    "psad",
    "transitions_pro",
    "france_travail",
    "agence",
)

Row = dict[str, Any]
RowCheck = Callable[[Row], str | None]


@dataclass(frozen=True)
class Spec:
    """One import kind."""

    model: type[Base]
    key: str
    columns: dict[str, c.Parser]
    optional: frozenset[str] = frozenset()
    references: dict[str, type[Base]] = field(default_factory=dict)
    checks: tuple[RowCheck, ...] = ()
    #: Reference columns holding several space-separated keys, each checked.
    reference_lists: frozenset[str] = frozenset()
    #: Columns whose names are turned into keys (see parcours/importers/resolving.py).
    resolved: dict[str, str] = field(default_factory=dict)


def _metier_ambassador_has_a_year(row: Row) -> str | None:
    if row["kind"] == "metier" and (row.get("years_in_job") or 0) < 1:
        return "un ambassadeur métier doit avoir au moins 1 an dans le métier (years_in_job ≥ 1)"
    if row["kind"] == "metier" and not row.get("metier") and not row.get("rome"):
        return (
            "un ambassadeur métier doit avoir un métier (colonne metier, ou rome pour un métier "
            "absent de metiers.csv)"
        )
    if row["kind"] == "formation" and not row.get("formation"):
        return "un ambassadeur formation doit indiquer sa formation (colonne formation)"
    return None


def _days_between_3_and_5(row: Row) -> str | None:
    if not 3 <= (row.get("days_min") or 0) <= (row.get("days_max") or 0) <= 5:
        return "un mini-stage dure de 3 à 5 jours (3 ≤ days_min ≤ days_max ≤ 5)"
    return None


def _ages_in_order(row: Row) -> str | None:
    low, high = row.get("age_min"), row.get("age_max")
    if low is not None and high is not None and low > high:
        return "age_min est plus grand que age_max"
    return None


SPECS: dict[str, Spec] = {
    "communes": Spec(
        Commune,
        "insee",
        {
            "insee": c.required,
            "nom": c.required,
            "codes_postaux": c.text,
            "departement": territories.departement_code,
            "region": c.required,
            "epci": c.optional,
            "epci_nom": c.optional,
            "population": c.integer(0),
            "latitude": c.decimal,
            "longitude": c.decimal,
        },
        optional=frozenset({"latitude", "longitude"}),
    ),
    "rome": Spec(
        RomeMetier,
        "rome_code",
        {
            "rome_code": c.rome_code,
            "libelle": c.required,
            "secteur": c.text,
            "naf": c.text,
            "appellations": c.text,
        },
        optional=frozenset({"secteur", "naf", "appellations"}),
    ),
    "metiers": Spec(
        Metier,
        "code",
        {
            "code": c.required,
            "libelle": c.required,
            "secteur": c.required,
            "synonymes": c.text,
            "mots_cles": c.text,
            "rome": c.rome_codes(10),
        },
        optional=frozenset({"rome"}),
        references={"rome": RomeMetier},
        reference_lists=frozenset({"rome"}),
    ),
    "structures": Spec(
        Structure,
        "key",
        {
            "key": c.required,
            "kind": c.choice(STRUCTURE_KINDS),
            "name": c.required,
            "commune": c.required,
            "address": c.text,
            "publics": c.text,
            "age_min": c.integer(0, 120),
            "age_max": c.integer(0, 120),
            "contact": c.text,
            "hours": c.text,
            "phone": c.text,
            "website": c.web_url,
            "latitude": c.decimal,
            "longitude": c.decimal,
            "demo": c.boolean,
        },
        optional=frozenset(
            {"address", "latitude", "longitude", "demo", "contact", "hours", "phone", "website"}
        ),
        references={"commune": Commune},
        checks=(_ages_in_order,),
        resolved={"commune": COMMUNE},
    ),
    "companies": Spec(
        Company,
        "key",
        {
            "key": c.required,
            "name": c.required,
            "commune": c.required,
            "secteur": c.text,
            "charter_signed_on": c.iso_date,
            "charter_actions": c.text,
            "demo": c.boolean,
        },
        optional=frozenset({"secteur", "charter_signed_on", "charter_actions", "demo"}),
        references={"commune": Commune},
        resolved={"commune": COMMUNE},
    ),
    "ambassadors": Spec(
        Ambassador,
        "key",
        {
            "key": c.required,
            "kind": c.choice(("metier", "formation")),
            "display_name": c.required,
            "metier": c.optional,
            "rome": c.rome_codes(1),
            "formation": c.text,
            "company": c.optional,
            "school": c.text,
            "years_in_job": c.integer(0, 60),
            "formats": c.several(FORMATS),
            "publics": c.several(PUBLICS),
            "zone_type": c.choice(("region", "departement", "commune", "bassin")),
            "zone_code": c.required,
            "commune": c.required,
            "available": c.boolean,
            "demo": c.boolean,
        },
        optional=frozenset({"rome", "formation", "company", "school", "available", "demo"}),
        references={"metier": Metier, "rome": RomeMetier, "company": Company, "commune": Commune},
        checks=(_metier_ambassador_has_a_year,),
        resolved={"metier": METIER, "zone_code": ZONE, "commune": COMMUNE},
    ),
    "ministages": Spec(
        MinistageOffer,
        "key",
        {
            "key": c.required,
            "company": c.required,
            "metier": c.required,
            "rome": c.rome_codes(1),
            "commune": c.required,
            "periods": c.text,
            "days_min": c.integer(1, 10),
            "days_max": c.integer(1, 10),
            "levels": c.several(LEVELS),
            "places": c.integer(1, 100),
            "demo": c.boolean,
        },
        optional=frozenset({"rome", "periods", "places", "demo"}),
        references={
            "company": Company,
            "metier": Metier,
            "rome": RomeMetier,
            "commune": Commune,
        },
        checks=(_days_between_3_and_5,),
        resolved={"metier": METIER, "commune": COMMUNE},
    ),
    # Official INSEE zones d'emploi 2020 only (docs/NOTES-grand-est.md): commune → bassin.
    "zones_emploi": Spec(
        ZoneEmploi,
        "insee",
        {"insee": c.required, "ze2020": c.required, "libze2020": c.required},
        references={"insee": Commune},
        resolved={"insee": COMMUNE},
    ),
    "coordinators": Spec(
        Coordinator,
        "telegram_id",
        {
            "telegram_id": c.integer(1),
            "name": c.required,
            "departements": territories.departement_codes,
            "epcis": c.text,
            "backup": c.boolean,
            "absent": c.boolean,
            "demo": c.boolean,
        },
        optional=frozenset({"departements", "epcis", "backup", "absent", "demo"}),
    ),
}
