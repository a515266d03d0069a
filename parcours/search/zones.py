"""Whether an ambassador's zone of intervention covers a commune (the ambassadors' charter:
région, département, ville, bassin d'emploi = INSEE zone d'emploi 2020).

Pure once the commune's codes are known: :class:`Place` holds them, built by the caller from
the database (the zone d'emploi only when the official map is imported).
"""

from __future__ import annotations

from dataclasses import dataclass

ZONE_TYPES = ("region", "departement", "commune", "bassin")


@dataclass(frozen=True, slots=True)
class Place:
    """A commune's codes at each level of zone (``zone_emploi`` None: map not imported)."""

    insee: str
    departement: str
    region: str
    zone_emploi: str | None = None

    def code(self, zone_type: str) -> str | None:
        """This commune's code for a zone type (None for an unknown type or no map)."""
        return {
            "region": self.region,
            "departement": self.departement,
            "commune": self.insee,
            "bassin": self.zone_emploi,
        }.get(zone_type)


def covers(zone_type: str, zone_code: str, place: Place) -> bool:
    """Whether a zone (as imported: type and code) includes the commune ``place``."""
    code = place.code(zone_type)
    return code is not None and code == zone_code
