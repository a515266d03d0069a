"""The web chat's server over real HTTP and WebSocket, against a scripted Rasa (httpx mock
transport) and a real database: sessions, origins, limits, turns, history, pushes, /oubli."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from bot.dialogue import Dialogue
from bot.rasa_client import RasaClient
from bot.web_push import tell_text
from bot.web_server import CHANNEL, WebServer
from bot.web_session import COOKIE
from parcours.services import conversations, web_transcript
from parcours.settings import Settings

Rasa = Callable[[dict[str, Any]], list[dict[str, Any]]]


def scripted(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Rasa's answer to one turn: echo, with a button; a hand-off on /ask_human."""
    said = body["message"]
    if said == "/ask_human":
        return [
            {"text": "Je préviens un conseiller."},
            {"custom": {"handoff": {"reason": "user_request"}}},
        ]
    return [{"text": f"Tu as dit : {said}", "buttons": [{"title": "Menu", "payload": "/menu"}]}]


class Chat:
    """A browser-like client: a cookie jar, the page's Origin, one socket at a time."""

    def __init__(self, client: TestClient[Any, Any]) -> None:
        self.client = client
        self.origin = str(client.make_url("")).rstrip("/")

    async def open(self, origin: str | None = None) -> Any:
        headers = {"Origin": origin if origin is not None else self.origin}
        return await self.client.ws_connect("/ws", headers=headers)

    async def open_skipping_history(self) -> Any:
        """A socket from the page's origin whose first frame (the history) is read."""
        ws = await self.open()
        await ws.receive_json()
        return ws

    @staticmethod
    async def turn(ws: Any, frame: dict[str, Any]) -> dict[str, Any]:
        await ws.send_json(frame)
        while True:
            data = await ws.receive_json(timeout=10)
            if data["type"] in ("messages", "error"):
                return data  # type: ignore[no-any-return]


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[tuple[WebServer, TestClient[Any, Any]]]:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={})
        body = json.loads(request.content)
        if "lent" in body["message"]:
            await asyncio.sleep(0.5)  # a slow turn: the page may go away meanwhile
        return httpx.Response(200, json=scripted(body))

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    rasa = RasaClient("http://rasa", "t", client=client)
    web_settings = settings.model_copy(update={"web_max_connections_per_ip": 3})
    server = WebServer(web_settings, Dialogue(rasa, web_settings))
    await server.hub.start(notices=True)
    test = TestClient(TestServer(server.app))
    await test.start_server()
    try:
        yield server, test
    finally:
        await server.hub.stop()
        await test.close()
        await rasa.aclose()


@pytest.fixture
async def chat(served: tuple[WebServer, TestClient[Any, Any]]) -> Chat:
    _, client = served
    page = await client.get("/")
    assert page.status == 200
    assert COOKIE in page.cookies
    return Chat(client)


async def test_the_page_sets_a_safe_session_cookie_and_policy(
    served: tuple[WebServer, TestClient[Any, Any]],
) -> None:
    _, client = served
    page = await client.get("/")
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=web:")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'self'" in policy
    text = await page.text()
    assert '<deep-chat id="parcours-chat"' in text
    assert "googleapis" not in text
    again = await client.get("/")  # a valid session is kept
    assert "Set-Cookie" not in again.headers


async def test_static_files_are_served_and_nothing_else(
    served: tuple[WebServer, TestClient[Any, Any]],
) -> None:
    _, client = served
    bundle = await client.get("/static/deepChat.bundle.js")
    assert bundle.status == 200
    assert bundle.headers["Content-Type"].startswith("text/javascript")
    for path in ("/static/index.html", "/static/..%2F..%2Fweb_server.py", "/static/x.js"):
        assert (await client.get(path)).status == 404
    embed = await client.get("/embed.js")
    assert "parcours-launcher" in await embed.text()


async def test_a_turn_then_a_reload_shows_the_conversation(chat: Chat) -> None:
    ws = await chat.open()
    assert (await ws.receive_json())["type"] == "history"
    answer = await chat.turn(ws, {"type": "text", "text": "bonjour <b>toi</b>"})
    assert answer["handoff"] == "bot"
    (reply,) = answer["messages"]
    assert "Tu as dit : bonjour &lt;b&gt;toi&lt;/b&gt;" in reply["html"]
    assert 'data-payload="/menu"' in reply["html"]
    pressed = await chat.turn(ws, {"type": "button", "payload": "/menu", "title": "Menu"})
    assert "Tu as dit : /menu" in pressed["messages"][0]["html"]
    await ws.close()
    ws = await chat.open()  # the reload
    history = await ws.receive_json()
    assert [(m["role"], m.get("text")) for m in history["messages"]] == [
        ("user", "bonjour <b>toi</b>"),
        ("ai", None),
        ("user", "Menu"),
        ("ai", None),
    ]
    await ws.close()


