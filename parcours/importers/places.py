"""The commune a cell of an import means: an INSEE code, a postal code with the town name
(``14400 Bayeux``, ``Bayeux (14400)``), or a name alone (``Bayeux``, ``Saint-Martin (50)``).

Only the communes already in the database count. A postal code shared by several communes is
decided by the name; a five-digit code that is the INSEE code of one commune and the postal
code of another is never guessed (``14400``: INSEE code of Le Manoir, postal code of Bayeux)
unless the file is declared to hold INSEE codes (``insee_codes``, the shipped files).
Anything that stays ambiguous is an error listing the candidates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.importers.errors import remembered
from parcours.models import Commune
from parcours.search import communes as search
from parcours.search.normalize import normalize_commune_query

_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
_CODE_IN_TEXT = re.compile(
    r"(?<![\dA-Z])(\d{2})\s?(\d{3})(?!\d)|(?<![\dA-Z])(2[AB]\d{3})(?!\d)", re.IGNORECASE
)
_PUNCTUATION = re.compile(r"[()\[\],;]")
#: How close the name given with a code must be to the commune's (rapidfuzz ratio, 0–100).
NAME_CUTOFF = 85.0
#: The score of an exact match on a short form of a name ("cherbourg"), accepted when unique.
SHORT_FORM = 95.0
_SHOWN = 6


class Places:
    """Resolve commune cells against the communes of the database (built once per import)."""

    def __init__(self, session: Session, *, insee_codes: bool = False) -> None:
        self.insee_codes = insee_codes
        columns = (
            Commune.insee,
            Commune.nom,
            Commune.codes_postaux,
            Commune.departement,
            Commune.region,
            Commune.epci,
            Commune.epci_nom,
            Commune.population,
        )
        self._rows = [
            search.Commune(
                insee=insee,
                nom=nom,
                codes_postaux=tuple(postal.split()),
                departement=departement,
                region=region,
                epci=epci,
                epci_nom=epci_nom,
                population=population,
            )
            for insee, nom, postal, departement, region, epci, epci_nom, population in (
                session.execute(select(*columns))
            )
        ]
        self._by_insee = {row.insee: row for row in self._rows}
        self._by_postal: dict[str, list[search.Commune]] = defaultdict(list)
        for row in sorted(self._rows, key=lambda row: -(row.population or 0)):
            for code in row.codes_postaux:
                self._by_postal[code].append(row)
        self._index: search.CommuneIndex | None = None
        self._cache: dict[str, str | ValueError] = {}

    def commune(self, value: str) -> str:
        """The INSEE code of the commune ``value`` means, or ValueError (French)."""
        text = " ".join(value.split())
        if not text:
            raise ValueError("valeur obligatoire")
        return remembered(self._cache, text, self._resolve)

    # --- internals ------------------------------------------------------------------------

    def _resolve(self, text: str) -> str:
        if _CODE.fullmatch(text.upper()):
            return self._code_alone(text.upper())
        match = _CODE_IN_TEXT.search(text)
        if match is not None:
            code = (match[3] or match[1] + match[2]).upper()
            name = _PUNCTUATION.sub(" ", text[: match.start()] + " " + text[match.end() :])
            return self._code_and_name(code, name)
        return self._name_alone(text)

    def _code_alone(self, code: str) -> str:
        commune = self._by_insee.get(code)
        sharing = self._by_postal.get(code, [])
        others = [row for row in sharing if commune is None or row.insee != commune.insee]
        if commune is not None and (self.insee_codes or not others):
            return commune.insee
        if self.insee_codes:
            hint = f" ; c'est le code postal de {_listed(sharing)}" if sharing else ""
            raise ValueError(f"« {code} » n'est le code INSEE d'aucune commune connue{hint}")
        if commune is None and len(sharing) == 1:
            return sharing[0].insee
        if commune is None and not sharing:
            raise ValueError(f"« {code} » n'est ni un code INSEE ni un code postal connu")
        example = f"« {code} {(others or sharing)[0].nom} »"
        if commune is None:
            raise ValueError(
                f"le code postal {code} est celui de plusieurs communes : {_listed(sharing)} ; "
                f"ajoutez le nom de la commune, par exemple {example}"
            )
        raise ValueError(
            f"« {code} » est le code INSEE de {commune.nom} mais aussi le code postal de "
            f"{_listed(others)} ; ajoutez le nom de la commune, par exemple {example} "
            f"ou « {code} {commune.nom} » (ou importez avec --codes-insee si la colonne ne "
            "contient que des codes INSEE)"
        )

    def _code_and_name(self, code: str, name: str) -> str:
        candidates = {row.insee: row for row in self._by_postal.get(code, [])}
        if code in self._by_insee:
            candidates.setdefault(code, self._by_insee[code])
        if not candidates:
            raise ValueError(f"« {code} » n'est ni un code INSEE ni un code postal connu")
        wanted = normalize_commune_query(name)
        if not wanted:
            return self._code_alone(code)
        scores = {insee: _similarity(wanted, row.nom) for insee, row in candidates.items()}
        best = max(scores.values())
        top = [candidates[insee] for insee, score in scores.items() if score == best]
        if best < NAME_CUTOFF:
            raise ValueError(
                f"aucune commune « {name.strip()} » sous le code {code} : "
                f"{_listed(candidates.values())}"
            )
        if len(top) > 1:
            raise ValueError(f"« {code} {name.strip()} » est ambigu : {_listed(top)}")
        return top[0].insee

    def _name_alone(self, text: str) -> str:
        if self._index is None:
            self._index = search.CommuneIndex(self._rows, warm_regions=())
        matches = self._index.find(text, limit=20)
        for floor in (100.0, SHORT_FORM):
            sure = [m for m in matches if m.score >= floor]
            if len(sure) == 1:
                return sure[0].insee
            if sure:
                raise ValueError(
                    f"plusieurs communes s'appellent « {text} » : {_listed(sure)} ; "
                    "ajoutez le code postal, par exemple "
                    f"« {sure[0].codes_postaux[0] if sure[0].codes_postaux else sure[0].insee} "
                    f"{sure[0].nom} »"
                )
        close = f" ; communes proches : {_listed(matches)}" if matches else ""
        raise ValueError(f"commune inconnue « {text} »{close}")


def _similarity(wanted: str, nom: str) -> float:
    """How close a folded name is to a commune's: 100 when equal, :data:`SHORT_FORM` for the
    first words of a longer name ("cherbourg" for Cherbourg-en-Cotentin), else the ratio."""
    name = normalize_commune_query(nom)
    if wanted == name:
        return 100.0
    if name.startswith(wanted + " "):
        return SHORT_FORM
    return fuzz.ratio(wanted, name)


def _listed(communes: Iterable[search.Commune | search.CommuneMatch]) -> str:
    rows = list(communes)
    shown = [
        f"{row.nom} ({row.departement}, INSEE {row.insee}"
        + (f", CP {' '.join(row.codes_postaux[:3])})" if row.codes_postaux else ")")
        for row in rows[:_SHOWN]
    ]
    more = f" et {len(rows) - _SHOWN} autres" if len(rows) > _SHOWN else ""
    return ", ".join(shown) + more
