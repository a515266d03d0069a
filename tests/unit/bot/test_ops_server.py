"""The bot's /health and /metrics endpoint: 200 when every check passes, 503 naming the
failed check otherwise; started and stopped by the PTB post_init / post_shutdown hooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from telegram.ext import Application

from bot import ops_server
from bot.dialogue import Dialogue
from bot.rasa_client import RasaClient
from devstack.processes import free_port
from parcours.settings import Settings


@pytest.fixture
async def fake_rasa() -> AsyncIterator[str]:
    """A Rasa stand-in whose /status answers (the model is loaded)."""

    async def status(_request: web.Request) -> web.Response:
        return web.json_response({"model_file": "models/parcours-x.tar.gz"})

    app = web.Application()
    app.router.add_get("/status", status)
    server = TestServer(app, host="127.0.0.1", port=free_port())
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def client_for(rasa_url: str) -> TestClient[web.Request, web.Application]:
    rasa = RasaClient(rasa_url, "token", timeout=2.0)
    checks = {"database": ops_server.database_check, "rasa": ops_server.rasa_check(rasa)}
    client = TestClient(TestServer(ops_server.make_app(checks)))
    await client.start_server()
    return client


async def test_health_is_503_and_names_rasa_when_rasa_is_unreachable(settings: Settings) -> None:
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        response = await client.get("/health")
        body = await response.json()
    finally:
        await client.close()
    assert response.status == 503
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["rasa"]["ok"] is False
    assert "Rasa" in body["checks"]["rasa"]["error"]


async def test_health_is_200_when_database_and_rasa_answer(
    settings: Settings, fake_rasa: str
) -> None:
    client = await client_for(fake_rasa)
    try:
        response = await client.get("/health")
        body = await response.json()
    finally:
        await client.close()
    assert response.status == 200
    assert body == {"status": "ok", "checks": {"database": {"ok": True}, "rasa": {"ok": True}}}


async def test_health_names_the_database_when_it_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, fake_rasa: str
) -> None:
    async def broken() -> dict[str, Any]:
        raise ops_server.CheckFailedError("database unreachable (OperationalError)")

    monkeypatch.setattr(ops_server, "database_check", broken)
    client = await client_for(fake_rasa)
    try:
        response = await client.get("/health")
        body = await response.json()
    finally:
        await client.close()
    assert response.status == 503
    assert body["checks"]["database"]["error"] == "database unreachable (OperationalError)"
    assert body["checks"]["rasa"] == {"ok": True}


async def test_metrics_are_served_in_the_prometheus_text_format(settings: Settings) -> None:
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        response = await client.get("/metrics")
        text = await response.text()
    finally:
        await client.close()
    assert response.status == 200
    assert response.content_type == "text/plain"
    assert "parcours_handoffs_waiting 0.0" in text
    assert "# TYPE parcours_turn_seconds histogram" in text


async def test_post_init_hook_serves_health_on_the_configured_port(
    settings: Settings, fake_rasa: str
) -> None:
    port = free_port()
    settings = settings.model_copy(update={"metrics_port": port, "rasa_url": fake_rasa})
    application = Application.builder().token("123456:TEST").updater(None).build()
    dialogue = Dialogue(RasaClient(fake_rasa, "token"), settings)
    application.bot_data["dialogue"] = dialogue
    await ops_server.start_ops_server(application)
    try:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{port}/health")
    finally:
        await ops_server.stop_ops_server(application)
        await dialogue.rasa.aclose()
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "rasa", "telegram"}
    assert checks["telegram"]["mode"] == "polling"
    assert checks["telegram"]["last_update_age_seconds"] is None


async def test_metrics_port_zero_disables_the_server(settings: Settings) -> None:
    settings = settings.model_copy(update={"metrics_port": 0})
    application = Application.builder().token("123456:TEST").updater(None).build()
    application.bot_data["dialogue"] = Dialogue(RasaClient("http://127.0.0.1:9", "t"), settings)
    await ops_server.start_ops_server(application)
    assert "ops_server" not in application.bot_data
    await ops_server.stop_ops_server(application)
    await application.bot_data["dialogue"].rasa.aclose()
