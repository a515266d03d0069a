"""Staff-delivery latency under Telegram's group flood control: one staff group for the region
vs one group per department (STAFF_CHATS).

N users are in a hand-off (waiting for a coordinator), spread over five departments; each
writes a message every 20 s (staggered). The real bot process (`python -m bot run`) relays
them through the Bot API emulator, which enforces Telegram's group limit (20 messages a
minute per group, 429 with retry_after beyond). Latency: from the user's message pushed to
the staff message that carries it (coalesced messages count for each one they carry).

Time is compressible: with `--factor F`, messages come every 20/F s and the emulator's
window is 60/F s, so a 5-minute scenario takes 5/F minutes; latencies are reported in
scenario seconds (measured × F). No Rasa is needed: messages of a user waiting for a
coordinator are relayed without it (the card's recent exchanges are then empty).

    .venv/bin/python bench/staff_delivery.py --users 12 --minutes 3 --factor 4
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import ROOT, BotRunner, bot_environment, wait_until
from devstack.botapi import BotApiEmulator
from devstack.processes import free_port
from parcours.db import migrate
from parcours.db.engine import reset_engines, session_scope
from parcours.models import Commune, User
from parcours.services import handoff

TOKEN = "123456789:STAFF-x"
REGION = -1000000000000
#: One commune per department: (INSEE, name, department).
TOWNS = [
    ("14118", "Caen", "14"),
    ("27229", "Évreux", "27"),
    ("50129", "Cherbourg-en-Cotentin", "50"),
    ("61001", "Alençon", "61"),
    ("76540", "Rouen", "76"),
]
TOKEN_RE = re.compile(r"\bm(\d+)-(\d+)\b")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def group_of(departement: str) -> int:
    return REGION - int(departement)


def seed(url: str, users: int) -> list[int]:
    """A migrated database with the towns and `users` users waiting for a coordinator."""
    migrate.upgrade(url)
    reset_engines()
    ids = [900_000_000 + i for i in range(users)]
    with session_scope(url) as session:
        for insee, name, dep in TOWNS:
            session.add(
                Commune(
                    insee=insee,
                    nom=name,
                    codes_postaux="",
                    departement=dep,
                    region="28",
                    epci=None,
                    epci_nom=None,
                    population=1000,
                )
            )
        for index, user_id in enumerate(ids):
            session.add(User(id=str(user_id), town_code=TOWNS[index % len(TOWNS)][0]))
        session.flush()
        for user_id in ids:
            handoff.request(session, user_id=str(user_id), reason="user_request")
    reset_engines()
    return ids


def run(args: argparse.Namespace, *, per_department: bool, work: Path) -> dict[str, Any]:
    """One scenario; its latency figures."""
    url = f"sqlite:///{work}/app.db"
    ids = seed(url, args.users)
    api = BotApiEmulator(TOKEN).start()
    bot: BotRunner | None = None
    try:
        groups = [REGION] + [group_of(dep) for _, _, dep in TOWNS]
        for chat_id in groups:
            api.create_forum_group(chat_id, f"Coordinateurs {chat_id}", {1: "administrator"})
        api.limit_groups(20, window=60.0 / args.factor)
        env = bot_environment(
            {**os.environ, "DATABASE_URL": url, "VAR_DIR": str(work)},
            api.base_url,
            api.base_file_url,
            TOKEN,
            limiter=False,  # PTB's own 20/min is not compressible: the emulator's 429s rule
        )
        env |= {
            "STAFF_CHAT_ID": str(REGION),
            "COORDINATORS": "1:*:Bench",
            "OPENING_HOURS": "mon-sun 00:00-24:00",
            "RASA_URL": f"http://127.0.0.1:{free_port()}",  # not needed: nobody answers
            "LOG_LEVEL": "WARNING",
        }
        if per_department:
            env["STAFF_CHATS"] = ";".join(f"{dep}:{group_of(dep)}" for _, _, dep in TOWNS)
        bot = BotRunner(env, work / "bot.log")
        # The initial announcements and cards (not measured): every topic exists.
        wait_until(
            lambda: sum(len(api.topics(chat)) for chat in groups) >= len(ids),
            args.warmup,
            "every user's staff topic",
        )
        time.sleep(60.0 / args.factor)  # a fresh flood-control window
        mark = api.mark()
        pushed: dict[tuple[int, int], float] = {}
        interval = 20.0 / args.factor
        start = time.monotonic()
        end = start + args.minutes * 60.0 / args.factor
        count = 0
        while time.monotonic() < end:
            for index, user_id in enumerate(ids):
                due = start + count * interval + index * interval / len(ids)
                time.sleep(max(0.0, due - time.monotonic()))
                pushed[(index, count)] = time.time()
                api.push_message(user_id, f"message m{index}-{count} de test")
            count += 1
        delivered: dict[tuple[int, int], float] = {}
        drain = time.monotonic() + args.drain
        while time.monotonic() < drain and len(delivered) < len(pushed):
            for call in api.calls_since(mark):
                if call.method.lower() != "sendmessage" or not call.ok:
                    continue
                for match in TOKEN_RE.finditer(str(call.params.get("text", ""))):
                    key = (int(match[1]), int(match[2]))
                    if key in pushed and key not in delivered:
                        delivered[key] = call.at
            time.sleep(0.2)
        latencies = [(delivered[k] - pushed[k]) * args.factor for k in delivered]
        staff_sends = [
            c
            for c in api.calls_since(mark)
            if c.method.lower() == "sendmessage" and int(c.params.get("chat_id", 0)) < 0
        ]
        return {
            "groups": "per department" if per_department else "one region-wide",
            "users": len(ids),
            "messages": len(pushed),
            "delivered": len(delivered),
            "p50_s": round(percentile(latencies, 50), 1),
            "p95_s": round(percentile(latencies, 95), 1),
            "max_s": round(max(latencies, default=float("nan")), 1),
            "staff_messages": sum(1 for c in staff_sends if c.ok),
            "refused_429": sum(1 for c in staff_sends if c.error_code == 429),
        }
    finally:
        if bot is not None:
            bot.stop()
        api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=12, help="concurrent hand-offs")
    parser.add_argument("--minutes", type=float, default=3.0, help="scenario length")
    parser.add_argument("--factor", type=float, default=1.0, help="time compression")
    parser.add_argument("--warmup", type=float, default=300.0, help="seconds for the topics")
    parser.add_argument("--drain", type=float, default=120.0, help="seconds to wait after")
    args = parser.parse_args()
    results = []
    for per_department in (False, True):
        with tempfile.TemporaryDirectory(prefix="staff-bench-") as tmp:
            results.append(run(args, per_department=per_department, work=Path(tmp)))
            print(json.dumps(results[-1]), flush=True)
    print(
        "\n| staff groups | hand-offs | messages | delivered | p50 (s) | p95 (s) | max (s) |"
        " staff msgs | 429s |\n|---|---|---|---|---|---|---|---|---|"
    )
    for r in results:
        print(
            f"| {r['groups']} | {r['users']} | {r['messages']} | {r['delivered']} | "
            f"{r['p50_s']} | {r['p95_s']} | {r['max_s']} | {r['staff_messages']} | "
            f"{r['refused_429']} |"
        )
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "staff_delivery.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
