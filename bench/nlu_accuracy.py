"""NLU accuracy on the held-out set (tests/rasa/heldout_nlu.yml), tuned vs stock pipeline.

Runs in .venv-rasa (`make bench-nlu`). Trains an NLU-only model per config on nlu_data/
(the held-out phrasings are never trained on), parses every held-out example, and prints:
top-level intent macro-F1, FAQ sub-intent (faq/<key>) macro-F1, the most frequent
confusions, training time, parse latency, and how the FallbackClassifier threshold trades
false rejections against caught errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def load_heldout(path: Path) -> list[tuple[str, str]]:
    """(text, gold label) pairs; entity annotations are reduced to their surface text."""
    import re

    pairs = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                text = re.sub(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})", r"\1", line[2:])
                pairs.append((text, block["intent"]))
    return pairs


def train(config: Path, out: Path, name: str) -> float:
    """Train an NLU-only model; returns the wall time in seconds."""
    start = time.monotonic()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "nlu",
            "--nlu",
            "nlu_data",
            "--config",
            str(config),
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - start


async def predict(model: Path, texts: list[str]) -> tuple[list[dict[str, Any]], list[float]]:
    """Parse results and per-message latencies (ms)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    results, latencies = [], []
    for text in texts:
        start = time.perf_counter()
        results.append(await agent.parse_message(text))
        latencies.append((time.perf_counter() - start) * 1000)
    return results, latencies


def label_of(result: dict[str, Any], with_fallback: bool) -> tuple[str, float]:
    """Predicted label (faq/<key> for FAQ) and the classifier's confidence."""
    ranking = [r for r in result.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    top = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 0.0}
    name = result["intent"]["name"] if with_fallback else top["name"]
    if name == "faq":
        key = result.get("response_selector", {}).get("faq", {}).get("response", {})
        name = key.get("intent_response_key") or "faq"
    return name, float(top["confidence"])


def report(name: str, gold: list[str], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures for one config."""
    raw = [label_of(r, with_fallback=False) for r in results]
    pred = [p for p, _ in raw]
    top = lambda label: label.split("/")[0]  # noqa: E731
    faq_idx = [i for i, g in enumerate(gold) if g.startswith("faq/")]
    faq_gold = [gold[i] for i in faq_idx]
    figures = {
        "config": name,
        "examples": len(gold),
        "intent_macro_f1": f1_score(
            [top(g) for g in gold], [top(p) for p in pred], average="macro", zero_division=0
        ),
        "faq_macro_f1": f1_score(
            faq_gold,
            [pred[i] for i in faq_idx],
            labels=sorted(set(faq_gold)),
            average="macro",
            zero_division=0,
        ),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "confusions": Counter(
            pair for pair in zip(gold, pred, strict=True) if pair[0] != pair[1]
        ).most_common(12),
        "threshold": [],
    }
    scored = [(p == g, c) for g, (p, c) in zip(gold, raw, strict=True)]
    for threshold in THRESHOLDS:
        kept_right = sum(1 for right, c in scored if right and c >= threshold)
        rejected_right = sum(1 for right, c in scored if right and c < threshold)
        caught_wrong = sum(1 for right, c in scored if not right and c < threshold)
        wrong = sum(1 for right, _ in scored if not right)
        figures["threshold"].append(
            {
                "threshold": threshold,
                "answered_right": kept_right,
                "false_rejections": rejected_right,
                "errors_caught": caught_wrong,
                "errors": wrong,
            }
        )
    return figures


def print_figures(f: dict[str, Any]) -> None:
    """Human-readable output (copied into README.md)."""
    print(f"\n=== {f['config']} ({f['examples']} held-out examples) ===")
    print(f"training time           {f['train_seconds']:.0f} s")
    print(f"parse latency p50/p95   {f['p50_ms']:.1f} / {f['p95_ms']:.1f} ms")
    print(f"top-level intent macro-F1  {f['intent_macro_f1']:.3f}")
    print(f"FAQ faq/<key> macro-F1     {f['faq_macro_f1']:.3f}")
    print(f"exact-label accuracy       {f['accuracy']:.3f}")
    print("most frequent confusions (gold → predicted: count):")
    for (gold, pred), count in f["confusions"]:
        print(f"  {gold} → {pred}: {count}")
    print(
        "FallbackClassifier threshold: "
        "answered right / false rejections / errors caught of all errors"
    )
    for row in f["threshold"]:
        print(
            f"  {row['threshold']:.1f}: {row['answered_right']} / {row['false_rejections']} / "
            f"{row['errors_caught']} of {row['errors']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heldout", default="tests/rasa/heldout_nlu.yml")
    parser.add_argument("--out", default="results/bench-nlu")
    parser.add_argument(
        "--configs", nargs="+", default=["tuned=config.yml", "stock=bench/config_default.yml"]
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    pairs = load_heldout(ROOT / args.heldout)
    texts, gold = [t for t, _ in pairs], [g for _, g in pairs]
    out = ROOT / args.out
    all_figures = []
    for spec in args.configs:
        name, config = spec.split("=", 1)
        seconds = train(ROOT / config, out, name)
        results, latencies = asyncio.run(predict(out / f"{name}.tar.gz", texts))
        figures = report(name, gold, results)
        figures.update(
            train_seconds=seconds,
            p50_ms=statistics.median(latencies),
            p95_ms=statistics.quantiles(latencies, n=20)[18],
        )
        print_figures(figures)
        all_figures.append(figures)
    if args.json:
        Path(args.json).write_text(
            json.dumps(all_figures, indent=2, ensure_ascii=False, default=str)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
