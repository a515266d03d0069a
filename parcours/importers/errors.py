"""The error an import raises when a file is refused, and the memo of per-value lookups."""

from __future__ import annotations

from collections.abc import Callable


class ImportFailedError(Exception):
    """The file has errors; nothing was written. `errors` are line-numbered French messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} erreur(s), rien n'a été importé")
        self.errors = errors


def remembered(cache: dict[str, str | ValueError], key: str, resolve: Callable[[str], str]) -> str:
    """`resolve(key)`, computed once per key: a file repeats the same town or métier on many
    lines, and an error (ValueError, French) is remembered and raised again like an answer."""
    found = cache.get(key)
    if found is None:
        try:
            found = resolve(key)
        except ValueError as exc:
            found = exc
        cache[key] = found
    if isinstance(found, ValueError):
        raise found
    return found
