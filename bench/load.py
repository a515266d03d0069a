"""Load benchmark through the real pipeline: emulated Bot API → bot → Rasa → actions → DB.

Starts Rasa + the action server (scripts/up.sh, free ports, private var dir; or reuses one
with --stack-env), the Bot API emulator of the e2e tests, and the real `python -m bot run`.
N simulated users run scripted conversations (greeting, role/age buttons, FAQ questions in
chat French, a mini-stage search and request, "où en est ma demande") for --seconds, then a
drain phase. Closed loop by default (each user thinks --think seconds after the bot's last
bubble); --rate R is open loop (R turns/s offered to idle users, to find the knee).
Turn timing is defined in bench/load_users.py. Prints a Markdown row, writes results/*.json.

    .venv/bin/python bench/load.py --users 200 --seconds 60 --limiter off
    .venv/bin/python bench/load.py --web --users 200 --seconds 60   # the web chat
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_users import LoadEmulator, SimUser, Tracker, Turn, pick_scenario
from bench.pacing import Pacer, Stop, load_label, write_report
from bench.stack import (
    ROOT,
    BotRunner,
    bot_environment,
    load_env,
    save_env,
    service_pid,
    stack_down,
    stack_environment,
    stack_up,
    wait_until,
)

TOKEN = "123456789:LOAD-x"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def tree_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) of a process and its descendants."""
    if pid is None:
        return 0.0
    ticks: dict[int, int] = {}
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += ticks.get(current, 0)
        todo += children.get(current, [])
    return total / os.sysconf("SC_CLK_TCK")


def run_with_cpu(
    pids: dict[str, int | None], run: Coroutine[Any, Any, dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, float]]:
    """`asyncio.run(run)`, and the CPU cores each process tree of `pids` used meanwhile."""
    before = {name: tree_cpu(pid) for name, pid in pids.items()}
    wall = time.time()
    raw = asyncio.run(run)
    wall = time.time() - wall
    return raw, {n: round((tree_cpu(p) - before[n]) / wall, 2) for n, p in pids.items()}


class Driver(Pacer):
    """Runs the seats (one simulated user after another) and the optional open-loop pacer."""

    def __init__(self, args: argparse.Namespace, api: LoadEmulator) -> None:
        super().__init__(args)
        self.api = api
        self.tracker = Tracker(api, args.quiet)
        self.users: list[SimUser] = []

    async def _seat(self, index: int) -> None:
        rng = random.Random(self.args.seed * 100_003 + index)
        think = self._think(rng)
        first = True
        with contextlib.suppress(Stop):
            while True:
                if first and not self.args.rate:
                    await asyncio.sleep(rng.uniform(0, self.args.think[1]))  # ramp-up
                else:
                    await think()
                first = False
                user = SimUser(self.api, self.tracker, rng, self.args.turn_timeout)
                self.users.append(user)
                await pick_scenario(rng)(user, think)

    async def warm_up(self) -> None:
        """A few sequential turns (not measured): first model calls, connections."""
        rng = random.Random(-1)
        for text in ("bonjour", "c koi le numero pour le decrochage", "merci"):
            await SimUser(self.api, self.tracker, rng, 60).say(text)

    async def run(self) -> dict[str, Any]:
        """Warm-up, measured period, drain; returns the raw figures."""
        stop = asyncio.Event()
        poller = asyncio.create_task(self.tracker.run(stop))
        await self.warm_up()
        self.tracker.finished.clear()
        self.tracker.methods.clear()
        self.tracker.errors.clear()
        start, seconds, pending = await self._measure(self._seat)
        lost = self.tracker.close_all()
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        stop.set()
        await poller
        self.tracker.poll()
        return {
            "start": start,
            "seconds": seconds,
            "turns": self.tracker.finished,
            "lost": lost,
        }


def summarise(args: argparse.Namespace, driver: Driver, raw: dict[str, Any]) -> dict[str, Any]:
    """Figures of one run."""
    turns: list[Turn] = raw["turns"]
    seconds = raw["seconds"]
    latencies = [t.latency * 1000 for t in turns]
    first = [(t.bubbles[0][0] - t.pushed_at) * 1000 for t in turns]
    tracker = driver.tracker
    methods = {m: n for m, n in sorted(tracker.methods.items()) if m.lower() != "getupdates"}
    api_calls = sum(methods.values())
    return {
        "turns": len(turns),
        "conversations": len(driver.users),
        "turns_per_s": round(len(turns) / seconds, 2),
        "latency_ms": {
            "p50": round(percentile(latencies, 50)),
            "p95": round(percentile(latencies, 95)),
            "p99": round(percentile(latencies, 99)),
            "max": round(max(latencies, default=float("nan"))),
            "mean": round(sum(latencies) / max(1, len(latencies))),
        },
        "first_bubble_ms": {
            "p50": round(percentile(first, 50)),
            "p95": round(percentile(first, 95)),
        },
        "bubbles_per_turn": round(sum(len(t.bubbles) for t in turns) / max(1, len(turns)), 2),
        "bot_api_calls_per_s": round(api_calls / seconds, 1),
        "bot_api_calls_by_method": methods,
        "bot_api_calls_per_s_by_method": {m: round(n / seconds, 1) for m, n in methods.items()},
        "emulator_errors": tracker.errors[:20],
        "emulator_error_count": len(tracker.errors),
        "technical_problem_replies": tracker.technical,
        "turns_over_timeout": sum(u.unanswered for u in driver.users),
        "late_calls": tracker.late,
        "lost": len(raw["lost"]),
        "open_loop_skipped": driver.skipped,
        "measured_seconds": round(seconds, 1),
    }


