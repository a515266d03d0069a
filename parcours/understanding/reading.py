"""The three readings of a message, put together for the FAQ decision."""

from __future__ import annotations

from collections.abc import Container, Sequence

from parcours.faq import catalogue
from parcours.understanding.decision import FAQ, Reading
from parcours.understanding.semantic import lexical_index, semantic_index


def _in_region(label: str, known: Container[str]) -> bool:
    """A label the region may answer: not a FAQ key, or a key of its catalogue."""
    return not label.startswith(FAQ) or label.removeprefix(FAQ) in known


def read_message(text: str, selector: Sequence[tuple[str, float]]) -> Reading:
    """The ResponseSelector's ranking with the nearest examples of `text` by words and by
    meaning, all three restricted to the keys of the REGION's catalogue: the model knows
    every pack's keys, and another region's key is unknown here (clarify or abstain)."""
    known = catalogue().by_key()
    kept = [(key, confidence) for key, confidence in selector if key in known]
    if not text.strip():
        return Reading(kept)
    words = [(s.label, s.score) for s in lexical_index().rank(text) if _in_region(s.label, known)]
    meaning = [
        (s.label, s.score) for s in semantic_index().rank(text) if _in_region(s.label, known)
    ]
    return Reading(kept, words, meaning)
