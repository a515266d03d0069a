"""What the assistant says when someone asks for an ambassador by bassin d'emploi.

The ambassadors' charter (a region pack's source) lets an ambassador intervene in a bassin
d'emploi; the assistant can only honour that with the official commune → zone d'emploi map
(parcours/importers/zones.py). Asked "un ambassadeur dans le bassin d'emploi de Metz", it says
what it does instead of pretending: with the map, which zone d'emploi the town is in; without
it, that it searches by town, department and region.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from parcours.models import ZoneEmploi
from parcours.search.normalize import fold

_WORDS = ("bassin", "zone d emploi", "zones d emploi")

_NO_MAP = {
    "tu": "Je ne connais pas les limites officielles des bassins d'emploi (les zones d'emploi "
    "de l'INSEE) : je ne peux donc pas chercher par bassin. Je te montre d'abord les "
    "ambassadeurs qui interviennent à {town}, dans son département ou dans toute la région, "
    "puis les plus proches.",
    "vous": "Je ne connais pas les limites officielles des bassins d'emploi (les zones "
    "d'emploi de l'INSEE) : je ne peux donc pas chercher par bassin. Je vous montre d'abord "
    "les ambassadeurs qui interviennent à {town}, dans son département ou dans toute la "
    "région, puis les plus proches.",
}
_WITH_MAP = {
    "tu": "{town} fait partie de la zone d'emploi « {area} » (INSEE) : je te montre d'abord "
    "les ambassadeurs qui interviennent sur ce bassin, à {town}, dans son département ou dans "
    "toute la région, puis les plus proches.",
    "vous": "{town} fait partie de la zone d'emploi « {area} » (INSEE) : je vous montre "
    "d'abord les ambassadeurs qui interviennent sur ce bassin, à {town}, dans son département "
    "ou dans toute la région, puis les plus proches.",
}


def asks_for_bassin(texts: Iterable[str]) -> bool:
    """Whether one of the user's messages speaks of a bassin (zone) d'emploi."""
    return any(word in fold(text) for text in texts for word in _WORDS)


def bassin_note(session: Session, *, insee: str, town: str, register: str | None) -> str:
    """The sentence that says how a bassin d'emploi is searched for this town."""
    area = session.get(ZoneEmploi, insee) if insee else None
    key = "vous" if register == "vous" else "tu"
    if area is None:
        return _NO_MAP[key].format(town=town)
    return _WITH_MAP[key].format(town=town, area=area.libze2020)
