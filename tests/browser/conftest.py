"""Browser fixtures: the full stack (real Rasa + action server, the emulated Telegram Bot API
with the coordinators' forum group, the real bot process serving the web chat on a free port)
and Debian's headless Chromium driven by Playwright through its executable path.

A test that fails leaves a screenshot, the page's HTML (with deep-chat's shadow DOM) and its
console log in test-artifacts/. Without Chromium the tests SKIP locally (reason shown by
`pytest -rs`) and FAIL in CI (CI=true): a CI machine must not pass them by not running them.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from devstack.botapi import BotApiEmulator
from devstack.processes import free_port
from tests.browser.agency import AgencySite
from tests.e2e.conftest import _BOTS, STAFF, BotProcess, start_emulator
from tests.integration.conftest import ROOT, running_stack

ARTIFACTS = ROOT / "test-artifacts"
BROWSER_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
INSTALL_HINT = (
    "install Debian's Chromium as root (`apt-get install -y chromium`, which `make setup` and "
    ".ci/run do when they can) or set BROWSER_PATH; never `playwright install`"
)
#: Viewports of the scenarios: a desktop and a phone (the issue's 390×760).
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 760}
#: Longest wait for anything the stack does (a Rasa turn takes well under a second here).
WAIT_MS = 30_000
#: The browser contexts of a test and what their pages did (for the failure artefacts).
_CONTEXTS = pytest.StashKey[list[tuple[Any, "PageRecord"]]]()


def browser_path() -> str | None:
    """The Chromium binary: BROWSER_PATH, else Debian's."""
    configured = os.environ.get("BROWSER_PATH", "")
    for candidate in (configured, *BROWSER_CANDIDATES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a browser test never passes by not running there."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests SKIPPED: {reason}")


# ---------------------------------------------------------------------- the stack


class WebStack:
    """The running bot process with its web server, and the Bot API it talks to."""

    def __init__(self, bot: BotProcess, url: str, agency: AgencySite) -> None:
        self.bot = bot
        self.agency = agency  # the agency's site, allowed to embed the chat
        self.api: BotApiEmulator = bot.api
        self.url = url
        self.database_url = bot.env["DATABASE_URL"]

    @property
    def host(self) -> str:
        """`host:port` of the web chat (the only host the page may reach)."""
        return self.url.split("://", 1)[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="package")
def browser_stack_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A running Rasa + action server on SQLite (as the integration suite's `stack_env`, by the
    same scripts as `make up` / `make down`), for this package only: stopped after the last
    browser test, so that it never runs beside the other suites' stacks."""
    yield from running_stack("sqlite", "normandie", tmp_path_factory)


@pytest.fixture(scope="package")
def web_stack(
    chromium: Any, browser_stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebStack]:
    """The real bot process (`python -m bot run`) against the emulated Bot API and the real
    Rasa stack, serving the web chat on a free port; the coordinators' forum group of the
    e2e suite (always open). Chromium is checked first: no stack for tests that cannot run."""
    agency = AgencySite()
    api = start_emulator()
    api.create_forum_group(STAFF.chat_id, "Coordinateurs (test)", STAFF.members)
    port = free_port()
    env = {
        **browser_stack_env,
        **STAFF.env,
        "WEB_PORT": str(port),
        "WEB_HOST": "127.0.0.1",
        "WEB_SECRET": uuid.uuid4().hex + uuid.uuid4().hex,
        "WEB_ALLOWED_ORIGINS": agency.origin,
    }
    process = BotProcess(env, api, tmp_path_factory.mktemp("web-bot") / "bot.log")
    _BOTS.append(process)
    url = f"http://127.0.0.1:{port}"
    agency.app_url = url
    deadline = time.monotonic() + 30.0
    while not _healthy(url):  # polled: the server has no event to wait on
        if process.proc.poll() is not None or time.monotonic() > deadline:
            process.stop()
            pytest.fail(f"the web chat did not answer on {url}/healthz:\n{process.log()[-3000:]}")
        time.sleep(0.1)
    yield WebStack(process, url, agency)
    code, _ = process.stop()
    api.stop()
    agency.stop()
    assert code == 0, f"the bot exited with {code} on SIGTERM:\n{process.log()[-3000:]}"


@pytest.fixture(autouse=True)
def no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """No traceback or ERROR line in the bot's log during a test that used the stack."""
    if "web_stack" not in request.fixturenames:
        yield
        return
    stack: WebStack = request.getfixturevalue("web_stack")
    before = len(stack.bot.log())
    yield
    new_log = stack.bot.log()[before:]
    problems = [word for word in ("Traceback", "ERROR") if word in new_log]
    assert not problems, f"bot log:\n{new_log[-3000:]}"


