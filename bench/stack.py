"""Start and stop the real services for benchmarks: Rasa + action server (scripts/up.sh, on
free ports, with a private var dir, as tests/integration/conftest.py does), and the real bot
process (`python -m bot run`) pointed at a Bot API emulator."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO

from devstack.processes import free_port, terminate

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"


def stack_environment(var: Path) -> dict[str, str]:
    """Environment of a private Rasa + action server stack under `var` (free ports)."""
    rasa_port, action_port = free_port(), free_port()
    return {
        **os.environ,
        "VAR_DIR": str(var),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "DATABASE_URL": f"sqlite:///{var}/app.db",
        "RASA_TRACKER_URL": "",
        "RASA_TRACKER_DB": f"{var}/rasa_tracker.db",
        "RASA_TOKEN": uuid.uuid4().hex,
        "PARCOURS_METIER_NUMBER": "",
        "ORIENT_EST_NUMBER": "",
    }


def stack_up(env: dict[str, str]) -> None:
    """scripts/up.sh with `env`; raises with the log tail on failure."""
    up = subprocess.run([str(ROOT / "scripts" / "up.sh")], env=env, capture_output=True, text=True)
    if up.returncode != 0:
        stack_down(env)
        raise RuntimeError(f"scripts/up.sh failed:\n{up.stderr[-3000:]}")


def stack_down(env: dict[str, str]) -> None:
    """scripts/down.sh with `env`."""
    subprocess.run([str(ROOT / "scripts" / "down.sh")], env=env, check=False, capture_output=True)


def save_env(env: dict[str, str], path: Path) -> None:
    """Keep the stack's own variables (to reuse a running stack with --reuse)."""
    keys = [k for k in stack_environment(Path("/x")) if k not in os.environ]
    path.write_text(json.dumps({k: env[k] for k in keys}, indent=1))


def load_env(path: Path) -> dict[str, str]:
    """The environment of a stack saved by `save_env`."""
    saved: dict[str, str] = json.loads(path.read_text())
    return {**os.environ, **saved}


def service_pid(env: dict[str, str], service: str) -> int | None:
    """The pid of a service started by up.sh (rasa, actions)."""
    pidfile = Path(env["VAR_DIR"]) / f"{service}.pid"
    return int(pidfile.read_text()) if pidfile.exists() else None


class BotRunner:
    """`python -m bot run` against the emulator at `api_base` (no staff group); or another
    mode (`web`: the web chat alone)."""

    def __init__(self, env: dict[str, str], log_path: Path, mode: str = "run") -> None:
        self.env = env
        self.log_path = log_path
        self._log: IO[str] = log_path.open("w")
        self.proc = subprocess.Popen(
            [str(PYTHON), "-m", "bot", mode],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        """The process still runs."""
        return self.proc.poll() is None

    def log(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, then kill after `timeout`; returns the exit code."""
        code = terminate(self.proc, timeout)
        self._log.close()
        return code


def bot_environment(
    stack: dict[str, str], api_base: str, file_base: str, token: str, *, limiter: bool
) -> dict[str, str]:
    """The bot process's environment: the stack's, the emulator, no staff group."""
    env = {
        **stack,
        "TELEGRAM_TOKEN": token,
        "TELEGRAM_API_BASE_URL": api_base,
        "TELEGRAM_FILE_BASE_URL": file_base,
        "TELEGRAM_RATE_LIMITER": "true" if limiter else "false",
        "WEBHOOK_URL": "",
        "METRICS_PORT": str(free_port()),
        "WEB_PORT": "0",  # the Telegram bench: no web chat
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("STAFF_CHAT_ID", None)
    env.pop("COORDINATORS", None)
    return env


def wait_until(probe: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `probe` until true or raise."""
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.1)
