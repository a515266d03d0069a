"""Two Rasa replicas and two front ends on one PostgreSQL tracker store and one Redis lock
store: one conversation, served by both in turn, stays whole and in order. Messages of one
sender arriving at both replicas in the same instant are not safe with Rasa 3.6 (see the
xfail below): route each sender to one replica.

Only on the PostgreSQL + Redis stack: a second `rasa run` on another port shares the first
one's generated endpoints (same tracker database, same lock store, same action server).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.rasa_client import CHANNEL_PATH
from parcours.settings import SECRET_HEADER
from tests import postgres
from tests.integration.conftest import ROOT, Replay, free_port, new_user, texts_of

pytestmark = [pytest.mark.rasa, pytest.mark.postgres]

QUESTIONS = [
    "c'est quoi cleor",
    "un mini stage dure combien de temps",
    "c'est quoi un ambassadeur metier",
    "c koi le numero pour le decrochage scolaire",
]


@pytest.fixture(scope="module")
def second_rasa(stack_env: dict[str, str]) -> Iterator[str]:
    """URL of a second Rasa server sharing the stack's tracker store and lock store."""
    var = Path(stack_env["VAR_DIR"])
    assert "type: redis" in (var / "endpoints.yml").read_text()
    port = free_port()
    model = ROOT / "models" / (ROOT / "models" / "CURRENT").read_text().strip()
    log = (var / "rasa2.log").open("w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv-rasa" / "bin" / "python"), str(ROOT / "scripts" / "rasa_run.py"),
         "run", "--enable-api", "-i", "127.0.0.1",
         "-p", str(port), "-t", stack_env["RASA_TOKEN"], "-m", str(model),
         "--endpoints", str(var / "endpoints.yml"), "--credentials", "credentials.yml"],
        cwd=ROOT, env=stack_env, stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (var / "rasa2.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the second Rasa did not start in 180 s"
            try:
                status = httpx.get(f"{url}/status", params={"token": stack_env["RASA_TOKEN"]})
                if status.status_code == 200 and status.json().get("model_file"):
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def send(rasa: str, sender: str, text: str, secret: str) -> list[dict[str, Any]]:
    """One user message through Rasa's input channel, as the front end sends it."""
    response = httpx.post(
        f"{rasa}{CHANNEL_PATH}",
        json={"sender": sender, "message": text},
        headers={SECRET_HEADER: secret},
        timeout=60,
    )
    response.raise_for_status()
    replies: list[dict[str, Any]] = response.json()
    return replies


def tracker_events(rasa: str, token: str, sender: str) -> list[dict[str, Any]]:
    """The conversation's events as this replica reads them from the tracker store."""
    response = httpx.get(
        f"{rasa}/conversations/{sender}/tracker", params={"token": token}, timeout=30
    )
    response.raise_for_status()
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def turns(events: list[dict[str, Any]]) -> list[list[str]]:
    """Events cut into turns: each starts at a user message and must end listening."""
    result: list[list[str]] = []
    for event in events:
        if event["event"] == "user":
            result.append([f"user:{event.get('text')}"])
        elif result and event["event"] == "action":
            result[-1].append(str(event.get("name")))
    return result


def test_alternating_replicas_see_one_conversation(
    stack_env: dict[str, str], second_rasa: str
) -> None:
    replicas = [stack_env["RASA_URL"], second_rasa]
    sender = new_user()
    for i, question in enumerate(QUESTIONS):
        replies = send(replicas[i % 2], sender, question, stack_env["RASA_CHANNEL_SECRET"])
        assert replies, f"no reply from replica {i % 2}"
    first, second = (tracker_events(r, stack_env["RASA_TOKEN"], sender) for r in replicas)
    assert first == second
    assert [t[0] for t in turns(first)] == [f"user:{q}" for q in QUESTIONS]


@pytest.mark.xfail(
    reason="Rasa 3.6's RedisLockStore issues tickets with a non-atomic GET then SET: two "
    "replicas receiving one sender's messages in the same instant may both take ticket 0 and "
    "lose an event (seen here; rasa#9213, the atomic store of rasa#11256 was reverted). "
    "Route each sender to one replica (sticky by sender id) until Rasa's lock is atomic.",
    strict=False,
)
def test_concurrent_messages_to_both_replicas_are_serialised_by_the_redis_lock(
    stack_env: dict[str, str], second_rasa: str
) -> None:
    replicas = [stack_env["RASA_URL"], second_rasa]
    sender, secret = new_user(), stack_env["RASA_CHANNEL_SECRET"]
    commands_before = postgres.redis_stat("total_commands_processed")
    sent: list[str] = []
    with ThreadPoolExecutor(2) as pool:
        for round_ in range(3):
            pair = [f"{QUESTIONS[(2 * round_ + k) % len(QUESTIONS)]} {round_}{k}" for k in (0, 1)]
            replies = list(pool.map(lambda rk: send(replicas[rk[1]], sender, rk[0], secret),
                                    zip(pair, (0, 1), strict=True)))  # fmt: skip
            assert all(replies), replies
            sent.extend(pair)
    conversation = turns(tracker_events(replicas[0], stack_env["RASA_TOKEN"], sender))
    assert sorted(t[0] for t in conversation) == sorted(f"user:{m}" for m in sent)
    for turn in conversation:  # no turn cut in two by the other replica's message
        assert turn[-1] == "action_listen", conversation
        assert len(turn) >= 3, conversation  # user, at least one answer, action_listen
    assert postgres.redis_stat("total_commands_processed") > commands_before + 2 * len(sent)


def test_two_front_ends_on_two_replicas_share_the_hand_off_state(
    stack_env: dict[str, str], second_rasa: str
) -> None:
    first = Replay(stack_env)
    second = Replay({**stack_env, "RASA_URL": second_rasa})
    try:
        user = new_user()
        asked = first.say(user, "jveux parler a qqn")
        assert asked["handoff"] == "waiting"
        relayed = second.say(user, "je suis toujours là")
        assert relayed["handoff"] == "waiting"
        assert "transmis" in texts_of(relayed)
        back = second.press(user, "/cancel_handoff")
        assert back["handoff"] == "bot"
        answered = first.say(user, "c'est quoi cleor")
        assert answered["handoff"] == "bot"
        assert "cleor" in texts_of(answered).lower()
    finally:
        first.close()
        second.close()
