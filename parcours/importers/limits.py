"""What a column may hold in the database: text lengths (from the model's ``String(n)``) and
integer ranges, checked before writing so that SQLite and PostgreSQL refuse the same rows."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, String, inspect

from parcours.db.base import Base

_INTEGER_MAX = {Integer: 2**31 - 1, BigInteger: 2**63 - 1}


@cache
def text_lengths(model: type[Base]) -> dict[str, int]:
    """Column name → maximum length, for the model's bounded text columns."""
    lengths: dict[str, int] = {}
    for column in inspect(model).columns:
        if isinstance(column.type, String) and column.type.length:
            lengths[column.key] = column.type.length
    return lengths


@cache
def integer_bounds(model: type[Base]) -> dict[str, int]:
    """Column name → largest absolute value, for the model's integer columns."""
    bounds: dict[str, int] = {}
    for column in inspect(model).columns:
        for kind, largest in _INTEGER_MAX.items():
            if type(column.type) is kind:
                bounds[column.key] = largest
    return bounds


def limit_errors(model: type[Base], row: dict[str, Any]) -> list[str]:
    """French messages (without line number) for the values of ``row`` the database refuses."""
    errors = []
    lengths, bounds = text_lengths(model), integer_bounds(model)
    for name, value in row.items():
        if isinstance(value, str) and len(value) > lengths.get(name, len(value)):
            errors.append(
                f"colonne « {name} » : {len(value)} caractères, au plus {lengths[name]} "
                f"(« {value[:30]}… »)"
            )
        elif isinstance(value, int) and abs(value) > bounds.get(name, abs(value)):
            errors.append(f"colonne « {name} » : {value} est trop grand (au plus {bounds[name]})")
    return errors
