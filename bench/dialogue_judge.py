"""Judge the assistant's first answer to a real question: right, clarifying question, honest
"I don't know" (with a referral), or wrong.

The judge reads only what a user sees (the replay output: texts, buttons, hand-off state),
never Rasa's internals, so it measures the whole pipeline as a black box. It recognises:

- a FAQ answer by its text (each catalogue answer, tu and vous, from knowledge/faq/);
- the start of a search by the question each form asks first, or by its results;
- a clarifying question by its FAQ-candidate buttons (`/faq_confirm{…}`);
- an honest answer by the domain's "I can't answer" texts, the catalogue's no-source entries
  and the referral they carry (the free number or a "talk to a person" button);
- a hand-off by the `handoff` field (`waiting` or `human`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parcours.faq import catalogue, catalogue_of
from parcours.search.normalize import fold

ROOT = Path(__file__).resolve().parents[1]

#: Outcome classes, in the order the report prints them.
RIGHT, CLARIFY, UNKNOWN, WRONG = "right", "clarify", "unknown", "wrong"

#: First questions and result texts of each search, on folded text.
_FLOW_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ministage", re.compile(r"stage decouverte|mini stage|en quelle classe|tu es en quelle")),
    ("ambassador", re.compile(r"ambassadeur|comment (veux tu|souhaitez vous) echanger")),
    ("where", re.compile(r"quelle est la situation|tu habites dans quelle|en ce moment tu es")),
]
#: Questions of the search forms, by slot (folded).
_SLOT_QUESTIONS = {
    "metier": re.compile(r"quel metier"),
    "town": re.compile(r"pres de quelle commune|dans quelle commune|tu habites dans quelle"),
}
_REFERRAL = re.compile(r"numero gratuit|parcours metier|conseiller|0 ?800 ?122 ?500|une personne")
_HONEST = re.compile(
    r"je n ai pas d information fiable|je ne peux pas (t|vous) aider|je n ai pas bien compris"
    r"|je ne sais pas|je ne suis pas sur|pas (la|une) reponse (fiable|sure)|je prefere ne pas"
    r"|n est pas dans ce que je sais"
)


@dataclass(frozen=True)
class Verdict:
    """How one answer was judged."""

    outcome: str  # right | clarify | unknown | wrong
    what: str  # what the answer was: faq:<key>, flow:<name>, clarify, unknown, handoff, other
    detail: str = ""
    candidates: tuple[str, ...] = ()


@dataclass
class Judge:
    """Built once from the catalogue; judges replay outputs against a question's labels."""

    answers: list[tuple[str, str]] = field(default_factory=list)  # (folded fingerprint, key)
    honest_keys: frozenset[str] = frozenset()

    @classmethod
    def build(cls, region: str | None = None) -> Judge:
        """Fingerprints of every answer (tu and vous) of a region's catalogue (REGION's by
        default)."""
        answers = []
        honest = set()
        for entry in (catalogue_of(region) if region else catalogue()).entries:
            if entry.sources == ["none"]:
                honest.add(entry.key)
            for text in (entry.answer, entry.answer_vous):
                piece = max(re.split(r"\{[a-z_]+\}", text), key=len)
                answers.append((fold(piece)[:80], entry.key))
        return cls(answers=answers, honest_keys=frozenset(honest))

    def faq_key(self, folded: str) -> str | None:
        """The catalogue key whose answer this text contains, if any."""
        return next((key for print_, key in self.answers if print_ and print_ in folded), None)

    def describe(self, output: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
        """(what the answer was, FAQ candidates offered, asked slot) from a replay output."""
        replies = output.get("replies") or []
        raw = " ".join(str(r.get("text") or "") for r in replies)
        folded = fold(raw)
        buttons = [b for r in replies for b in r.get("buttons") or []]
        payloads = [str(b.get("payload") or "") for b in buttons]
        candidates = tuple(
            json.loads("{" + p.partition("{")[2]).get("faq_key", "")
            for p in payloads
            if p.startswith("/faq_confirm{")
        )
        if output.get("handoff") in ("waiting", "human"):
            return "handoff", candidates, ""
        key = self.faq_key(folded)
        if key is not None:
            return f"faq:{key}", candidates, ""
        if len(candidates) >= 2 or (candidates and "?" in raw) or "/deny" in payloads:
            # A question with the candidate answers (or moves) as buttons, and a way out.
            offered = candidates or tuple(p for p in payloads if p not in ("/deny", "/ask_human"))
            return "clarify", offered, ""
        asked = next((slot for slot, q in _SLOT_QUESTIONS.items() if q.search(folded)), "")
        for flow, pattern in _FLOW_PATTERNS:
            if pattern.search(folded):
                return f"flow:{flow}", candidates, asked
        if _HONEST.search(folded) and (
            _REFERRAL.search(folded) or any(p == "/ask_human" for p in payloads)
        ):
            return "unknown", candidates, ""
        if asked:  # a search question whose form is not told by its words
            return "flow:search", candidates, asked
        return "other", candidates, ""

    def judge(self, question: dict[str, Any], output: dict[str, Any]) -> Verdict:
        """The verdict for one question (its `accept` labels) and the assistant's answer."""
        accept = set(question["accept"])
        what, candidates, asked = self.describe(output)
        if "error" in output:
            return Verdict(WRONG, "error", str(output["error"]))
        if what == "handoff":
            return Verdict(RIGHT if "handoff" in accept else UNKNOWN, what)
        if what.startswith("faq:"):
            if what in accept:
                return Verdict(RIGHT, what)
            if "unknown" in accept and what[4:] in self.honest_keys and len(accept) == 1:
                # An honest "no reliable information" entry, but about another topic.
                return Verdict(WRONG, what, "honest entry about another topic")
            return Verdict(WRONG, what)
        if what == "clarify":
            hit = any(f"faq:{c}" in accept for c in candidates)
            return Verdict(CLARIFY, what, "right option offered" if hit else "", candidates)
        if what.startswith("flow:"):
            flows = {a for a in accept if a.startswith("flow:")}
            if what in flows or (what == "flow:search" and flows - {"flow:where"}):
                given = question.get("slots") or {}
                if asked and asked in given:
                    return Verdict(CLARIFY, what, f"asks again for the {asked} already given")
                return Verdict(RIGHT, what)
            return Verdict(WRONG, what)
        if what == "unknown":
            return Verdict(RIGHT if "unknown" in accept else UNKNOWN, what)
        return Verdict(WRONG, what, "no answer, no referral")


def load_questions(path: Path) -> list[dict[str, Any]]:
    """The real-questions set (JSON lines)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
