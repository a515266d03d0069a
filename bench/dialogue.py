"""The dialogue benchmark: real people's questions through `python -m bot replay`.

Starts a private Rasa + action server stack (scripts/up.sh on free ports, its own var dir),
sends every question of `eval/real_questions.jsonl` as the first message of a new user
through the replay command (the same pipeline as Telegram), judges each first answer
(bench/dialogue_judge.py) and prints, per part (dev / held-out), role and category: right,
clarifying question, honest "I don't know" and wrong answers; then the wrong answers in full
(dev part only, unless --show-heldout: the held-out part is reported, never tuned on), the
decision curve of the FAQ thresholds on the dev part (bench/dialogue_curve.py), and a
Markdown table for the README.

    .venv/bin/python bench/dialogue.py [--region normandie|grand-est] [--reuse]
        [--split dev|heldout|all] [--show-heldout]

`--region` (default: REGION, else normandie) picks the region pack the stack serves and its
questions: eval/real_questions.jsonl for Normandy, eval/real_questions_<region>.jsonl for
another region (Grand Est: eval/real_questions_grand_est.jsonl). The model is the same.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dialogue_judge import CLARIFY, RIGHT, UNKNOWN, WRONG, Judge, Verdict, load_questions
from bench.stack import PYTHON, ROOT, stack_down, stack_environment, stack_up
from parcours.settings import get_settings

SET = ROOT / "eval" / "real_questions.jsonl"


def questions_of(region: str) -> Path:
    """The real questions of a region (Normandy's set has no suffix)."""
    if region == "normandie":
        return SET
    return ROOT / "eval" / f"real_questions_{region.replace('-', '_')}.jsonl"


GOALS = {"right_in_scope": 85.0, "wrong_all": 5.0, "oos_honest": 90.0}


def replay(questions: list[dict[str, Any]], env: dict[str, str]) -> list[dict[str, Any]]:
    """Each question as the first message of a new user; one output per question, in order."""
    nonce = uuid.uuid4().hex[:6]
    lines = [
        json.dumps({"user": f"bench-{q['id']}-{nonce}", "text": q["text"]}, ensure_ascii=False)
        for q in questions
    ]
    done = subprocess.run(
        [str(PYTHON), "-m", "bot", "replay"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "USER_RATE_LIMIT": "1000"},
        timeout=60 + 30 * len(questions),
        check=False,
    )
    outputs = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(outputs) != len(questions):
        raise RuntimeError(
            f"replay gave {len(outputs)} answers for {len(questions)}:\n{done.stderr[-2000:]}"
        )
    return outputs


def in_scope(question: dict[str, Any]) -> bool:
    """A question is out of scope when an honest "I don't know" is its only right answer."""
    return set(question["accept"]) != {"unknown"}


def figures(rows: list[tuple[dict[str, Any], Verdict]]) -> dict[str, float]:
    """Right / clarify / unknown / wrong shares and the three goals' measures."""
    total = len(rows) or 1
    counts = Counter(v.outcome for _, v in rows)
    scoped = [v for q, v in rows if in_scope(q)]
    outside = [v for q, v in rows if not in_scope(q)]
    return {
        "n": len(rows),
        **{k: 100 * counts[k] / total for k in (RIGHT, CLARIFY, UNKNOWN, WRONG)},
        "right_in_scope": 100 * sum(v.outcome == RIGHT for v in scoped) / (len(scoped) or 1),
        "n_in_scope": len(scoped),
        "wrong_all": 100 * counts[WRONG] / total,
        "oos_honest": 100 * sum(v.outcome == RIGHT for v in outside) / (len(outside) or 1),
        "n_oos": len(outside),
    }


def print_breakdown(title: str, rows: list[tuple[dict[str, Any], Verdict]], field: str) -> None:
    """One line per value of `field` (role, category)."""
    groups: dict[str, list[tuple[dict[str, Any], Verdict]]] = defaultdict(list)
    for question, verdict in rows:
        groups[str(question.get(field, "?"))].append((question, verdict))
    print(f"  by {field}:")
    for name in sorted(groups):
        f = figures(groups[name])
        print(
            f"    {name:<18} n={f['n']:>3}  right {f[RIGHT]:5.1f} %  clarify {f[CLARIFY]:5.1f} %"
            f"  unknown {f[UNKNOWN]:5.1f} %  wrong {f[WRONG]:5.1f} %"
        )


def print_part(name: str, rows: list[tuple[dict[str, Any], Verdict]]) -> dict[str, float]:
    """The figures of one part (dev or held-out)."""
    f = figures(rows)
    print(f"\n== {name}: {f['n']} questions ({f['n_in_scope']} in scope, {f['n_oos']} out) ==")
    print(
        f"  right {f[RIGHT]:.1f} %  clarify {f[CLARIFY]:.1f} %  honest unknown "
        f"{f[UNKNOWN]:.1f} %  wrong {f[WRONG]:.1f} %"
    )
    marks = {
        k: "ok" if (f[k] <= g if k == "wrong_all" else f[k] >= g) else "MISSED"
        for k, g in GOALS.items()
    }
    print(
        f"  goals: right in scope {f['right_in_scope']:.1f} % (≥ 85: {marks['right_in_scope']}),"
        f" wrong {f['wrong_all']:.1f} % (≤ 5: {marks['wrong_all']}), out of scope answered "
        f"honestly {f['oos_honest']:.1f} % (≥ 90: {marks['oos_honest']})"
    )
    print_breakdown(name, rows, "role")
    print_breakdown(name, rows, "category")
    return f


def print_wrong(rows: list[tuple[dict[str, Any], Verdict]], outputs: dict[str, Any]) -> None:
    """Every wrong answer in full, with what was expected."""
    for question, verdict in rows:
        if verdict.outcome != WRONG:
            continue
        texts = " | ".join(r.get("text", "") for r in outputs[question["id"]].get("replies", []))
        print(f"\n[{question['id']}] {question['text']}")
        print(f"  expected {question['accept']}; got {verdict.what} {verdict.detail}")
        print(f"  answer: {texts[:600]}")


def readme_table(parts: dict[str, dict[str, float]]) -> str:
    """The README table of the last run."""
    lines = [
        "| part | questions | right | clarifying | honest unknown | wrong | right (in scope) "
        "| out of scope answered honestly |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in parts.items():
        lines.append(
            f"| {name} | {f['n']} ({f['n_in_scope']} in scope) | {f[RIGHT]:.1f} % "
            f"| {f[CLARIFY]:.1f} % | {f[UNKNOWN]:.1f} % | **{f[WRONG]:.1f} %** "
            f"| {f['right_in_scope']:.1f} % | {f['oos_honest']:.1f} % ({f['n_oos']}) |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default=os.environ.get("REGION") or "normandie")
    parser.add_argument("--set", type=Path, help="questions (default: the region's)")
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    parser.add_argument("--reuse", action="store_true", help="use the running `make up` stack")
    parser.add_argument("--show-heldout", action="store_true", help="also print its errors")
    parser.add_argument("--no-curve", action="store_true", help="skip the threshold curve")
    parser.add_argument("--json", type=Path, help="write every verdict to this file")
    args = parser.parse_args()
    # This process reads the region's catalogue too (judge, threshold curve).
    os.environ["REGION"] = args.region
    get_settings.cache_clear()

    path = args.set or questions_of(args.region)
    questions = [q for q in load_questions(path) if args.split in ("all", q["split"])]
    judge = Judge.build(args.region)
    var = Path(tempfile.mkdtemp(prefix="bench-dialogue-"))
    if args.reuse:  # the stack of `make up`, with scripts/env.sh's defaults
        env = {"RASA_URL": "http://127.0.0.1:5005", "RASA_TOKEN": "dev-rasa-token", **os.environ}
    else:
        env = {**stack_environment(var), "REGION": args.region}
    started = time.monotonic()
    if not args.reuse:
        stack_up(env)
    try:
        outputs_list = replay(questions, env)
        outputs = {q["id"]: o for q, o in zip(questions, outputs_list, strict=True)}
        if not args.no_curve:
            from bench.dialogue_curve import print_curve

            print_curve([q for q in questions if q["split"] == "dev"], env)
    finally:
        if not args.reuse:
            stack_down(env)
    elapsed = time.monotonic() - started
    verdicts = [(q, judge.judge(q, outputs[q["id"]])) for q in questions]
    print(f"{len(questions)} questions answered in {elapsed:.0f} s (stack start included)")
    parts = {}
    for split, label in (("dev", "dev"), ("heldout", "held-out")):
        rows = [(q, v) for q, v in verdicts if q["split"] == split]
        if rows:
            parts[label] = print_part(label, rows)
            if split == "dev" or args.show_heldout:
                print(f"\n-- wrong answers ({label}) --")
                print_wrong(rows, outputs)
    print("\nREADME table:\n" + readme_table(parts))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "id": q["id"],
                        "split": q["split"],
                        "outcome": v.outcome,
                        "what": v.what,
                        "candidates": list(v.candidates),
                        "answer": outputs[q["id"]],
                    }
                    for q, v in verdicts
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
