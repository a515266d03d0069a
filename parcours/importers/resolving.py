"""Turn what a cell names into the key the database stores: a commune into its INSEE code, a
métier into its code, an ambassador's zone into a region, department, commune or zone d'emploi
code."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from parcours.importers.metier_names import MetierNames
from parcours.importers.places import Places
from parcours.importers.territories import departement_code, region_code
from parcours.importers.zones import EmploymentAreas

#: How a column is resolved (the values of ``Spec.resolved``).
COMMUNE = "commune"
METIER = "metier"
ZONE = "zone"  # zone_code, read according to the row's zone_type


class Resolver:
    """Resolves the cells of one import; the lookups are built on first use."""

    def __init__(self, session: Session, *, insee_codes: bool = False) -> None:
        self._session = session
        self._insee_codes = insee_codes
        self._places: Places | None = None
        self._metiers: MetierNames | None = None
        self._areas: EmploymentAreas | None = None

    def resolve(self, how: str, value: str, row: dict[str, Any]) -> str:
        """The stored form of ``value``; ValueError (French) when it cannot be resolved."""
        if how == COMMUNE:
            return self.commune(value)
        if how == METIER:
            if self._metiers is None:
                self._metiers = MetierNames(self._session)
            return self._metiers.metier(value)
        if how == ZONE:
            return self.zone(str(row.get("zone_type") or ""), value)
        raise ValueError(f"résolution inconnue « {how} »")

    def commune(self, value: str) -> str:
        """The INSEE code of the commune ``value`` names."""
        if self._places is None:
            self._places = Places(self._session, insee_codes=self._insee_codes)
        return self._places.commune(value)

    def zone(self, zone_type: str, value: str) -> str:
        """A region or department code, an INSEE code, or a zone d'emploi 2020 code (bassin:
        only when the official map is imported, see parcours/importers/zones.py)."""
        if zone_type == "region":
            return region_code(value)
        if zone_type == "departement":
            return departement_code(value)
        if zone_type == "commune":
            return self.commune(value)
        if zone_type == "bassin":
            if self._areas is None:
                self._areas = EmploymentAreas(self._session)
            return self._areas.code(value)
        return value.strip()
