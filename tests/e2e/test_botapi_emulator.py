"""The emulator itself, driven by python-telegram-bot's real `Bot` (no Rasa needed): the shapes
and errors PTB receives must be the ones api.telegram.org gives."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter

from devstack.botapi import BotApiEmulator

pytestmark = pytest.mark.telegram

USER = 424_242


@pytest.fixture(scope="module")
def api() -> Iterator[BotApiEmulator]:
    """An emulator of its own (its deliberate errors are not the bot's)."""
    emulator = BotApiEmulator().start()
    emulator.push_message(USER, "hello")  # opens the private chat
    yield emulator
    emulator.stop()


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[Bot]:
    """PTB's Bot pointed at the emulator (initialize() calls getMe)."""
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        yield bot


async def test_get_me_has_the_fields_ptb_needs(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == "parcours_test_bot"
    assert me.can_join_groups is True
    assert me.id == 123456789


async def test_send_message_limits_and_dates(bot: Bot) -> None:
    sent = await bot.send_message(USER, "é" * 4096)
    assert sent.text == "é" * 4096
    assert abs(sent.date.timestamp() - time.time()) < 60, "dates are in seconds"
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "a" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(999_999_999, "bonjour")
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(USER, "bonjour", message_thread_id=7)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(USER, "<b>gras", parse_mode="HTML")


async def test_lengths_count_utf16_and_a_group_can_be_rate_limited(
    bot: Bot, api: BotApiEmulator
) -> None:
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "👤 " + "a" * 4094)  # 4,096 characters, 4,097 in UTF-16
    group = -1001234000111
    api.create_forum_group(group, "Coordinateurs", {USER: "member"})
    api.limit_groups(3)
    try:
        for n in range(3):
            await bot.send_message(group, f"message {n}")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(group, "un de trop")
        assert 1 <= flood.value.retry_after <= 60
        await bot.send_message(USER, "private chats are not limited")
    finally:
        api.limit_groups(None)
    await bot.send_message(group, "limit off")


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("é", callback_data="é" * 32)]])
    assert (await bot.send_message(USER, "ok", reply_markup=ok)).reply_markup == ok
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "trop long", reply_markup=too_long)


async def test_edit_message_text_not_modified(bot: Bot) -> None:
    sent = await bot.send_message(USER, "avant")
    edited = await bot.edit_message_text("après", USER, sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "après"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("après", USER, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 10_000)


async def test_callback_queries_are_answered_once_and_not_too_late(
    bot: Bot, api: BotApiEmulator
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="/affirm")]])
    sent = await bot.send_message(USER, "Alors ?", reply_markup=markup)
    fresh = api.push_callback(USER, "/affirm", sent.message_id)
    old = api.push_callback(USER, "/affirm", sent.message_id, age=60)
    updates = await bot.get_updates(timeout=0)
    query = next(u.callback_query for u in updates if u.callback_query is not None)
    assert query.chat_instance
    assert query.message is not None
    assert await bot.answer_callback_query(fresh) is True
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(fresh)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(old)
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)


