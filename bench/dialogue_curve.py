"""The decision curve of the FAQ thresholds on the dev part of the real-questions set.

Each dev question the NLU reads as a FAQ question is parsed once by the running Rasa
(`/model/parse`, the same model) and read once by the dense index; the decision of
parcours/understanding/decision.py is then replayed offline for a grid of thresholds, and
the bench prints, for each, how many answers would be right or wrong, and how many
clarifying questions and honest abstentions. The shipped thresholds are marked "◀".
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import httpx

from parcours.understanding.decision import THRESHOLDS, Move, Reading, Thresholds, decide
from parcours.understanding.reading import read_message

logging.getLogger("httpx").setLevel(logging.WARNING)

GRID_VOTE_SELECTOR = (0.1, 0.2, 0.3, 0.4)
GRID_VOTE_WORDS = (0.2, 0.25, 0.3, 0.35)


def readings(
    questions: list[dict[str, Any]], env: dict[str, str]
) -> list[tuple[set[str], Reading]]:
    """(accepted outcomes, the three readings) of the questions Rasa reads as a FAQ."""
    out = []
    with httpx.Client(base_url=env["RASA_URL"], timeout=30) as client:
        for question in questions:
            token = {"token": env["RASA_TOKEN"]}
            parsed = client.post("/model/parse", params=token, json={"text": question["text"]})
            parsed = parsed.json()
            if parsed["intent"]["name"] != "faq":
                continue
            ranking = parsed.get("response_selector", {}).get("faq", {}).get("ranking") or []
            selector = [
                (r["intent_response_key"].removeprefix("faq/"), float(r["confidence"]))
                for r in ranking
            ]
            out.append((set(question["accept"]), read_message(question["text"], selector)))
    return out


def outcome_counts(rows: list[tuple[set[str], Reading]], t: Thresholds) -> dict[str, int]:
    """Right / wrong answers, clarifying questions (with the right option or not), abstentions."""
    counts = {"right": 0, "wrong": 0, "clarify_hit": 0, "clarify_miss": 0, "abstain": 0}
    for accept, reading in rows:
        decision = decide(reading, t)
        if decision.move is Move.ANSWER:
            counts["right" if f"faq:{decision.keys[0]}" in accept else "wrong"] += 1
        elif decision.move is Move.CLARIFY:
            hit = any(f"faq:{k}" in accept for k in decision.keys)
            counts["clarify_hit" if hit else "clarify_miss"] += 1
        else:
            counts["abstain"] += 1
    return counts


def print_curve(questions: list[dict[str, Any]], env: dict[str, str]) -> None:
    """The grid of the two main vote thresholds on the dev questions read as FAQ."""
    rows = readings(questions, env)
    print(f"\n-- FAQ decision curve (dev, {len(rows)} questions read as FAQ) --")
    print("  vote: selector  words   right  wrong  clarify(hit/miss)  abstain")
    for selector in GRID_VOTE_SELECTOR:
        for words in GRID_VOTE_WORDS:
            t = replace(THRESHOLDS, vote_selector=selector, vote_words=words)
            c = outcome_counts(rows, t)
            mark = " ◀" if t == THRESHOLDS else ""
            print(
                f"          {selector:5.2f}  {words:5.2f}   {c['right']:5d}  {c['wrong']:5d}  "
                f"{c['clarify_hit']:7d}/{c['clarify_miss']:<7d}  {c['abstain']:7d}{mark}"
            )
