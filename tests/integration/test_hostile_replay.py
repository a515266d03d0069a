"""Hostile inputs through the real pipeline: `python -m bot replay` against Rasa + actions.

About 150 seeded lines from several users (100k-character text, control characters, bidi,
injections, fake commands, forged buttons, malformed lines on purpose, lone surrogates and
bytes that are not UTF-8): one output line per input, errors only for the malformed lines, no
traceback anywhere, exit 0 within a time bound.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from typing import Any

import pytest

from tests import hostile_inputs as h
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.rasa

SEED = 20240611
LINES = 150
#: Generous for a shared 2-core machine: a turn usually takes well under a second.
SECONDS_PER_LINE = 1.5
STARTUP_SECONDS = 30.0


def _inputs(run: str) -> list[tuple[str, str | None, bytes]]:
    """(kind, expected user, raw line) for every input; blank lines get no output."""
    users = [f"hostile{n}-{run}" for n in range(5)]
    lines: list[tuple[str, str | None, bytes]] = []
    for kind, line in h.replay_lines(SEED, LINES, users):
        user = None if kind == "bad" else str(json.loads(line)["user"])
        lines.append((kind, user, line.encode()))
    # Fresh users, so that these reach Rasa (the others may be waiting for a human by now).
    edge = [f"edge{n}-{run}" for n in range(6)]
    lines += [
        ("text", edge[0], b'{"user": "%s", "text": "salut \\ud800 toi"}' % edge[0].encode()),
        ("text", f"\ufffd{run}", b'{"user": "\\udc80%s", "text": "bonjour"}' % run.encode()),
        ("text", edge[1], b'{"user": "%s", "text": "caf\xe9 \xff\xfe"}' % edge[1].encode()),
        ("bad", None, b"\xff\xfe{not json"),
        ("text", edge[2], json.dumps({"user": edge[2], "text": "a" * 100_000}).encode()),
        ("button", edge[3], json.dumps({"user": edge[3], "button": "/restart"}).encode()),
        ("text", edge[4], json.dumps({"user": edge[4], "text": "/ /ask_human"}).encode()),
        ("text", edge[5], json.dumps({"user": edge[5], "text": "stage " * 20_000}).encode()),
    ]
    return lines


def test_hostile_replay_lines_get_one_safe_answer_each(stack_env: dict[str, str]) -> None:
    inputs = _inputs(uuid.uuid4().hex[:6])
    stdin = b"\n".join(raw for _, _, raw in inputs) + b"\n\n   \n"
    bound = STARTUP_SECONDS + SECONDS_PER_LINE * len(inputs)
    started = time.monotonic()
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "bot", "replay"],
        cwd=ROOT,
        env=stack_env,
        input=stdin,
        capture_output=True,
        timeout=bound,
        check=False,
    )
    elapsed = time.monotonic() - started
    stderr = done.stderr.decode(errors="replace")
    assert done.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    outputs = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(outputs) == len(inputs), "one output line per non-blank input line"

    technical = 0
    for (kind, user, raw), out in zip(inputs, outputs, strict=True):
        where = f"{raw[:120]!r} -> {json.dumps(out, ensure_ascii=False)[:300]}"
        if kind == "bad":
            assert set(out) == {"error"}, where
            assert out["error"], where
            continue
        assert "error" not in out, where
        assert out["user"] == user, where
        assert out["handoff"] in {"bot", "waiting", "human", "closed"}, where
        replies: list[dict[str, Any]] = out["replies"]
        assert replies or out["handoff"] == "human", where
        for reply in replies:
            assert reply["text"].strip() or reply.get("location"), where
            # What the assistant quotes back «…» is the user's own text, not a leak.
            assert not h.looks_like_a_traceback(re.sub("«[^»]*»", "", reply["text"])), where
            for button in reply.get("buttons", []):
                assert button["title"], where
        technical += any("problème technique" in r["text"] for r in replies)
    assert technical == 0, "Rasa or the action server failed on some hostile input"
    assert elapsed < bound
    print(f"\n{len(inputs)} hostile lines replayed in {elapsed:.1f} s")