async def test_get_updates_offset_limit_and_long_poll(bot: Bot, api: BotApiEmulator) -> None:
    pending = await bot.get_updates(timeout=0)
    if pending:
        await bot.get_updates(offset=pending[-1].update_id + 1, timeout=0)
    for word in ("un", "deux", "trois"):
        api.push_message(USER, word)
    first = await bot.get_updates(limit=2, timeout=0)
    assert [u.message.text for u in first if u.message] == ["un", "deux"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in rest if u.message] == ["trois"]
    offset = rest[-1].update_id + 1

    started = time.monotonic()
    assert await bot.get_updates(offset=offset, timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3

    asyncio.get_running_loop().call_later(0.3, api.push_message, USER, "quatre")
    started = time.monotonic()
    woken = await bot.get_updates(offset=offset, timeout=10)
    assert [u.message.text for u in woken if u.message] == ["quatre"]
    assert time.monotonic() - started < 3, "a long poll returns as soon as an update arrives"

    other = asyncio.create_task(bot.get_updates(offset=woken[-1].update_id + 1, timeout=5))
    await asyncio.sleep(0.3)
    async with Bot(api.token, base_url=api.base_url) as second:
        await second.get_updates(offset=woken[-1].update_id + 1, timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await other


async def test_send_document_is_multipart_and_stored(bot: Bot, api: BotApiEmulator) -> None:
    body = json.dumps({"a": "é"}).encode()
    sent = await bot.send_document(
        USER, InputFile(body, filename="x.json"), caption="Voici /oubli"
    )
    assert sent.document is not None
    assert sent.document.file_name == "x.json"
    assert api.uploaded(sent.document.file_id).content == body
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(USER, InputFile(body, filename="x.json"), caption="c" * 1025)


async def test_json_bodies_are_accepted_too(api: BotApiEmulator) -> None:
    async with httpx.AsyncClient() as client:
        ok = await client.post(
            f"{api.base_url}{api.token}/sendMessage",
            json={"chat_id": USER, "text": "[1]", "reply_markup": {"inline_keyboard": []}},
        )
        unknown = await client.post(f"{api.base_url}{api.token}/sendSticker", json={})
        wrong = await client.post(f"{api.base_url}123:nope/getMe")
    assert ok.json()["result"]["text"] == "[1]"
    assert unknown.status_code == 404
    assert unknown.json()["description"] == "Not Found"
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


class WebhookReceiver:
    """A tiny aiohttp endpoint standing in for the bot's webhook: answers the next `statuses`
    (then 200) and records every POST (secret header, JSON body)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _hook(self, request: web.Request) -> web.Response:
        self.received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/hook"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def texts(self) -> list[str]:
        return [body["message"]["text"] for _, body in self.received if "message" in body]


async def eventually(api: BotApiEmulator, probe: Callable[[], bool]) -> None:
    """Wait in a thread (the receiver runs on this loop) until `probe()` is true."""
    await asyncio.to_thread(api.wait_for, lambda: True if probe() else None, 10.0, "deliveries")


async def test_webhook_mode_posts_updates_in_order_and_retries() -> None:
    api = BotApiEmulator().start()
    receiver = WebhookReceiver([500, 503])
    await receiver.start()
    try:
        async with Bot(api.token, base_url=api.base_url) as bot:
            with pytest.raises(BadRequest, match=r"(?i)an https url must be provided"):
                await bot.set_webhook("http://bot.example.org/hook")
            api.push_message(USER, "avant")  # pending before the webhook: delivered first
            assert await bot.set_webhook(
                receiver.url, secret_token="s3cret_-X", allowed_updates=["message"]
            )
            with pytest.raises(Conflict, match="can't use getUpdates method while webhook"):
                await bot.get_updates(timeout=0)
            assert api.errors()[-1].description == (
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
            api.push_message(USER, "un")
            api.push_message(USER, "deux")
            await eventually(api, lambda: receiver.texts()[-2:] == ["un", "deux"])
            assert receiver.texts() == ["avant", "avant", "avant", "un", "deux"], (
                "a refused update is retried, and nothing overtakes it"
            )
            assert {secret for secret, _ in receiver.received} == {"s3cret_-X"}
            info = await bot.get_webhook_info()
            assert (info.url, info.pending_update_count) == (receiver.url, 0)
            assert "Wrong response from the webhook: 503" in str(info.last_error_message)

            await receiver.stop()  # the bot is down: updates wait
            api.push_message(USER, "trois")
            await eventually(api, lambda: not api.webhook_deliveries()[-1]["ok"])
            assert api.webhook_deliveries()[-1]["detail"] == "Connection refused"
            assert (await bot.get_webhook_info()).pending_update_count == 1

            assert await bot.delete_webhook()  # back to polling: nothing lost
            updates = await bot.get_updates(timeout=0)
            assert [u.message.text for u in updates if u.message] == ["trois"]
            assert (await bot.get_webhook_info()).url == ""
            api.push_message(USER, "quatre")
            assert await bot.delete_webhook(drop_pending_updates=True)
            assert await bot.get_updates(timeout=0) == ()
    finally:
        await receiver.stop()
        api.stop()
