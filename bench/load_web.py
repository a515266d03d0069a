"""`bench/load.py --web`: the web chat under load, without a browser.

Starts `python -m bot web` (flood control on, no per-address cap) beside the real Rasa and
action server, then N visitors each open the page (session cookie) and one WebSocket, and
run scripted conversations (the Telegram bench's texts: greeting, role and age buttons, FAQ
questions in chat French, a mini-stage search and request, "où en est ma demande"), closed
loop with think times. A turn is timed from the frame sent to the answer frame (the server
answers every input with one frame). Errors: error frames, technical-problem replies, socket
failures; lost: inputs never answered by the end of the drain.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.load_users import FAQ, GREETINGS, SEARCHES, STATUS, TECHNICAL, THANKS
from bench.pacing import Pacer, Stop, Think, load_label, write_report
from bench.stack import BotRunner
from devstack.processes import free_port
from devstack.webclient import Frame, WebVisitor, html_of, wait_ready

_PAYLOAD = re.compile(r'data-payload="([^"]*)"')


@dataclass
class WebStats:
    """What the visitors measured."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    technical: int = 0
    sent: int = 0
    answered: int = 0
    connections: int = 0


class WebUser:
    """One visitor running one scripted conversation after another."""

    def __init__(self, url: str, stats: WebStats, rng: random.Random, timeout: float) -> None:
        self.visitor = WebVisitor(url)
        self.stats = stats
        self.rng = rng
        self.timeout = timeout
        self.last: Frame = {}
        self.measuring = False

    async def start(self) -> None:
        """Open the page (a new session) and its socket."""
        try:
            await self.visitor.open_page()
            await self.visitor.connect()
        except (OSError, TimeoutError, AssertionError, aiohttp.ClientError) as exc:
            self.stats.errors.append(f"connect: {type(exc).__name__}: {exc}"[:200])
            raise Stop from exc
        self.stats.connections += 1

    async def _turn(self, frame: Frame) -> Frame:
        self.stats.sent += 1
        try:
            answer, seconds = await self.visitor.turn(frame, self.timeout)
        except (TimeoutError, ConnectionError, RuntimeError, TypeError) as exc:
            self.stats.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            raise Stop from exc
        self.stats.answered += 1
        if self.measuring:
            self.stats.latencies.append(seconds)
        if answer["type"] == "error":
            self.stats.errors.append(answer.get("text", "")[:200])
        elif any(t in html_of(answer) for t in TECHNICAL):
            self.stats.technical += 1
        self.last = answer
        return answer

    async def say(self, text: str) -> Frame:
        return await self._turn({"type": "text", "text": text})

    async def press(self, fragment: str) -> Frame | None:
        """Press a button of the last answer whose payload contains `fragment`."""
        found = [html.unescape(p) for p in _PAYLOAD.findall(html_of(self.last)) if fragment in p]
        if not found:
            return None
        return await self._turn({"type": "button", "payload": self.rng.choice(found)})


async def pupil_faq(user: WebUser, think: Think) -> None:
    rng = user.rng
    await user.say(rng.choice(GREETINGS))
    await think()
    role = rng.choice(["eleve", "eleve", "parent", "demandeur_emploi", "salarie"])
    if await user.press(f'"role":"{role}"') is not None:
        await think()
        if await user.press("tell_age") is not None:
            await think()
    for question in rng.sample(FAQ, rng.randint(2, 3)):
        await user.say(question)
        await think()
    await user.say(rng.choice(THANKS))


async def ministage(user: WebUser, think: Think) -> None:
    rng = user.rng
    await user.say(rng.choice(GREETINGS))
    await think()
    if await user.press('"role":"eleve"') is not None:
        await think()
    query, town, job = rng.choice(SEARCHES)
    answer = await user.say(query)
    for _ in range(2):
        if "choose_target" in html_of(answer):
            break
        await think()
        question = html_of(answer).lower()
        answer = await user.say(
            town if "commune" in question else "3e" if "classe" in question else job
        )
    await think()
    if await user.press("choose_target") is None:
        return
    await think()
    if await user.press("request_contact") is None:
        return
    await think()
    await user.say("Je voudrais voir comment on travaille le matin")
    await think()
    await user.say("pendant les vacances de février")
    await think()
    await user.say(rng.choice(STATUS))


async def status_and_faq(user: WebUser, think: Think) -> None:
    rng = user.rng
    await user.say(rng.choice(GREETINGS))
    await think()
    await user.say(rng.choice(STATUS))
    await think()
    await user.say(rng.choice(FAQ))
    await think()
    await user.say(rng.choice(THANKS))


SCENARIOS = [(pupil_faq, 0.5), (ministage, 0.35), (status_and_faq, 0.15)]