async def test_a_forged_button_gets_the_menu_not_rasa(chat: Chat) -> None:
    ws = await chat.open_skipping_history()
    answer = await chat.turn(ws, {"type": "button", "payload": "/admin_reset{}", "title": "x"})
    texts = " ".join(m["html"] for m in answer["messages"])
    assert "Tu as dit : /menu" in texts  # the stale-button path: the menu
    await ws.close()


async def test_a_foreign_origin_and_a_missing_one_are_refused(
    chat: Chat, served: tuple[WebServer, TestClient[Any, Any]]
) -> None:
    _, client = served
    for origin in ("https://evil.example", ""):
        response = await client.get(
            "/ws",
            headers={
                "Origin": origin,
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            },
        )
        assert response.status == 403
    refused = await client.post("/session", headers={"Origin": "https://evil.example"})
    assert refused.status == 403
    assert "Set-Cookie" not in refused.headers


async def test_without_a_session_the_socket_asks_for_one(
    served: tuple[WebServer, TestClient[Any, Any]],
) -> None:
    _, client = served
    origin = str(client.make_url("")).rstrip("/")
    ws = await client.ws_connect("/ws", headers={"Origin": origin})
    closed = await ws.receive()
    assert closed.type is WSMsgType.CLOSE
    assert closed.data == 4401
    renewed = await client.post("/session", headers={"Origin": origin})
    assert renewed.status == 204
    assert COOKIE in renewed.cookies


async def test_bad_and_oversized_frames(chat: Chat) -> None:
    ws = await chat.open_skipping_history()
    for bad in ("not json", "[]", '{"type": "text", "text": 5}', '{"type": "sql"}'):
        await ws.send_str(bad)
        error = await ws.receive_json()
        assert error["type"] == "error"
        assert "pas pu lire" in error["text"]
    await ws.send_str(json.dumps({"type": "text", "text": "x" * 30_000}))
    closed = await ws.receive()
    assert closed.type is WSMsgType.CLOSE
    assert closed.data == 1009  # message too big


async def test_a_long_message_is_cut_and_said(chat: Chat) -> None:
    ws = await chat.open_skipping_history()
    answer = await chat.turn(ws, {"type": "text", "text": "mot " * 1500})
    assert "très long" in answer["messages"][0]["html"]
    assert len(answer["messages"][1]["html"]) < 4096 + 200  # Rasa got the cut text
    await ws.close()


async def test_flooding_is_limited_per_session(chat: Chat, settings: Settings) -> None:
    ws = await chat.open_skipping_history()
    answers = [
        await chat.turn(ws, {"type": "text", "text": f"message {n}"})
        for n in range(settings.user_rate_limit + 1)
    ]
    assert "Tu as dit" in answers[0]["messages"][0]["html"]
    assert "Tu as dit" not in answers[-1]["messages"][0]["html"]  # the polite notice
    await ws.close()


async def test_caps_per_address(chat: Chat) -> None:
    sockets = [await chat.open() for _ in range(3)]
    for ws in sockets:
        await ws.receive_json()
    extra = await chat.open()
    closed = await extra.receive()
    assert closed.data == 4429
    for ws in sockets:
        await ws.close()


async def test_other_tabs_see_the_turn_and_a_push_reaches_every_tab(
    chat: Chat, served: tuple[WebServer, TestClient[Any, Any]]
) -> None:
    server, _ = served
    first, second = await chat.open(), await chat.open()
    await first.receive_json()
    await second.receive_json()
    await chat.turn(first, {"type": "text", "text": "bonjour"})
    echo = await second.receive_json(timeout=5)
    assert echo["push"] is True
    assert [m["role"] for m in echo["messages"]] == ["user", "ai"]
    user_id = next(iter(server.hub.sockets))
    tell_text(user_id, "Bonjour, ici Julie, conseillère.")
    for ws in (first, second):
        pushed = await ws.receive_json(timeout=5)
        assert pushed["push"] is True
        assert pushed["messages"][0]["role"] == "coordinateur"
        assert "Julie" in pushed["messages"][0]["html"]
    await first.close()
    await second.close()


