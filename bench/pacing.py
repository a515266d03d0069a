"""Pacing and reporting shared by the load benchmarks (bench/load.py, bench/load_web.py).

Closed loop: each seat thinks a random time in `--think` (min,max) between turns. Open loop
(`--rate R`): idle seats wait for a ticket; the pacer hands out R tickets/s (Poisson
arrivals) and counts those offered while every seat was busy (`skipped`). Both raise `Stop`
once the measured period is over.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from bench.stack import ROOT

Think = Callable[[], Awaitable[None]]


class Stop(Exception):
    """The measured period is over: no new turn."""


class Pacer:
    """The think times of closed loop and the tickets of open loop, until `end`."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.end = 0.0
        self.idle: deque[asyncio.Future[None]] = deque()
        self.skipped = 0

    def _think(self, rng: random.Random) -> Think:
        low, high = self.args.think

        async def closed_loop() -> None:
            pause = rng.uniform(low, high)
            if time.time() + pause >= self.end:
                raise Stop
            await asyncio.sleep(pause)

        async def open_loop() -> None:
            if time.time() >= self.end:
                raise Stop
            ticket = asyncio.get_running_loop().create_future()
            self.idle.append(ticket)
            await ticket  # Stop is set as its exception at the end

        return open_loop if self.args.rate else closed_loop

    async def _pace(self) -> None:
        """Open loop: `--rate` turns/s offered to idle seats (Poisson arrivals)."""
        rng = random.Random(self.args.seed)
        next_at = time.time()
        while True:
            next_at += rng.expovariate(self.args.rate)
            await asyncio.sleep(max(0.0, next_at - time.time()))
            if time.time() >= self.end:
                break
            while self.idle and self.idle[0].done():
                self.idle.popleft()
            if self.idle:
                self.idle.popleft().set_result(None)
            else:
                self.skipped += 1  # every seat is busy: offered load not delivered
        while self.idle:
            ticket = self.idle.popleft()
            if not ticket.done():
                ticket.set_exception(Stop())

    async def _measure(
        self, seat: Callable[[int], Coroutine[Any, Any, None]]
    ) -> tuple[float, float, set[asyncio.Task[None]]]:
        """Run `--users` seats for `--seconds` (with the pacer in open loop), then wait up to
        `--drain` for them; (start, measured seconds, seats still running)."""
        start = time.time()
        self.end = start + self.args.seconds
        seats = [asyncio.create_task(seat(i)) for i in range(self.args.users)]
        pacer = asyncio.create_task(self._pace()) if self.args.rate else None
        await asyncio.sleep(self.args.seconds)
        if pacer is not None:
            await pacer
        measured = time.time() - start
        _, pending = await asyncio.wait(seats, timeout=self.args.drain)
        return start, measured, pending


def load_label(args: argparse.Namespace) -> str:
    """The load column of a README row: open loop rate or closed loop think times."""
    if args.rate:
        return f"open loop {args.rate:g}/s"
    return f"think {args.think[0]:g}–{args.think[1]:g} s"


def write_report(
    args: argparse.Namespace, result: dict[str, Any], prefix: str, suffix: str, table: list[str]
) -> int:
    """Write results/<prefix>-<time>-<mode><suffix>.json, print the figures and the table;
    exit code 0 when no turn was lost."""
    report = {
        "label": args.label,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "result": result,
    }
    args.results.mkdir(exist_ok=True)
    mode = f"rate{args.rate:g}" if args.rate else f"users{args.users}"
    out = args.results / f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{mode}{suffix}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(json.dumps(result, indent=1, ensure_ascii=False))
    for line in table:
        print(line)
    print(f"results: {out}", file=sys.stderr)
    return 0 if result["lost"] == 0 else 1
