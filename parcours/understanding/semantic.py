"""Two readings of a message that do not come from Rasa: its nearest training examples, by
words (TF-IDF of words and character n-grams) and by meaning (dense WordLlama embeddings).

Rasa's classifiers are confident even when wrong (RASA_NOTES §6). These indexes embed every
training example of `nlu_data/nlu/*.yml` (for the FAQ: the REGION catalogue's examples only,
`region_examples`) and score each label (`faq/<key>`, `out_of_scope`,
`search_ministage`…) by the mean similarity of its closest examples. The FAQ decision
(parcours/understanding/decision.py) answers only when two of the three readings (Rasa's
ResponseSelector and these two) name the same answer.

WordLlama's 16 MB weights ship inside its PyPI wheel (no model hub, no network). Both
indexes (≈ 3,000 examples) are built in about two seconds once per process; a query takes
about eight milliseconds of CPU for both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from parcours import PROJECT_ROOT
from parcours.search.normalize import fold

NLU_DIR = PROJECT_ROOT / "nlu_data" / "nlu"
#: `[shown text](entity)` or `[shown text]{"entity": …}` → shown text.
_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
#: How many of a label's closest examples make its score (their mean; `rank` takes the best two).
TOP_EXAMPLES = 2

Matrix = Any  # a numpy or scipy matrix of row vectors


def plain_example(example: str) -> str:
    """A training example without Rasa's entity markup."""
    return _MARKUP.sub(r"\1", example).strip()


def training_examples(directory: Path = NLU_DIR) -> list[tuple[str, str]]:
    """(label, text) of every intent example in the NLU files (`faq/<key>` for the FAQ)."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            label = block.get("intent")
            if not label:
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = plain_example(line.strip().removeprefix("- "))
                if text:
                    pairs.append((str(label), text))
    return pairs


@dataclass(frozen=True)
class Scored:
    """A label and how close the message is to its nearest examples (cosine, −1…1)."""

    label: str
    score: float


class _Words:
    """TF-IDF of folded words (1–2) and character n-grams (2–5): typos, SMS, key words."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, preprocessor=fold
        )
        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, preprocessor=fold
        )
        self._words.fit(texts)
        self._chars.fit(texts)

    def embed(self, texts: Sequence[str]) -> Matrix:
        both = hstack([self._words.transform(texts), self._chars.transform(texts)])
        return normalize(both.tocsr())


class _Meaning:
    """WordLlama loaded from its wheel (weights and tokenizer inside the package)."""

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        folder = os.path.dirname(wordllama.__file__)
        self._model = WordLlama.load(cache_dir=folder, disable_download=True)

    def embed(self, texts: Sequence[str]) -> Matrix:
        vectors = np.asarray(self._model.embed(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


class NearestExamples:
    """Labels scored by the mean cosine similarity of their closest training examples."""

    def __init__(self, examples: Sequence[tuple[str, str]], embedder: _Words | _Meaning) -> None:
        self._embedder = embedder
        self.labels = sorted({label for label, _ in examples})
        number = {label: i for i, label in enumerate(self.labels)}
        self._label_of_row = np.asarray([number[label] for label, _ in examples])
        counts = np.bincount(self._label_of_row, minlength=len(self.labels))
        self._group_end = np.cumsum(counts)  # rows of a label are contiguous once sorted
        self._has_two = counts >= TOP_EXAMPLES
        self._matrix = embedder.embed([text for _, text in examples])

    def rank(self, text: str) -> list[Scored]:
        """Every label, best first."""
        query = self._embedder.embed([text])
        if hasattr(query, "toarray"):  # sparse: a dense query vector is much faster
            query = query.toarray()
        similarities = np.asarray(self._matrix @ np.asarray(query).ravel()).ravel()
        # Rows sorted by label, then by similarity: each label's best rows end its group.
        order = np.lexsort((similarities, self._label_of_row))
        ordered = similarities[order]
        best = ordered[self._group_end - 1]
        second = np.where(self._has_two, ordered[self._group_end - 2], best)
        scores = (best + second) / TOP_EXAMPLES
        return [
            Scored(self.labels[i], float(scores[i])) for i in np.argsort(-scores, kind="stable")
        ]


@lru_cache(maxsize=4)
def region_examples(code: str) -> tuple[tuple[str, str], ...]:
    """The training data as a region reads it: every non-FAQ intent of the NLU files, and
    the FAQ examples of the region's own catalogue only. The Rasa model is trained on every
    pack's examples (one model), but a key means what the region's answer says: another
    region's phrasings of the same key (one pack's `transitions_pro` may be about ambassadors
    for employees, another's about a phone service) must not pull this region's questions to
    it (docs/NOTES-regions.md)."""
    from parcours.faq import catalogue_of

    pairs = [(label, text) for label, text in training_examples() if not label.startswith("faq/")]
    pairs += [
        (f"faq/{entry.key}", plain_example(example))
        for entry in catalogue_of(code).entries
        for example in entry.examples
    ]
    return tuple(pairs)


def _region(code: str | None) -> str:
    if code is not None:
        return code
    from parcours.settings import get_settings

    return get_settings().region


@lru_cache(maxsize=4)
def _lexical(code: str) -> NearestExamples:
    examples = region_examples(code)
    return NearestExamples(examples, _Words([text for _, text in examples]))


@lru_cache(maxsize=1)
def _meaning_model() -> _Meaning:
    return _Meaning()


@lru_cache(maxsize=4)
def _semantic(code: str) -> NearestExamples:
    return NearestExamples(region_examples(code), _meaning_model())


def lexical_index(code: str | None = None) -> NearestExamples:
    """Nearest examples by words, for a region's training data (REGION's by default; built
    on first use)."""
    return _lexical(_region(code))


def semantic_index(code: str | None = None) -> NearestExamples:
    """Nearest examples by meaning, for a region's training data (REGION's by default; built
    on first use)."""
    return _semantic(_region(code))