# ---------------------------------------------------------------------- the browser


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium (Playwright, executable_path; `--no-sandbox` as root)."""
    path = browser_path()
    if path is None:
        unavailable(
            f"no Chromium at BROWSER_PATH or {', '.join(BROWSER_CANDIDATES)}: " + INSTALL_HINT
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the `playwright` package is missing from .venv (run `make setup`)")
    assert path is not None
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's failures in test-artifacts/
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=args)
        yield browser
        browser.close()


class PageRecord:
    """What a page did: console messages, page errors, requests to other hosts (blocked)."""

    def __init__(self) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.requests: list[str] = []
        self.sockets: list[str] = []


@pytest.fixture
def browser_context(
    request: pytest.FixtureRequest, chromium: Any, web_stack: WebStack
) -> Iterator[Any]:
    """A fresh browser profile (no cookie) opening the web chat; any request to another host
    than the app is recorded and blocked. Parametrize indirectly with "mobile" for a phone."""
    mobile = getattr(request, "param", "desktop") == "mobile"
    context = chromium.new_context(
        base_url=web_stack.url,
        locale="fr-FR",
        viewport=MOBILE if mobile else DESKTOP,
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=2 if mobile else 1,
    )
    context.set_default_timeout(WAIT_MS)
    record = PageRecord()
    allowed = {web_stack.host, urlsplit(web_stack.agency.origin).netloc}

    def guard(route: Any) -> None:
        url = route.request.url
        record.requests.append(url)
        if urlsplit(url).netloc in allowed or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            record.foreign.append(url)
            route.abort()

    context.route("**/*", guard)

    def watch(page: Any) -> None:
        page.on("console", lambda m: record.console.append(f"[{m.type}] {m.text}"))
        page.on("pageerror", lambda e: record.errors.append(str(e)))

        def websocket(ws: Any) -> None:
            record.sockets.append(ws.url)
            if urlsplit(ws.url).netloc != web_stack.host:
                record.foreign.append(ws.url)

        page.on("websocket", websocket)

    context.on("page", watch)
    request.node.stash[_CONTEXTS] = [*request.node.stash.get(_CONTEXTS, []), (context, record)]
    yield context
    context.close()


@pytest.fixture
def page_record(request: pytest.FixtureRequest, browser_context: Any) -> PageRecord:
    """What the pages of `browser_context` did (console, errors, requests)."""
    return next(r for c, r in request.node.stash[_CONTEXTS] if c is browser_context)


@pytest.fixture
def page(browser_context: Any) -> Any:
    """A page of `browser_context` (not yet on the chat)."""
    return browser_context.new_page()


# ---------------------------------------------------------------------- artefacts


def _slug(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("tests/browser/")[-1])[:150]


_SHADOW_HTML = """() => {
    const chat = document.querySelector('deep-chat');
    const shadow = chat && chat.shadowRoot ? chat.shadowRoot.innerHTML : '(no deep-chat)';
    return document.documentElement.outerHTML + '\\n<!-- deep-chat shadow root -->\\n' + shadow;
}"""


def save_artifacts(item: pytest.Item, when: str) -> list[Path]:
    """Screenshot, HTML (light + shadow DOM) and console log of every open page of the test."""
    saved: list[Path] = []
    ARTIFACTS.mkdir(exist_ok=True)
    base = _slug(item.nodeid)
    for c, (context, record) in enumerate(item.stash.get(_CONTEXTS, [])):
        for p, page in enumerate(context.pages):
            stem = ARTIFACTS / f"{base}-{when}-{c}{p}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True, timeout=10_000)
                saved.append(Path(f"{stem}.png"))
                Path(f"{stem}.html").write_text(page.evaluate(_SHADOW_HTML), encoding="utf-8")
                saved.append(Path(f"{stem}.html"))
            except Exception as error:  # a crashed page still gets its log saved
                Path(f"{stem}.error.txt").write_text(repr(error), encoding="utf-8")
        log = ARTIFACTS / f"{base}-{when}-{c}.console.txt"
        log.write_text(
            "\n".join(
                [
                    "# console",
                    *record.console,
                    "# page errors",
                    *record.errors,
                    "# blocked requests to other hosts",
                    *record.foreign,
                    "# requests",
                    *record.requests,
                ]
            ),
            encoding="utf-8",
        )
        saved.append(log)
    return saved


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failing test (set-up or call), keep what its pages showed in test-artifacts/."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.failed and report.when in ("setup", "call") and item.stash.get(_CONTEXTS, []):
        saved = save_artifacts(item, report.when)
        if saved:
            names = ", ".join(str(p.relative_to(ROOT)) for p in saved)
            report.sections.append(("browser artefacts", names))
