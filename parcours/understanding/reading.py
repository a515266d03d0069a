"""The three readings of a message, put together for the FAQ decision."""

from __future__ import annotations

from collections.abc import Sequence

from parcours.faq import catalogue
from parcours.understanding.decision import Reading
from parcours.understanding.semantic import lexical_index, semantic_index


def read_message(text: str, selector: Sequence[tuple[str, float]]) -> Reading:
    """The ResponseSelector's ranking (keys of the catalogue only) with the nearest examples
    of `text` by words and by meaning."""
    known = catalogue().by_key()
    kept = [(key, confidence) for key, confidence in selector if key in known]
    if not text.strip():
        return Reading(kept)
    words = [(s.label, s.score) for s in lexical_index().rank(text)]
    meaning = [(s.label, s.score) for s in semantic_index().rank(text)]
    return Reading(kept, words, meaning)