def log_problems(text: str) -> int:
    """ERROR lines and tracebacks in a log."""
    return sum(1 for line in text.splitlines() if "ERROR" in line or "Traceback" in line)


def markdown(args: argparse.Namespace, result: dict[str, Any]) -> str:
    """One table row for the README."""
    lat = result["latency_ms"]
    by = result["bot_api_calls_per_s_by_method"]
    load = load_label(args)
    errors = (
        result["emulator_error_count"]
        + result["bot_log_problems"]
        + result["technical_problem_replies"]
    )
    return (
        f"| {args.users} users, {load} | {args.limiter} | {result['turns']} | "
        f"{result['turns_per_s']:.1f} | {lat['p50']:,} | {lat['p95']:,} | {lat['p99']:,} | "
        f"{lat['max']:,} | {result['bot_api_calls_per_s']:.1f} "
        f"(send {by.get('sendMessage', 0):g}, typing {by.get('sendChatAction', 0):g}, "
        f"answer {by.get('answerCallbackQuery', 0):g}) | "
        f"{errors} | {result['lost']} |"
    )


HEADER = (
    "| load | limiter | turns | turns/s | p50 ms | p95 ms | p99 ms | max ms | Bot API calls/s "
    "| errors | lost |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200, help="concurrent simulated users")
    parser.add_argument("--seconds", type=float, default=60, help="measured period")
    parser.add_argument("--drain", type=float, default=30, help="max wait for answers after it")
    parser.add_argument(
        "--think",
        type=lambda s: tuple(float(x) for x in s.split(",")),
        default=(4.0, 9.0),
        help="closed loop: think time range in seconds after the bot's last bubble (min,max)",
    )
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: turns/s offered")
    parser.add_argument(
        "--limiter",
        choices=["on", "off"],
        default="off",
        help="TELEGRAM_RATE_LIMITER of the bot (PTB AIORateLimiter)",
    )
    parser.add_argument("--quiet", type=float, default=0.25, help="quiet time closing a turn (s)")
    parser.add_argument("--turn-timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--stack-env",
        type=Path,
        help="reuse the Rasa stack saved in this JSON file (created if missing, "
        "then kept running: stop it with scripts/down.sh and its VAR_DIR)",
    )
    parser.add_argument(
        "--bot-env",
        action="append",
        default=[],
        help="extra KEY=VALUE for the bot process (repeatable)",
    )
    parser.add_argument(
        "--web",
        action="store_true",
        help="the web chat instead of Telegram: N WebSocket visitors (bench/load_web.py)",
    )
    parser.add_argument("--label", default="", help="name of the run in the JSON file")
    parser.add_argument("--results", type=Path, default=ROOT / "results")
    return parser.parse_args(argv)


def start_stack(args: argparse.Namespace) -> tuple[dict[str, str], bool]:
    """(environment, started here and to stop at the end)."""
    if args.stack_env is not None and args.stack_env.exists():
        return load_env(args.stack_env), False
    var = Path(tempfile.mkdtemp(prefix="parcours-load-"))
    env = stack_environment(var)
    print(f"starting Rasa + actions (var {var})…", file=sys.stderr)
    stack_up(env)
    if args.stack_env is not None:
        save_env(env, args.stack_env)
        return env, False
    return env, True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.web:
        from bench.load_web import web_main

        return web_main(args)
    stack, own_stack = start_stack(args)
    var = Path(stack["VAR_DIR"])
    api = LoadEmulator(TOKEN).start()
    env = bot_environment(
        stack, api.base_url, api.base_file_url, TOKEN, limiter=args.limiter == "on"
    )
    env.update(kv.split("=", 1) for kv in args.bot_env)
    bot = BotRunner(env, var / f"bot-load-{int(time.time())}.log")
    try:
        wait_until(
            lambda: bool(api.calls("getUpdates", pending=True)) or not bot.alive(),
            60,
            "the bot's first getUpdates",
        )
        if not bot.alive():
            raise RuntimeError(f"the bot exited:\n{bot.log()[-3000:]}")
        pids = {
            "rasa": service_pid(stack, "rasa"),
            "actions": service_pid(stack, "actions"),
            "bot": bot.proc.pid,
            "loadgen+emulator": os.getpid(),
        }
        logs = {name: var / f"{name}.log" for name in ("rasa", "actions")}
        log_sizes = {n: p.stat().st_size if p.exists() else 0 for n, p in logs.items()}
        driver = Driver(args, api)
        raw, cpu = run_with_cpu(pids, driver.run())
    finally:
        code = bot.stop()
        api.stop()
        if own_stack:
            stack_down(stack)
    result = summarise(args, driver, raw)
    result["bot_log_problems"] = log_problems(bot.log())
    result["bot_exit_code"] = code
    for name, path in logs.items():
        text = path.read_text(errors="replace")[log_sizes[name] :] if path.exists() else ""
        result[f"{name}_log_problems"] = log_problems(text)
    result["cpu_cores_used"] = cpu
    return write_report(
        args, result, "load", f"-limiter-{args.limiter}", [HEADER, markdown(args, result)]
    )


if __name__ == "__main__":
    sys.exit(main())
