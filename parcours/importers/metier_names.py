"""The métier a cell of an import means: its code (``boulanger``), its libellé in either gender
(``Boulangère``), a synonym (``dev web``), a ROME libellé or appellation of a ROME code it
lists (``gardien de la paix``), or a ROME code (``D1102``) that exactly one métier lists.

Texts are compared as the métier search compares them (folded, stemmed:
:func:`parcours.search.normalize.metier_text_key`), but only exact matches are taken: an
import never guesses. A text shared by several métiers is an error listing them; an unknown
one is an error with the closest métiers of the search.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours.importers.errors import remembered
from parcours.models import Metier, RomeMetier
from parcours.search.metiers import MetierIndex, libelle_forms
from parcours.search.normalize import metier_text_key

_ROME_CODE = re.compile(r"[A-N]\d{4}")
_SHOWN = 5


class MetierNames:
    """Resolve métier cells against the métiers of the database (built once per import)."""

    def __init__(self, session: Session) -> None:
        metiers = session.execute(
            select(Metier.code, Metier.libelle, Metier.secteur, Metier.synonymes, Metier.rome)
        ).all()
        rome = session.execute(
            select(RomeMetier.rome_code, RomeMetier.libelle, RomeMetier.appellations)
        ).all()
        self._rows = [
            {"code": m[0], "libelle": m[1], "secteur": m[2], "synonymes": m[3], "rome": m[4]}
            for m in metiers
        ]
        self._libelles = {m.code: m.libelle for m in metiers}
        self._rome_libelles = {r.rome_code: r.libelle for r in rome}
        # Key → codes: own texts (libellé forms, synonyms) first, ROME texts second.
        self._own: dict[str, set[str]] = defaultdict(set)
        self._by_rome_text: dict[str, set[str]] = defaultdict(set)
        self._by_rome_code: dict[str, list[str]] = defaultdict(list)
        rome_texts = {
            r.rome_code: [*libelle_forms(r.libelle), *r.appellations.split("|")] for r in rome
        }
        for m in metiers:
            for text in [m.libelle, *libelle_forms(m.libelle), *m.synonymes.split("|")]:
                self._add(self._own, text, m.code)
            for rome_code in (m.rome or "").split():
                self._by_rome_code[rome_code].append(m.code)
                for text in rome_texts.get(rome_code, ()):
                    self._add(self._by_rome_text, text, m.code)
        self._index: MetierIndex | None = None
        self._cache: dict[str, str | ValueError] = {}

    @staticmethod
    def _add(keyed: dict[str, set[str]], text: str, code: str) -> None:
        key = metier_text_key(text)
        if key:
            keyed[key].add(code)

    def metier(self, value: str) -> str:
        """The code of the métier ``value`` means, or ValueError (French)."""
        text = value.strip()
        if not text:
            raise ValueError("valeur obligatoire")
        return remembered(self._cache, text, self._resolve)

    def _resolve(self, text: str) -> str:
        for code in (text, text.lower()):
            if code in self._libelles:
                return code
        if _ROME_CODE.fullmatch(text.upper()):
            return self._rome_code(text.upper())
        key = metier_text_key(text)
        for keyed in (self._own, self._by_rome_text):
            codes = keyed.get(key, set())
            if len(codes) == 1:
                return next(iter(codes))
            if codes:
                raise ValueError(
                    f"« {text} » désigne plusieurs métiers : {self._listed(sorted(codes))} ; "
                    "écrivez le code du métier"
                )
        raise ValueError(f"métier inconnu « {text} »{self._suggestions(text)}")

    def _rome_code(self, code: str) -> str:
        codes = self._by_rome_code.get(code, [])
        if len(codes) == 1:
            return codes[0]
        if codes:
            raise ValueError(
                f"le code ROME {code} est celui de plusieurs métiers : {self._listed(codes)} ; "
                "écrivez le code du métier"
            )
        libelle = self._rome_libelles.get(code)
        if libelle is None:
            raise ValueError(f"« {code} » n'est pas un code ROME connu")
        raise ValueError(
            f"aucun métier de la liste n'a le code ROME {code} ({libelle}) : mettez ce code "
            "dans la colonne « rome » et le métier le plus proche dans « metier »"
        )

    def _suggestions(self, text: str) -> str:
        if self._index is None:
            self._index = MetierIndex.from_rows(self._rows)
        codes = [match.code for match in self._index.search(text, limit=_SHOWN)]
        return f" ; métiers proches : {self._listed(codes)}" if codes else ""

    def _listed(self, codes: list[str]) -> str:
        return ", ".join(f"{code} ({self._libelles[code]})" for code in codes[:_SHOWN])
