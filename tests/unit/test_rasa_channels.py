"""Rasa's input channel (rasa_channels/, run by .venv-rasa) and the files that wire it: only the
secured channel is served, and every hop sends the header its receiver checks."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import yaml

from bot.rasa_client import CHANNEL_PATH, RasaClient
from parcours import rasa_endpoints
from parcours.settings import SECRET_HEADER, Settings
from rasa_channels import secret

ROOT = Path(__file__).resolve().parents[2]


def test_both_venvs_name_the_same_header() -> None:
    assert secret.SECRET_HEADER == SECRET_HEADER


def test_the_channel_secret_is_compared_whole() -> None:
    assert secret.authorised("abc", "abc")
    assert not secret.authorised("ab", "abc")
    assert not secret.authorised(None, "abc")
    assert not secret.authorised("", "")  # no secret configured: no one


def test_rasa_serves_only_the_secured_channel() -> None:
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert credentials == {
        "rasa_channels.secured_rest.SecuredRestInput": {"secret": "${RASA_CHANNEL_SECRET}"}
    }
    assert CHANNEL_PATH == "/webhooks/parcours/webhook"  # SecuredRestInput.name() == "parcours"
    source = (ROOT / "rasa_channels" / "secured_rest.py").read_text(encoding="utf-8")
    assert 'return "parcours"' in source


def test_rasa_sends_the_action_server_secret() -> None:
    settings = Settings(action_server_secret="a" * 40)
    document = yaml.safe_load(rasa_endpoints.render(settings))
    assert document["action_endpoint"]["headers"] == {SECRET_HEADER: "a" * 40}
    committed = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert committed["action_endpoint"]["headers"] == {SECRET_HEADER: "${ACTION_SERVER_SECRET}"}


async def test_the_front_end_sends_the_channel_secret_with_every_turn() -> None:
    seen: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"recipient_id": "u1", "text": "Bonjour"}])

    http = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
    client = RasaClient("http://rasa", "t", client=http, channel_secret="c" * 40)
    assert await client.send("u1", "bonjour", "k1") == [{"recipient_id": "u1", "text": "Bonjour"}]
    await client.aclose()
    assert seen[0].url == "http://rasa/webhooks/parcours/webhook"
    assert seen[0].headers[SECRET_HEADER] == "c" * 40
    assert json.loads(seen[0].content)["sender"] == "u1"