class WebDriver(Pacer):
    """N visitors, each with its own session and socket, closed loop."""

    def __init__(self, args: argparse.Namespace, url: str) -> None:
        super().__init__(args)
        self.url = url
        self.stats = WebStats()
        self.users: list[WebUser] = []

    async def _seat(self, index: int) -> None:
        """One seat: a new visitor (cookie, socket) per conversation, as the Telegram bench
        has a new user per conversation."""
        rng = random.Random(self.args.seed * 100_003 + index)
        think = self._think(rng)
        with contextlib.suppress(Stop):
            if not self.args.rate:
                await asyncio.sleep(rng.uniform(0, self.args.think[1]))  # ramp-up
            while time.time() < self.end:
                user = WebUser(self.url, self.stats, rng, self.args.turn_timeout)
                self.users.append(user)
                await user.start()
                user.measuring = True
                await think()
                functions, weights = zip(*SCENARIOS, strict=True)
                try:
                    await rng.choices(functions, weights)[0](user, think)
                finally:
                    await user.visitor.aclose()

    async def run(self) -> dict[str, Any]:
        warm = WebUser(self.url, WebStats(), random.Random(-1), 60)
        await warm.start()
        for text in ("bonjour", "c koi le numero pour le decrochage", "merci"):
            await warm.say(text)
        await warm.visitor.aclose()
        _, measured, pending = await self._measure(self._seat)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for user in self.users:
            await user.visitor.aclose()
        return {"seconds": measured}


def start_server(stack: dict[str, str], var: Path) -> tuple[BotRunner, str]:
    """`python -m bot web` on a free port (its own process, as in production)."""
    port = free_port()
    env = {
        **stack,
        "WEB_PORT": str(port),
        "WEB_MAX_CONNECTIONS_PER_IP": "0",  # every visitor comes from 127.0.0.1 here
        "METRICS_PORT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    runner = BotRunner(env, var / f"web-load-{int(time.time())}.log", mode="web")
    url = f"http://127.0.0.1:{port}"
    asyncio.run(wait_ready(url, 60))
    return runner, url


def summary(stats: WebStats, seconds: float) -> dict[str, Any]:
    """Figures of one run."""
    from bench.load import percentile

    latencies = [s * 1000 for s in stats.latencies]
    return {
        "turns": len(latencies),
        "turns_per_s": round(len(latencies) / seconds, 2),
        "latency_ms": {
            "p50": round(percentile(latencies, 50)),
            "p95": round(percentile(latencies, 95)),
            "p99": round(percentile(latencies, 99)),
            "max": round(max(latencies, default=float("nan"))),
            "mean": round(sum(latencies) / max(1, len(latencies))),
        },
        "sockets_opened": stats.connections,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:10],
        "technical_problem_replies": stats.technical,
        "lost": stats.sent - stats.answered,
        "measured_seconds": round(seconds, 1),
    }


HEADER = (
    "| load | turns | turns/s | p50 ms | p95 ms | p99 ms | max ms | errors | lost | CPU cores "
    "(web, rasa, actions, load) |\n|---|---|---|---|---|---|---|---|---|---|"
)


def markdown(args: argparse.Namespace, result: dict[str, Any]) -> str:
    lat, cpu = result["latency_ms"], result["cpu_cores_used"]
    load = load_label(args)
    errors = result["errors"] + result["technical_problem_replies"] + result["web_log_problems"]
    return (
        f"| {args.users} web visitors, {load} | "
        f"{result['turns']} | {result['turns_per_s']:.1f} | {lat['p50']:,} | {lat['p95']:,} | "
        f"{lat['p99']:,} | {lat['max']:,} | {errors} | {result['lost']} | "
        f"{cpu['web']}, {cpu['rasa']}, {cpu['actions']}, {cpu['loadgen']} |"
    )


def web_main(args: argparse.Namespace) -> int:
    """The web mode of bench/load.py: run, print, write results/load-web-*.json."""
    from bench.load import log_problems, run_with_cpu, start_stack
    from bench.stack import service_pid, stack_down

    stack, own_stack = start_stack(args)
    var = Path(stack["VAR_DIR"])
    runner, url = start_server({**stack, **dict(kv.split("=", 1) for kv in args.bot_env)}, var)
    try:
        pids = {
            "web": runner.proc.pid,
            "rasa": service_pid(stack, "rasa"),
            "actions": service_pid(stack, "actions"),
            "loadgen": os.getpid(),
        }
        driver = WebDriver(args, url)
        raw, cpu = run_with_cpu(pids, driver.run())
    finally:
        code = runner.stop()
        if own_stack:
            stack_down(stack)
    result = summary(driver.stats, raw["seconds"])
    result["open_loop_skipped"] = driver.skipped
    result["cpu_cores_used"] = cpu
    result["web_log_problems"] = log_problems(runner.log())
    result["web_exit_code"] = code
    return write_report(args, result, "load-web", "", [HEADER, markdown(args, result)])
