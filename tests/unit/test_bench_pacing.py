"""The pacing and figures shared by the load benchmarks (bench/pacing.py, the CPU figures of
bench/load.py), without any stack."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
from pathlib import Path

import pytest

from bench.load import run_with_cpu
from bench.pacing import Pacer, Stop, load_label, write_report


def _args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = {
        "think": (0.0, 0.01),
        "rate": 0.0,
        "seed": 1,
        "users": 3,
        "seconds": 0.2,
        "drain": 2.0,
        "label": "t",
    }
    values.update(overrides)
    return argparse.Namespace(**values)


def _run(pacer: Pacer) -> tuple[list[int], float]:
    """Seats counting their turns until Stop; (turns per seat, measured seconds)."""
    turns = [0] * pacer.args.users

    async def seat(index: int) -> None:
        think = pacer._think(random.Random(index))
        try:
            while True:
                await think()
                turns[index] += 1
        except Stop:
            pass

    async def main() -> float:
        _, measured, pending = await pacer._measure(seat)
        assert not pending
        return measured

    return turns, asyncio.run(main())


def test_closed_loop_seats_think_then_stop_at_the_end() -> None:
    turns, measured = _run(Pacer(_args()))
    assert all(n > 0 for n in turns)
    assert measured == pytest.approx(0.2, abs=0.15)


def test_open_loop_hands_out_tickets_and_stops_the_idle_seats() -> None:
    pacer = Pacer(_args(rate=200.0, users=2))
    turns, _ = _run(pacer)
    assert sum(turns) > 0
    assert not pacer.idle


def test_open_loop_counts_the_load_no_seat_could_take() -> None:
    pacer = Pacer(_args(rate=200.0, users=1))

    async def busy_seat(index: int) -> None:
        await asyncio.sleep(0.3)  # never idle during the measured period

    asyncio.run(pacer._measure(busy_seat))
    assert pacer.skipped > 0


def test_load_label() -> None:
    assert load_label(_args(think=(4.0, 9.0))) == "think 4–9 s"
    assert load_label(_args(rate=2.5)) == "open loop 2.5/s"


def test_write_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _args(results=tmp_path / "results", users=7)
    assert write_report(args, {"lost": 0}, "load", "-x", ["| h |", "| r |"]) == 0
    assert write_report(args, {"lost": 2}, "load", "-x", []) == 1
    (out, *_) = sorted((tmp_path / "results").glob("load-*-users7-x.json"))
    report = json.loads(out.read_text())
    assert report["label"] == "t"
    assert report["args"]["results"] == str(tmp_path / "results")
    assert "| h |\n| r |\n" in capsys.readouterr().out


def test_run_with_cpu_gives_the_run_s_figures_and_the_cores_used() -> None:
    async def run() -> dict[str, object]:
        await asyncio.sleep(0.05)
        return {"seconds": 0.05}

    raw, cpu = run_with_cpu({"me": os.getpid(), "none": None}, run())
    assert raw == {"seconds": 0.05}
    assert set(cpu) == {"me", "none"}
    assert cpu["none"] == 0.0
    assert 0.0 <= cpu["me"] < 4