async def test_a_handoff_from_the_web_waits_for_a_coordinator(
    chat: Chat, served: tuple[WebServer, TestClient[Any, Any]]
) -> None:
    server, _ = served
    ws = await chat.open_skipping_history()
    answer = await chat.turn(ws, {"type": "command", "command": "/humain", "title": "Humain"})
    assert answer["handoff"] == "waiting"
    user_id = next(iter(server.hub.sockets))
    relayed = await chat.turn(ws, {"type": "text", "text": "mon fils a quitté le lycée"})
    assert relayed["handoff"] == "waiting"
    assert conversations.state(user_id).value == "waiting"
    await ws.close()


async def test_my_data_is_a_file_for_this_session_only(
    chat: Chat, served: tuple[WebServer, TestClient[Any, Any]]
) -> None:
    _, client = served
    ws = await chat.open_skipping_history()
    await chat.turn(ws, {"type": "text", "text": "bonjour"})
    answer = await chat.turn(ws, {"type": "command", "command": "/mes_donnees", "title": "x"})
    html = answer["messages"][0]["html"]
    href = html.split('href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/files/")
    download = await client.get(href)
    assert download.status == 200
    exported = json.loads(await download.read())
    assert exported["web_chat"][0]["text"] == "bonjour"
    assert "attachment" in download.headers["Content-Disposition"]
    client.session.cookie_jar.clear()  # another visitor
    assert (await client.get(href)).status == 404
    await ws.close()


async def test_forgetting_from_the_web_ends_the_session(
    chat: Chat, served: tuple[WebServer, TestClient[Any, Any]]
) -> None:
    server, client = served
    ws = await chat.open_skipping_history()
    await chat.turn(ws, {"type": "text", "text": "ma fille a 14 ans"})
    user_id = next(iter(server.hub.sockets))
    question = await chat.turn(ws, {"type": "command", "command": "/oubli", "title": "Effacer"})
    assert 'data-payload="/forget_confirm"' in question["messages"][0]["html"]
    done = await chat.turn(ws, {"type": "button", "payload": "/forget_confirm", "title": "Oui"})
    assert done["messages"][0]["id"] == 0  # said, not stored
    assert (await ws.receive_json())["type"] == "forgotten"
    assert (await ws.receive()).type is WSMsgType.CLOSE
    assert web_transcript.history(user_id) == []
    origin = str(client.make_url("")).rstrip("/")
    assert (await client.post("/session", headers={"Origin": origin})).status == 204
    ws = await chat.open()
    assert (await ws.receive_json())["messages"] == []  # a new, empty session
    assert next(iter(server.hub.sockets)) != user_id
    await ws.close()


async def test_start_greets_a_new_visitor_only_once(chat: Chat) -> None:
    ws = await chat.open_skipping_history()
    first = await chat.turn(ws, {"type": "start"})
    assert "Tu as dit : /greet" in first["messages"][0]["html"]
    second = await chat.turn(ws, {"type": "start"})  # a second tab, a stale page
    assert second == {"type": "messages", "messages": [], "handoff": "bot"}
    await ws.close()
    ws = await chat.open()
    history = (await ws.receive_json())["messages"]
    assert len(history) == 1  # the greeting once, no user bubble for `start`
    await ws.close()


async def test_a_tab_closed_mid_turn_loses_nothing_and_logs_no_error(
    chat: Chat,
    served: tuple[WebServer, TestClient[Any, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, _ = served
    ws = await chat.open_skipping_history()
    await ws.send_json({"type": "text", "text": "un tour lent, je ferme l'onglet"})
    assert (await ws.receive_json())["type"] == "typing"  # the turn runs
    ws._conn.transport.abort()  # the tab is closed: the connection drops, no close frame
    await asyncio.sleep(0.1)
    assert server.app[CHANNEL].turns, "the turn still runs after the page went away"
    await server.app[CHANNEL].drain()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    ws = await chat.open()
    history = (await ws.receive_json())["messages"]
    assert [m["role"] for m in history] == ["user", "ai"]
    assert "je ferme l'onglet" in history[1]["html"]
    await ws.close()
