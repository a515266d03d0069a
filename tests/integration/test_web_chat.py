"""The web chat against the real stack: `python -m bot web` (a real process), the trained
Rasa model and the action server, over a real WebSocket."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from devstack.processes import free_port, terminate
from devstack.webclient import WebVisitor, html_of, wait_ready
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def web_url(stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running `python -m bot web` on a free port."""
    port = free_port()
    log: Path = tmp_path_factory.mktemp("web") / "web.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "-m", "bot", "web"],
            cwd=ROOT,
            env={**stack_env, "WEB_PORT": str(port), "METRICS_PORT": "0"},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        code = terminate(proc)
        text = log.read_text(errors="replace")
        assert code == 0, text[-3000:]
        assert "Traceback" not in text, text[-3000:]


@pytest.fixture
async def visitor(web_url: str) -> AsyncIterator[WebVisitor]:
    await wait_ready(web_url)
    visitor = WebVisitor(web_url)
    assert await visitor.open_page() == 200
    yield visitor
    await visitor.aclose()


async def test_a_faq_turn_buttons_and_a_reload(visitor: WebVisitor) -> None:
    assert await visitor.connect() == []
    greeting, _ = await visitor.turn({"type": "start"})
    shown = html_of(greeting)
    assert "Tes données" in shown, "the consent notice"
    assert 'data-command="/oubli"' in shown, "…with /oubli as a button"
    assert 'data-payload="/set_role{&quot;role&quot;:&quot;parent&quot;}"' in shown
    role = await visitor.press('/set_role{"role":"parent"}', "Parent")
    assert "noté" in html_of(role)
    answer = await visitor.say("c'est quoi un mini-stage ?")
    assert "jours" in html_of(answer)
    assert answer["handoff"] == "bot"
    await visitor.close()

    history = await visitor.connect()  # reload: the same conversation
    users = [m["text"] for m in history if m["role"] == "user"]
    assert users == ["Parent", "c'est quoi un mini-stage ?"]
    assert "jours" in history[-1]["html"]


async def test_forgetting_from_the_web(visitor: WebVisitor, web_url: str) -> None:
    await visitor.connect()
    await visitor.say("mon fils a 17 ans et habite à Lisieux")
    user_id = visitor.user_id
    question = await visitor.command("/oubli", "Effacer mes données")
    assert 'data-payload="/forget_confirm"' in html_of(question)
    done = await visitor.press("/forget_confirm", "Oui, tout effacer")
    assert "effac" in html_of(done)
    assert visitor.ws is not None
    assert (await visitor.ws.receive_json())["type"] == "forgotten"
    await visitor.close()
    # The old cookie finds nothing any more, even before the page renews its session.
    assert await visitor.connect() == []
    await visitor.close()
    async with visitor.http.post(web_url + "/session", headers={"Origin": web_url}) as renewed:
        assert renewed.status == 204
    assert visitor.user_id != user_id
    assert await visitor.connect() == []


async def test_another_site_cannot_open_the_socket(visitor: WebVisitor, web_url: str) -> None:
    intruder = WebVisitor(web_url, origin="https://evil.example")
    intruder.http = visitor.http  # even with the visitor's own cookie
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await intruder.connect()
    assert refused.value.status == 403
