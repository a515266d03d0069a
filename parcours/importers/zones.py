"""An ambassador's `bassin` zone: a zone d'emploi 2020 of INSEE, written as its code or name.

The charter lets an ambassador intervene in a région, a département, a ville or a bassin
d'emploi. The last one is only as good as the official commune → zone d'emploi map: it comes
from knowledge/regions/<region>/zones_emploi.csv (import kind `zones_emploi`), which this
project cannot ship (no package registry has it, docs/NOTES-grand-est.md). Without it, a
`bassin` zone is refused with a French message naming the file, rather than guessed from EPCIs
or arrondissements (other groupings, not zones d'emploi).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.models import ZoneEmploi
from parcours.search.normalize import fold

MISSING_MAP = (
    "zone « bassin » impossible : la correspondance officielle commune → zone d'emploi 2020 "
    "(INSEE) n'est pas importée (fichier knowledge/regions/<région>/zones_emploi.csv, colonnes "
    "insee,ze2020,libze2020, import « zones_emploi ») ; indiquez plutôt une zone region, "
    "departement ou commune"
)


class EmploymentAreas:
    """The zones d'emploi of the imported map, by code and by folded name."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(ZoneEmploi.ze2020, ZoneEmploi.libze2020).distinct())
        self.names: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        for code, name in rows:
            self.names[code] = name
            self._by_name[fold(name)] = code

    def code(self, value: str) -> str:
        """The zone d'emploi code ``value`` gives (a code or a name); ValueError (French)."""
        if not self.names:
            raise ValueError(MISSING_MAP)
        text = value.strip()
        if text in self.names:
            return text
        found = self._by_name.get(fold(text.removeprefix("ZE ").removeprefix("ze ")))
        if found is None:
            raise ValueError(
                f"zone d'emploi « {text} » inconnue de la correspondance importée "
                "(code ze2020 ou libellé libze2020 attendu)"
            )
        return found
