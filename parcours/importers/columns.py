"""Column parsers for CSV imports: each returns a value or raises ValueError (French text)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

Parser = Callable[[str], Any]

_TRUE = {"1", "true", "vrai", "oui", "yes", "o", "x"}
_FALSE = {"0", "false", "faux", "non", "no", "n", ""}
_ROME_CODE = re.compile(r"[A-N]\d{4}")
_ROME_SEPARATORS = re.compile(r"[\s,|]+")
_ROME_HINT = "une lettre de A à N suivie de 4 chiffres, par exemple D1102"


def text(value: str) -> str:
    """Any text, trimmed."""
    return value.strip()


def optional(value: str) -> str | None:
    """Text, or None when empty (for optional references)."""
    return value.strip() or None


def required(value: str) -> str:
    """Non-empty text."""
    if not value.strip():
        raise ValueError("valeur obligatoire")
    return value.strip()


def integer(minimum: int | None = None, maximum: int | None = None) -> Parser:
    """An integer within bounds; empty means None."""

    def parse(value: str) -> int | None:
        if not value.strip():
            return None
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"« {value} » n'est pas un nombre entier") from None
        if minimum is not None and number < minimum:
            raise ValueError(f"{number} est inférieur au minimum {minimum}")
        if maximum is not None and number > maximum:
            raise ValueError(f"{number} est supérieur au maximum {maximum}")
        return number

    return parse


def decimal(value: str) -> float | None:
    """A decimal number (point or comma); empty means None."""
    if not value.strip():
        return None
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"« {value} » n'est pas un nombre") from None


def web_url(value: str) -> str:
    """An http(s) address without spaces; empty is allowed."""
    url = value.strip()
    if url and (not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", url)):
        raise ValueError(f"« {value} » n'est pas une adresse web (https://…)")
    return url


def boolean(value: str) -> bool:
    """oui/non, true/false, 1/0 (empty is false)."""
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"« {value} » n'est ni oui ni non")


def iso_date(value: str) -> date | None:
    """A date written AAAA-MM-JJ; empty means None."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"« {value} » n'est pas une date AAAA-MM-JJ") from None


def choice(allowed: Iterable[str]) -> Parser:
    """One code out of `allowed`."""
    options = frozenset(allowed)

    def parse(value: str) -> str:
        code = value.strip().lower()
        if code not in options:
            raise ValueError(f"« {value} » n'est pas parmi : {', '.join(sorted(options))}")
        return code

    return parse


def several(allowed: Iterable[str]) -> Parser:
    """One or more codes out of `allowed`, separated by spaces, commas or |."""
    options = frozenset(allowed)

    def parse(value: str) -> str:
        codes = [c for c in value.replace("|", " ").replace(",", " ").lower().split() if c]
        if not codes:
            raise ValueError("au moins une valeur est attendue")
        unknown = [c for c in codes if c not in options]
        if unknown:
            raise ValueError(
                f"inconnu : {', '.join(unknown)} (attendu : {', '.join(sorted(options))})"
            )
        return " ".join(dict.fromkeys(codes))

    return parse


def rome_code(value: str) -> str:
    """One ROME code, e.g. ``D1102`` (a letter A–N and four digits; lower case is accepted)."""
    code = value.strip().upper()
    if not code:
        raise ValueError("valeur obligatoire")
    if not _ROME_CODE.fullmatch(code):
        raise ValueError(f"« {value.strip()} » n'est pas un code ROME ({_ROME_HINT})")
    return code


def rome_codes(limit: int) -> Parser:
    """At most `limit` ROME codes separated by spaces, commas or |; empty means none."""

    def parse(value: str) -> str:
        codes = [code.upper() for code in _ROME_SEPARATORS.split(value.strip()) if code]
        wrong = [code for code in codes if not _ROME_CODE.fullmatch(code)]
        if wrong:
            quoted = ", ".join(f"« {code} »" for code in wrong)
            verb = "ne sont pas des codes" if len(wrong) > 1 else "n'est pas un code"
            raise ValueError(f"{quoted} {verb} ROME ({_ROME_HINT})")
        codes = list(dict.fromkeys(codes))
        if len(codes) > limit:
            raise ValueError(f"au plus {limit} code{'s' if limit > 1 else ''} ROME")
        return " ".join(codes)

    return parse
