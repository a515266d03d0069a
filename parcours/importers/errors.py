"""The error an import raises when a file is refused."""

from __future__ import annotations


class ImportFailedError(Exception):
    """The file has errors; nothing was written. `errors` are line-numbered French messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} erreur(s), rien n'a été importé")
        self.errors = errors
