"""The real stack for integration tests: trained model, Rasa server, action server, replay.

Started once per test session on free ports with a temporary var/ (so a running `make up`
is not disturbed) by the same scripts as `make up` / `make down`. Every test here runs on the
SQLite stack and, when TEST_DATABASE_URL / TEST_REDIS_URL are set, on a PostgreSQL + Redis
stack too (app tables and Rasa's tracker in one fresh PostgreSQL database, Rasa's lock store
in Redis); the two stacks run one after the other, never together.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack.processes import free_port
from parcours.db.engine import reset_engines
from parcours.settings import Settings, get_settings
from tests import postgres

ROOT = Path(__file__).resolve().parents[2]
STACKS = ["sqlite", postgres.param()] if postgres.ENABLED else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One stack per database; `postgres`-marked modules only need the PostgreSQL one."""
    if "stack_env" not in metafunc.fixturenames:
        return
    stacks: list[Any] = STACKS
    if metafunc.definition.get_closest_marker("postgres"):
        stacks = (
            [postgres.param()]
            if postgres.ENABLED
            else [pytest.param("postgresql", marks=pytest.mark.skip(reason=postgres.SKIP_REASON))]
        )
    metafunc.parametrize("stack_env", stacks, indirect=True, scope="session")


def _stack_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("stack_env")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each stack started once: every SQLite-stack test, then every PostgreSQL-stack test,
    each group in file order (`test_zz_*` last). pytest's own grouping of session
    parameters may switch stacks back and forth, restarting Rasa (~30 s) every time."""
    others = [item for item in items if _stack_of(item) is None]
    by_stack = {
        name: sorted((i for i in items if _stack_of(i) == name), key=lambda i: str(i.path))
        for name in ("sqlite", "postgresql")
    }
    items[:] = others + by_stack["sqlite"] + by_stack["postgresql"]


@pytest.fixture(scope="session")
def stack_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """Environment of a running Rasa + action server on SQLite (default) or on PostgreSQL +
    Redis (param `postgresql`), for Normandy; stopped, and its database dropped, at the end."""
    yield from running_stack(
        str(getattr(request, "param", "sqlite")), "normandie", tmp_path_factory
    )


@pytest.fixture(scope="module")
def grand_est_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The same stack for REGION=grand-est (SQLite; the same model: one model for all
    regions), its database seeded from the Grand Est pack by `up.sh`. Module-scoped: the
    Grand Est modules run before the Normandy stack starts (pytest_collection_modifyitems),
    so that two Rasa servers never run at once."""
    yield from running_stack("sqlite", "grand-est", tmp_path_factory)


def running_stack(
    backend: str, region: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """Rasa + action server started by `scripts/up.sh` (as `make up`) on free ports, its own
    var dir and database seeded from the region's pack; stopped by `scripts/down.sh`."""
    if not (ROOT / "models" / "CURRENT").exists():
        pytest.skip("no trained model: run `make train` (make test does it) — Rasa suite SKIPPED")
    var = tmp_path_factory.mktemp(f"var-{backend}-{region}")
    rasa_port, action_port = free_port(), free_port()
    env = {
        **os.environ,
        "VAR_DIR": str(var),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "DATABASE_URL": f"sqlite:///{var}/app.db",
        "RASA_TRACKER_URL": "",
        "RASA_TRACKER_DB": f"{var}/rasa_tracker.db",
        "REDIS_URL": "",
        "RASA_TOKEN": uuid.uuid4().hex,
        "RASA_CHANNEL_SECRET": uuid.uuid4().hex,
        "ACTION_SERVER_SECRET": uuid.uuid4().hex,
        "REGION": region,
        "PARCOURS_METIER_NUMBER": "",
        "ORIENT_EST_NUMBER": "",
    }
    if backend == "postgresql":
        url = postgres.create_database("parcours_stack")
        env.update(DATABASE_URL=url, RASA_TRACKER_URL=url, REDIS_URL=postgres.redis_url())
    try:
        up = subprocess.run(
            [str(ROOT / "scripts" / "up.sh")], env=env, capture_output=True, text=True
        )
        if up.returncode != 0:
            subprocess.run([str(ROOT / "scripts" / "down.sh")], env=env, check=False)
            pytest.fail(f"make up ({backend}) failed:\n{up.stderr[-3000:]}")
        yield env
        subprocess.run(
            [str(ROOT / "scripts" / "down.sh")], env=env, check=False, capture_output=True
        )
    finally:
        if backend == "postgresql":
            reset_engines()
            postgres.drop_database(env["DATABASE_URL"])


class Replay:
    """A long-running `python -m bot replay` process: one JSON line in, one out."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "-m", "bot", "replay"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)

    def raw(self, line: str, timeout: float = 30.0) -> dict[str, Any]:
        """Send one raw input line, return the parsed output line."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.rstrip("\n") + "\n")
        self.proc.stdin.flush()
        output: dict[str, Any] = json.loads(self._lines.get(timeout=timeout))
        return output

    def say(self, user: str, text: str) -> dict[str, Any]:
        """A typed message."""
        return self.raw(json.dumps({"user": user, "text": text}))

    def press(self, user: str, payload: str) -> dict[str, Any]:
        """A button press."""
        return self.raw(json.dumps({"user": user, "button": payload}))

    def close(self) -> None:
        """End the process (EOF on stdin)."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def replay(stack_env: dict[str, str]) -> Iterator[Replay]:
    """The replay process of the session."""
    process = Replay(stack_env)
    yield process
    process.close()


@pytest.fixture(scope="module")
def grand_est_replay(grand_est_env: dict[str, str]) -> Iterator[Replay]:
    """A replay process of the Grand Est stack."""
    process = Replay(grand_est_env)
    yield process
    process.close()


@pytest.fixture
def stack_settings(
    stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The stack's settings in this process (its app and tracker databases), to read or do
    what the bot's periodic jobs would."""
    for key in ("DATABASE_URL", "RASA_TRACKER_URL", "RASA_TRACKER_DB"):
        monkeypatch.setenv(key, stack_env[key])
    get_settings.cache_clear()
    reset_engines()
    yield get_settings()
    reset_engines()
    get_settings.cache_clear()


def new_user() -> str:
    """A fresh sender id (a new conversation)."""
    return f"test-{uuid.uuid4().hex[:10]}"


def texts_of(output: dict[str, Any]) -> str:
    """All reply texts of one output line, joined."""
    return "\n".join(r["text"] for r in output["replies"])


def buttons_of(output: dict[str, Any]) -> list[dict[str, str]]:
    """All buttons of one output line."""
    return [b for r in output["replies"] for b in r.get("buttons", [])]
