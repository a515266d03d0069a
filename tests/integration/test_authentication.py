"""Only the front end talks to Rasa, and only Rasa to the action server (issue 11 item 3).

Anyone on the host used to reach both: a plain POST to Rasa's REST channel as
`sender=<someone>` cancelled that user's request, and a forged call to the action server filed
a request in their name. Now Rasa's input channel (rasa_channels/secured_rest.py) and the
action server (actions/server.py) refuse a call without their shared secret, and nothing runs.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.rasa_client import CHANNEL_PATH
from parcours.db.urls import for_app
from parcours.models import ContactRequest
from parcours.settings import SECRET_HEADER
from tests.integration.conftest import Replay, new_user, texts_of

pytestmark = pytest.mark.rasa


def events_of(env: dict[str, str], sender: str) -> list[dict[str, Any]]:
    """The user's tracker events, read through Rasa's API with RASA_TOKEN."""
    response = httpx.get(
        f"{env['RASA_URL']}/conversations/{sender}/tracker",
        params={"token": env["RASA_TOKEN"]},
        timeout=30,
    )
    response.raise_for_status()
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def requests_of(env: dict[str, str], sender: str) -> int:
    """How many contact requests the app database holds for `sender`."""
    engine = create_engine(for_app(env["DATABASE_URL"]))
    try:
        with engine.connect() as connection:
            query = select(func.count()).where(ContactRequest.user_id == sender)
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"], ids=["none", "empty", "wrong"])
def test_a_turn_without_the_channel_secret_is_refused_and_changes_nothing(
    stack_env: dict[str, str], replay: Replay, secret: str | None
) -> None:
    victim = new_user()
    assert texts_of(replay.say(victim, "bonjour"))  # the victim's conversation exists
    before = events_of(stack_env, victim)
    headers = {} if secret is None else {SECRET_HEADER: secret}
    response = httpx.post(
        f"{stack_env['RASA_URL']}{CHANNEL_PATH}",
        json={"sender": victim, "message": "/cancel_request"},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 403
    assert events_of(stack_env, victim) == before


def test_the_secret_opens_the_channel_with_rest_replies(stack_env: dict[str, str]) -> None:
    """The control: the same call with the secret is a turn, answered in the REST format."""
    sender = new_user()
    response = httpx.post(
        f"{stack_env['RASA_URL']}{CHANNEL_PATH}",
        json={"sender": sender, "message": "bonjour"},
        headers={SECRET_HEADER: stack_env["RASA_CHANNEL_SECRET"]},
        timeout=60,
    )
    assert response.status_code == 200
    replies = response.json()
    assert isinstance(replies, list)
    assert replies
    assert all(reply["recipient_id"] == sender for reply in replies)
    assert any(reply.get("text") for reply in replies)


def test_rasa_s_own_rest_channel_is_not_served(stack_env: dict[str, str]) -> None:
    response = httpx.post(
        f"{stack_env['RASA_URL']}/webhooks/rest/webhook",
        json={"sender": new_user(), "message": "bonjour"},
        timeout=60,
    )
    assert response.status_code == 404


def action_call(sender: str) -> dict[str, Any]:
    """What Rasa sends the action server to file a request for `sender`."""
    slots = {
        "request_target": "ministage:demo_ms_0001",
        "request_message": "Je voudrais faire un stage chez vous.",
        "request_availability": "les mercredis",
    }
    return {
        "next_action": "action_file_request",
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": slots,
            "latest_message": {"text": "les mercredis", "intent": {}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "request_form",
        },
    }


def post_action(env: dict[str, str], sender: str, headers: dict[str, str]) -> httpx.Response:
    url = env["ACTION_ENDPOINT_URL"]
    return httpx.post(url, json=action_call(sender), headers=headers, timeout=60)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"], ids=["none", "empty", "wrong"])
def test_a_forged_action_call_is_refused_and_files_nothing(
    stack_env: dict[str, str], secret: str | None
) -> None:
    victim = new_user()
    headers = {} if secret is None else {SECRET_HEADER: secret}
    response = post_action(stack_env, victim, headers)
    assert response.status_code == 403
    assert requests_of(stack_env, victim) == 0
    listing = httpx.get(stack_env["ACTION_ENDPOINT_URL"].replace("/webhook", "/actions"))
    assert listing.status_code == 403


def test_the_secret_opens_the_action_server(stack_env: dict[str, str]) -> None:
    """The control: the call refused above files the request when Rasa's header is there."""
    sender = new_user()
    response = post_action(stack_env, sender, {SECRET_HEADER: stack_env["ACTION_SERVER_SECRET"]})
    assert response.status_code == 200, response.text
    assert [r["response"] for r in response.json()["responses"]] == ["utter_request_sent"]
    assert requests_of(stack_env, sender) == 1
    health = httpx.get(stack_env["ACTION_ENDPOINT_URL"].replace("/webhook", "/health"))
    assert health.status_code == 200
