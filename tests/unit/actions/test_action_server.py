"""The action server (actions/server.py) runs an action only for a call with the shared secret:
rasa-sdk's own app, driven through ASGI (issue 11 item 3)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from sanic import Sanic

from actions.server import create_app
from parcours.settings import SECRET_HEADER

SECRET = "s" * 40


class Recording:
    """A registered action that only records who it ran for. Not an `Action` subclass: rasa-sdk
    registers every subclass it finds (tests/unit/actions/test_registry.py would see it)."""

    def __init__(self) -> None:
        self.runs: list[str] = []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        self.runs.append(tracker.sender_id)
        return []


@pytest.fixture
def recording() -> Recording:
    return Recording()


@pytest.fixture
async def client(
    recording: Recording, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the action server's app, started through the ASGI lifespan."""
    monkeypatch.setattr(Sanic, "test_mode", True)  # one app name, created once per test
    executor = ActionExecutor()
    executor.register_function("action_recording", recording.run)
    app = create_app(executor, SECRET)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    lifespan = asyncio.create_task(app({"type": "lifespan"}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://actions") as http:
        yield http
    await inbox.put({"type": "lifespan.shutdown"})
    await outbox.get()
    await lifespan


def call(sender: str) -> dict[str, Any]:
    return {
        "next_action": "action_recording",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []},
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: ""}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET[:-1]}],
    ids=["none", "empty", "wrong", "prefix"],
)
async def test_a_call_without_the_secret_is_refused_and_runs_nothing(
    client: httpx.AsyncClient, recording: Recording, headers: dict[str, str]
) -> None:
    response = await client.post("/webhook", json=call("victim"), headers=headers)
    assert response.status_code == 403
    assert recording.runs == []
    assert (await client.get("/actions", headers=headers)).status_code == 403


async def test_rasa_s_call_with_the_secret_runs_the_action(
    client: httpx.AsyncClient, recording: Recording
) -> None:
    response = await client.post("/webhook", json=call("u1"), headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert recording.runs == ["u1"]


async def test_health_needs_no_secret(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).status_code == 200


def test_an_empty_secret_admits_no_one() -> None:
    from actions.server import authorised

    assert not authorised("", "")
    assert not authorised(None, "x")
    assert authorised("x", "x")
