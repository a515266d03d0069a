"""Turn latency through the real pipeline (dialogue → Rasa → actions → database).

Needs `make up`. Sends realistic first-level questions from many simulated users, first one
at a time, then with concurrent senders, and prints latency percentiles and throughput.
Bounded in count and time; talks only to the local services.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid

from bot.__main__ import build_dialogue

MESSAGES = [
    "bonjour",
    "c koi le numero pour le decrochage",
    "un mini stage ca dure combien de temps",
    "comment rencontrer un ambassadeur metier",
    "c'est gratuit ?",
    "je suis en 3e je sais pas quoi faire plus tard",
    "merci",
    "c quoi cleor",
]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def one_user(turns: int, latencies: list[float], errors: list[str]) -> None:
    """A user sending `turns` messages in a row."""
    dialogue, rasa = build_dialogue()
    user = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        for index in range(turns):
            start = time.perf_counter()
            result = await dialogue.handle_text(
                user, MESSAGES[index % len(MESSAGES)], uuid.uuid4().hex
            )
            latencies.append((time.perf_counter() - start) * 1000)
            if not result.replies or "problème technique" in result.replies[0].text:
                errors.append(user)
    finally:
        await rasa.aclose()


async def run(users: int, turns: int) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(one_user(turns, latencies, errors) for _ in range(users)))
    return latencies, errors, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=8, help="turns per user")
    parser.add_argument("--sequential-users", type=int, default=25)
    parser.add_argument("--concurrent-users", type=int, default=20)
    args = parser.parse_args()
    for label, users, concurrent in (
        ("sequential (1 sender at a time)", args.sequential_users, False),
        (f"concurrent ({args.concurrent_users} senders)", args.concurrent_users, True),
    ):
        if concurrent:
            latencies, errors, wall = asyncio.run(run(users, args.turns))
        else:
            latencies, errors, wall = [], [], 0.0
            for _ in range(users):
                lat, err, w = asyncio.run(run(1, args.turns))
                latencies += lat
                errors += err
                wall += w
        rate = len(latencies) / wall
        print(
            f"{label}: {len(latencies)} turns in {wall:.1f} s = {rate:.1f} turns/s; "
            f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
            f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies):.0f} ms; "
            f"errors {len(errors)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
