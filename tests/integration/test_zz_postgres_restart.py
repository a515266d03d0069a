"""A real PostgreSQL restart (`pg_ctlcluster … restart`) while people are talking: every
message is answered in French or kept, none is lost, and the stack answers normally after.

Runs on the PostgreSQL stack only, last (it restarts the server every other test uses), and
only where this process may restart the cluster (root with Debian's `pg_ctlcluster`, as in
`.ci/run`); otherwise it is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from parcours.models import PendingMessage
from parcours.services import rasa_events
from parcours.settings import Settings
from tests.integration.conftest import Replay, new_user, texts_of

pytestmark = [pytest.mark.rasa, pytest.mark.postgres]

QUESTION = "c'est quoi un ambassadeur metier"


def _cluster_of(port: int) -> tuple[str, str]:
    """(version, cluster) of the local Debian cluster listening on `port`, or skip."""
    if os.geteuid() != 0 or shutil.which("pg_ctlcluster") is None:
        pytest.skip("restarting PostgreSQL needs root and pg_ctlcluster (as in .ci/run)")
    listing = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        version, cluster, cluster_port, status, *_ = line.split()
        if int(cluster_port) == port and status == "online":
            return version, cluster
    pytest.skip(f"no local online cluster on port {port}: the test server is not restartable")


def _restart(version: str, cluster: str, done: threading.Event) -> None:
    try:
        subprocess.run(
            ["pg_ctlcluster", version, cluster, "restart", "-m", "fast"],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        done.set()


def _wait_ready(url: str, deadline: float) -> None:
    engine = create_engine(make_url(url), pool_pre_ping=True)
    try:
        while True:
            try:
                with engine.connect():
                    return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        engine.dispose()


def _started_at(url: str) -> object:
    """When the PostgreSQL server was last started (changes with a real restart)."""
    engine = create_engine(make_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    finally:
        engine.dispose()


def _said_by(events: list[rasa_events.TrackerEvent]) -> list[str]:
    return [str(e.data.get("text")) for e in events if e.type_name == "user"]


def test_a_postgresql_restart_mid_conversation_loses_nothing_and_tells_the_user(
    replay: Replay, stack_env: dict[str, str], stack_settings: Settings
) -> None:
    url = stack_env["DATABASE_URL"]
    version, cluster = _cluster_of(make_url(url).port or 5432)
    started = _started_at(url)
    users = [new_user() for _ in range(3)]
    for user in users:  # conversations already under way
        assert "professionnel" in texts_of(replay.say(user, QUESTION))

    done = threading.Event()
    restarting = threading.Thread(target=_restart, args=(version, cluster, done))
    sent: dict[str, list[str]] = {user: [] for user in users}
    answers: list[str] = []
    restarting.start()
    turn = 0
    while not done.is_set() or turn < 6:
        user = users[turn % len(users)]
        text = f"{QUESTION} ({turn})"
        out = replay.say(user, text)
        sent[user].append(text)
        answers.append(texts_of(out))
        turn += 1
    restarting.join()
    _wait_ready(url, time.monotonic() + 60)
    assert _started_at(url) != started, "the server was not restarted"
    told = sum("problème technique" in answer for answer in answers)
    print(f"{len(answers)} messages during the restart, {told} told 'kept, answered later'")

    # Every message got an answer in French: the real one, or "kept, answered later".
    for answer in answers:
        assert answer.strip(), "a message got no answer at all"
        assert "Traceback" not in answer
        assert "professionnel" in answer or "problème technique" in answer, answer

    # Afterwards the stack answers normally, on the same connections' pools.
    for user in users:
        assert "professionnel" in texts_of(replay.say(user, QUESTION)), "no recovery"

    # Nothing lost: each message is in Rasa's tracker (answered) or kept for the retry job.
    engine = create_engine(make_url(url))
    with engine.connect() as conn:
        kept = {
            (row.user_id, row.text)
            for row in conn.execute(select(PendingMessage.user_id, PendingMessage.text))
        }
    engine.dispose()
    for user, texts in sent.items():
        said = _said_by(rasa_events.events_of(stack_settings, user))
        lost = [t for t in texts if t not in said and (user, t) not in kept]
        assert not lost, f"lost during the restart: {lost}"
