"""Answer, ask, or abstain: what to do with a message Rasa read as a FAQ question.

Three readings vote: Rasa's ResponseSelector (its first FAQ key, when confident enough),
the nearest training examples by words and the nearest by meaning
(parcours/understanding/semantic.py). A wrong answer to a minor is worse than "je ne sais
pas", so the assistant answers only when two readings name the same entry (or when the
selector is sure and the words agree it is close); says honestly that the question is off
its topics when the closest examples are off-topic ones; asks "tu parles de … ?" when a
reading is plausible alone; and otherwise says it does not know, with the free number and a
person.

The thresholds were chosen on the dev part of the real-questions set (`make bench-dialogue`
prints the curve); they live in `THRESHOLDS`, not in the code paths.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

FAQ = "faq/"
OFF_TOPIC = "out_of_scope"


class Move(StrEnum):
    """What the assistant does with the message."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    ABSTAIN = "abstain"


@dataclass(frozen=True)
class Thresholds:
    """Where the decision changes (selector confidences 0–1, example similarities cosine)."""

    #: A reading votes for its first answer from this confidence / similarity.
    vote_selector: float = 0.2
    vote_words: float = 0.25
    vote_meaning: float = 0.65
    #: The selector answers alone from this confidence, if its answer is among the words'
    #: first three.
    alone: float = 0.8
    #: A reading's first answer is offered in a clarifying question from this score.
    offer_selector: float = 0.3
    offer_words: float = 0.4


THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Decision:
    """The move and the FAQ keys it concerns (one to answer, one or two to offer)."""

    move: Move
    keys: tuple[str, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class Reading:
    """The three readings of one message.

    `selector`: FAQ keys with the ResponseSelector's confidences, best first; `words` and
    `meaning`: every training label (`faq/<key>`, `out_of_scope`…) with its similarity, best
    first.
    """

    selector: Sequence[tuple[str, float]]
    words: Sequence[tuple[str, float]] = field(default_factory=list)
    meaning: Sequence[tuple[str, float]] = field(default_factory=list)


def _first(ranking: Sequence[tuple[str, float]]) -> tuple[str, float]:
    return ranking[0] if ranking else ("", 0.0)


def decide(reading: Reading, t: Thresholds = THRESHOLDS) -> Decision:
    """The move for a message read as a FAQ question."""
    key, confidence = _first(reading.selector)
    word_label, word_score = _first(reading.words)
    meaning_label, meaning_score = _first(reading.meaning)
    votes: Counter[str] = Counter()
    if key and confidence >= t.vote_selector:
        votes[key] += 1
    if word_label.startswith(FAQ) and word_score >= t.vote_words:
        votes[word_label.removeprefix(FAQ)] += 1
    if meaning_label.startswith(FAQ) and meaning_score >= t.vote_meaning:
        votes[meaning_label.removeprefix(FAQ)] += 1
    if votes:
        best, count = votes.most_common(1)[0]
        if count >= 2:
            return Decision(Move.ANSWER, (best,), f"{count} readings agree")
    words_top3 = [label.removeprefix(FAQ) for label, _ in reading.words[:3]]
    if key and confidence >= t.alone and key in words_top3:
        return Decision(Move.ANSWER, (key,), "selector sure, words close")
    if word_label == OFF_TOPIC:
        return Decision(Move.ABSTAIN, why="closest examples are off topic")
    offered = []
    if key and confidence >= t.offer_selector:
        offered.append(key)
    word_key = word_label.removeprefix(FAQ)
    if word_label.startswith(FAQ) and word_score >= t.offer_words and word_key not in offered:
        offered.append(word_key)
    if offered:
        return Decision(Move.CLARIFY, tuple(offered), "plausible, not sure")
    return Decision(Move.ABSTAIN, why="no plausible answer")


#: « j'ai 20 ans », « jai 25ans », « g 19 ans »: the age a writer gives of themselves.
_OWN_AGE_RE = re.compile(r"\b(?:j'?\s?ai|jai|g)\s+(?P<age>\d{1,2})\s?ans\b", re.IGNORECASE)
ADULT = 18


def stated_age(text: str) -> int | None:
    """The age the writer says they are (« j'ai 20 ans »), if any."""
    match = _OWN_AGE_RE.search(text.replace("’", "'"))
    return int(match.group("age")) if match else None


def for_an_adult(decision: Decision, minors_only: Collection[str]) -> Decision:
    """The decision for someone who says they are an adult: answers about minors only are
    neither given nor offered (the other offers stay; nothing left → abstain)."""
    keys = tuple(k for k in decision.keys if k not in minors_only)
    if keys == decision.keys:
        return decision
    if decision.move is Move.CLARIFY and keys:
        return Decision(Move.CLARIFY, keys, decision.why + "; minors' topics left out")
    return Decision(Move.ABSTAIN, why="an adult asked; the answer is about minors")
