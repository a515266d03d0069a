"""A small Telegram Bot API emulator (aiohttp) for end-to-end tests of the real bot process.

It listens on 127.0.0.1:<free port> in a background thread with its own event loop and
answers `/bot<token>/<method>` the way api.telegram.org does: JSON, urlencoded or multipart
parameters (python-telegram-bot sends JSON-encoded values in form fields), `{"ok": true,
"result": ...}` or `{"ok": false, "error_code": ..., "description": ...}` with Telegram's
error texts, dates in seconds, long polling with `offset` / `limit` / `timeout`.

Tests push updates (`push_message`, `push_callback`, `push_sticker`) and read what the bot
did: every call is stored in order (`calls`, `errors`), and the messages the bot sent are kept
per chat (`bot_messages`, `wait_for_messages`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import BodyPartReader, web

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
T = TypeVar("T")
CALLBACK_ANSWER_WINDOW = 15.0  # seconds a callback query can be answered
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
UPDATE_TYPES = frozenset({"message", "edited_message", "callback_query"})
_INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
    }
)
_FLOAT_PARAMS = frozenset({"latitude", "longitude"})
_BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "allow_sending_without_reply",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "allowed_updates",
        "reply_parameters",
        "entities",
        "caption_entities",
        "link_preview_options",
        "scope",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_URL_RE = re.compile(r"^(https?|tg)://[^\s]+$", re.I)


class ApiError(Exception):
    """A Bot API error, answered as `{"ok": false, ...}`."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(reason: str) -> ApiError:
    """Telegram's 400 with its usual prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class Call:
    """One request of the bot, in arrival order."""

    index: int
    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    done: bool = False

    @property
    def chat_id(self) -> int | None:
        """The chat the call is about, if any."""
        value = self.params.get("chat_id")
        return value if isinstance(value, int) else None


@dataclass
class _Chat:
    data: dict[str, Any]
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)


class BotApiEmulator:
    """The emulated Bot API server; `start()` it, point the bot at `base_url`."""

    def __init__(
        self,
        token: str = "123456789:TEST-x",
        *,
        username: str = "parcours_test_bot",
        first_name: str = "Parcours Métier (test)",
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port = 0
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self._chats: dict[int, _Chat] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100_000
        self._confirmed_up_to = 0  # highest update id the bot confirmed (offset - 1)
        self._poll_generation = 0
        self._webhook_url = ""
        self._commands: dict[str, list[dict[str, str]]] = {}
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._files: dict[str, UploadedFile] = {}
        self._injected: list[dict[str, Any]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": self._get_me,
            "logout": lambda params: True,
            "close": lambda params: True,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendchataction": self._send_chat_action,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "sendvenue": self._send_venue,
        }

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """For PTB's `base_url` / TELEGRAM_API_BASE_URL (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For PTB's `base_file_url` / TELEGRAM_FILE_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> BotApiEmulator:
        """Serve in a background thread; returns once the port is bound."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve(ready))
            except BaseException as exc:  # pragma: no cover - reported to start()
                failure.append(exc)
                ready.set()
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="botapi-emulator", daemon=True)
        self._thread.start()
        if not ready.wait(10) or failure:
            raise RuntimeError(f"the Bot API emulator did not start: {failure}")
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():

            def shutdown() -> None:
                stopping.set()
                if self._wakeup is not None:
                    self._wakeup.set()  # pending long polls answer at once

            loop.call_soon_threadsafe(shutdown)
        if self._thread is not None:
            self._thread.join(10)

    async def _serve(self, ready: threading.Event) -> None:
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        ready.set()
        await self._stopping.wait()
        await self._runner.cleanup()

    # ------------------------------------------------------------------ test API

    def push_message(
        self,
        user_id: int,
        text: str,
        chat_type: str = "private",
        *,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A user types `text` (commands get their bot_command entity, as Telegram does)."""
        extra: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            extra["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        return self._push_user_message(user_id, chat_type, chat_id, extra)

    def push_sticker(
        self, user_id: int, chat_type: str = "private", *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """A user sends a sticker."""
        unique = uuid.uuid4().hex[:16]
        sticker = {
            "file_id": f"CAACAgIAAxkBAAI{unique}",
            "file_unique_id": f"AgAD{unique[:8]}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
            "set_name": "TestStickers",
            "file_size": 24_000,
        }
        return self._push_user_message(user_id, chat_type, chat_id, {"sticker": sticker})

    def push_callback(
        self,
        user_id: int,
        data: str,
        message_id: int,
        *,
        chat_id: int | None = None,
        age: float = 0.0,
    ) -> str:
        """A user presses an inline button under the bot's message `message_id`.

        `age` makes the query that many seconds old (Telegram refuses answers after ~15 s,
        e.g. presses queued while the bot was down). Returns the query id.
        """
        chat_id = user_id if chat_id is None else chat_id
        with self._lock:
            chat = self._chats.get(chat_id)
            message = chat.messages.get(message_id) if chat else None
            if message is None or message.get("from", {}).get("id") != self.bot_user["id"]:
                raise KeyError(f"no bot message {message_id} in chat {chat_id}")
            query_id = str(next(_query_ids))
            self._callback_queries[query_id] = {
                "created": time.time() - age,
                "answered": False,
                "chat_id": chat_id,
            }
            query = {
                "id": query_id,
                "from": self._user(user_id),
                "message": _copy(message),
                "chat_instance": str(-(10**18) - abs(chat_id)),
                "data": data,
            }
            self._add_update({"callback_query": query})
        return query_id

    def calls(
        self, method: str | None = None, chat_id: int | None = None, *, pending: bool = False
    ) -> list[Call]:
        """Answered calls in order, optionally of one method (case-insensitive) and chat;
        with `pending`, calls still being answered (a long poll) too."""
        with self._lock:
            return [
                call
                for call in self._calls
                if (call.done or pending)
                and (method is None or call.method.lower() == method.lower())
                and (chat_id is None or call.chat_id == chat_id)
            ]

    def fail_next(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        code: int = 429,
        description: str = "Too Many Requests: retry after 1",
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` (about `chat_id`) with this error, the way
        Telegram does under flood control (429 with parameters.retry_after) or an outage."""
        with self._lock:
            self._injected.append(
                {
                    "method": method.lower(),
                    "chat_id": chat_id,
                    "error": ApiError(code, description, retry_after),
                    "times": times,
                }
            )

    def mark(self) -> int:
        """A position in the call log, for `calls_since`."""
        with self._lock:
            return len(self._calls)

    def calls_since(self, mark: int, chat_id: int | None = None) -> list[Call]:
        """Calls received after `mark`, optionally about one chat."""
        with self._lock:
            return [
                call
                for call in self._calls[mark:]
                if call.done and (chat_id is None or call.chat_id == chat_id)
            ]

    def settle(self, chat_id: int, quiet: float = 0.5, timeout: float = 10.0) -> None:
        """Block until no call about the chat has arrived for `quiet` seconds."""

        def calm() -> bool | None:
            with self._lock:
                last = max((c.at for c in self._calls if c.chat_id == chat_id), default=0.0)
                busy = any(not c.done and c.method.lower() != "getupdates" for c in self._calls)
            return True if not busy and time.time() - last >= quiet else None

        self.wait_for(calm, timeout, f"chat {chat_id} to be quiet", chat_id)

    def errors(self) -> list[Call]:
        """Calls that were answered with an error (what the bot saw as ok: false)."""
        return [call for call in self.calls() if not call.ok]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to the chat, in order (as currently shown: edits applied)."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            return [_copy(chat.messages[i]) for i in chat.bot_message_ids]

    def wait_for_messages(
        self, chat_id: int, n: int, timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        """Block until the bot has sent at least `n` messages to the chat; returns them all."""
        return self.wait_for(
            lambda: msgs if len(msgs := self.bot_messages(chat_id)) >= n else None,
            timeout,
            f"{n} bot messages in chat {chat_id}",
            chat_id,
        )

    def wait_for(
        self,
        probe: Callable[[], T | None],
        timeout: float = 30.0,
        what: str = "a condition",
        chat_id: int | None = None,
    ) -> T:
        """Block until `probe()` returns something other than None (re-checked on each call)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = probe()
                if value is not None:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    shown = self.calls(chat_id=chat_id) if chat_id is not None else self.calls()
                    trace = "\n".join(
                        f"  {c.method} ok={c.ok} {c.description or ''} {_short(c.params)}"
                        for c in shown[-15:]
                    )
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {what}:\n{trace}"
                    )
                self._changed.wait(min(remaining, 0.1))

    def commands(self, scope: str = "default", language_code: str = "") -> list[dict[str, str]]:
        """The command menu published with setMyCommands."""
        with self._lock:
            return list(self._commands.get(f"{scope}|{language_code}", []))

    def uploaded(self, file_id: str) -> UploadedFile:
        """The content of a file the bot uploaded."""
        with self._lock:
            return self._files[file_id]

    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        with self._lock:
            return sum(1 for u in self._updates if u["update_id"] > self._confirmed_up_to)

    # ------------------------------------------------------------------ plumbing

    def _user(self, user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"Test{user_id % 1000}",
            "language_code": "fr",
        }

    def _chat(self, user_id: int, chat_type: str, chat_id: int | None) -> _Chat:
        if chat_id is None:
            chat_id = {
                "private": user_id,
                "group": -user_id,
                "supergroup": -(10**12) - user_id,
            }[chat_type]
        chat = self._chats.get(chat_id)
        if chat is None:
            data: dict[str, Any] = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                data["first_name"] = f"Test{user_id % 1000}"
            else:
                data["title"] = f"Groupe {abs(chat_id) % 1000}"
            chat = self._chats[chat_id] = _Chat(data)
        return chat

    def _push_user_message(
        self, user_id: int, chat_type: str, chat_id: int | None, extra: dict[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(user_id, chat_type, chat_id)
            message = {
                "message_id": chat.next_message_id,
                "from": self._user(user_id),
                "chat": dict(chat.data),
                "date": int(time.time()),
                **extra,
            }
            chat.next_message_id += 1
            chat.messages[message["message_id"]] = message
            self._add_update({"message": message})
            return message

    def _add_update(self, body: dict[str, Any]) -> None:
        with self._lock:
            self._next_update_id += 1
            self._updates.append({"update_id": self._next_update_id, **body})
            self._changed.notify_all()
        self._wake()

    def _wake(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def fire() -> None:
            if self._wakeup is not None:
                self._wakeup.set()
                self._wakeup = asyncio.Event()

        loop.call_soon_threadsafe(fire)

    def _bot_message(self, chat: _Chat, body: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": chat.next_message_id,
            "from": {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": dict(chat.data),
            "date": int(time.time()),
            **body,
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        chat.bot_message_ids.append(message["message_id"])
        return message

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        with self._lock:
            call = Call(len(self._calls), method, {}, time.time())
            self._calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            call.params = await _read_params(request)
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            self._raise_injected(method, call.params)
            result = handler(call.params)
            if asyncio.iscoroutine(result):
                result = await result
            call.result = result
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            call.ok, call.error_code, call.description = False, exc.code, exc.description
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            status = exc.code
        except Exception as exc:  # a bug in the emulator: make it visible to the test
            call.ok, call.error_code = False, 500
            call.description = f"Internal Server Error (emulator): {exc!r}"
            body = {"ok": False, "error_code": 500, "description": call.description}
            status = 500
        with self._changed:
            call.done = True
            self._changed.notify_all()
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        body = {"ok": False, "error_code": 404, "description": "Not Found"}
        return web.json_response(body, status=404)

    def _raise_injected(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            for rule in self._injected:
                if rule["method"] != method.lower() or rule["times"] <= 0:
                    continue
                if rule["chat_id"] is not None and rule["chat_id"] != params.get("chat_id"):
                    continue
                rule["times"] -= 1
                raise rule["error"]

    # ------------------------------------------------------------------ methods

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return dict(self.bot_user)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        with self._lock:
            self._poll_generation += 1
            generation = self._poll_generation
            if offset > 0:
                self._confirmed_up_to = max(self._confirmed_up_to, offset - 1)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
        self._wake()  # an older long poll is terminated by this one
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that "
                        "only one bot instance is running",
                    )
                wanted = [
                    u for u in self._updates if not allowed or any(kind in u for kind in allowed)
                ]
                batch = _copy(wanted[:limit])
            remaining = deadline - time.monotonic()
            stopping = self._stopping is not None and self._stopping.is_set()
            if batch or remaining <= 0 or stopping:
                return batch
            assert self._wakeup is not None
            event = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook_url = url
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates(),
        }

    def _scope_key(self, params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return f"{scope['type']}|{params.get('language_code') or ''}"

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request('parameter "commands" is required')
        if len(commands) > 100:
            raise bad_request("too many commands")
        checked = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_RE.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": name, "description": description})
        with self._lock:
            self._commands[self._scope_key(params)] = checked
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        with self._lock:
            return list(self._commands.get(self._scope_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self._commands.pop(self._scope_key(params), None)
        return True

    def _target_chat(self, params: dict[str, Any]) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        thread = params.get("message_thread_id")
        if thread is not None and not chat.data.get("is_forum"):
            raise bad_request("message thread not found")
        return chat

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _common_send(self, chat: _Chat, params: dict[str, Any]) -> dict[str, Any]:
        """Checks shared by every send method; returns the reply_markup / reply fields."""
        extra: dict[str, Any] = {}
        markup = params.get("reply_markup")
        if markup is not None:
            extra["reply_markup"] = _checked_markup(markup)
        reply = params.get("reply_parameters")
        reply_to = params.get("reply_to_message_id")
        if isinstance(reply, dict):
            reply_to = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply"))
        else:
            allow = bool(params.get("allow_sending_without_reply"))
        if reply_to is not None:
            target = chat.messages.get(int(reply_to))
            if target is not None:
                extra["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
            elif not allow:
                raise bad_request("message to be replied not found")
        return extra

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            text = params.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("message text is empty")
            text = text.strip()
            if len(text) > MAX_TEXT:
                raise bad_request("message is too long")
            body: dict[str, Any] = {"text": text}
            entities = params.get("entities")
            if entities:
                body["entities"] = _checked_entities(text, entities)
            if params.get("parse_mode"):
                body["text"] = _checked_parse_mode(text, str(params["parse_mode"]))
            body.update(self._common_send(chat, params))
            return self._bot_message(chat, body)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        with self._lock:
            chat = self._target_chat(params)
            message_id = params.get("message_id")
            if message_id is None:
                raise bad_request("message identifier is not specified")
            message = chat.messages.get(int(message_id))
            if message is None:
                raise bad_request("message to edit not found")
            if message["from"].get("id") != self.bot_user["id"]:
                raise bad_request("message can't be edited")
            if "text" not in message:
                raise bad_request("there is no text in the message to edit")
            text = params.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("message text is empty")
            text = text.strip()
            if len(text) > MAX_TEXT:
                raise bad_request("MESSAGE_TOO_LONG")
            markup = params.get("reply_markup")
            new_markup = _checked_markup(markup) if markup is not None else None
            if text == message["text"] and new_markup == message.get("reply_markup"):
                raise bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            message["text"] = text
            message["edit_date"] = int(time.time())
            if new_markup is None:
                message.pop("reply_markup", None)
            else:
                message["reply_markup"] = new_markup
            self._changed.notify_all()
            return _copy(message)

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        with self._lock:
            query = self._callback_queries.get(str(params.get("callback_query_id") or ""))
            too_old = query is None or query["answered"]
            if query is not None and time.time() - query["created"] > CALLBACK_ANSWER_WINDOW:
                too_old = True
            if too_old:
                raise bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            assert query is not None
            text = params.get("text")
            if text is not None and len(str(text)) > 200:
                raise bad_request("MESSAGE_TOO_LONG")
            query["answered"] = True
            query["answer"] = {k: v for k, v in params.items() if k != "callback_query_id"}
            return True

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            document = params.get("document")
            if isinstance(document, str) and document.startswith("attach://"):
                document = params.get(document.removeprefix("attach://"))
            if document is None or document == "":
                raise bad_request("there is no document in the request")
            if not isinstance(document, UploadedFile):
                raise bad_request("wrong remote file identifier specified: Wrong string length")
            if not document.content:
                raise bad_request("file must be non-empty")
            body: dict[str, Any] = {}
            caption = params.get("caption")
            if caption:
                caption = str(caption).strip()
                if len(caption) > MAX_CAPTION:
                    raise bad_request("message caption is too long")
                body["caption"] = caption
            file_id = "BQACAgQAAxkDAAI" + uuid.uuid4().hex
            self._files[file_id] = document
            body["document"] = {
                "file_id": file_id,
                "file_unique_id": "AgAD" + uuid.uuid4().hex[:12],
                "file_name": document.filename,
                "mime_type": document.content_type,
                "file_size": len(document.content),
            }
            body.update(self._common_send(chat, params))
            return self._bot_message(chat, body)

    def _send_venue(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            latitude, longitude = params.get("latitude"), params.get("longitude")
            if not isinstance(latitude, float) or not isinstance(longitude, float):
                raise bad_request("wrong latitude or longitude")
            if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
                raise bad_request("wrong latitude or longitude")
            title, address = params.get("title"), params.get("address")
            if not isinstance(title, str) or not title.strip():
                raise bad_request("venue title is empty")  # Telegram: VENUE_TITLE_EMPTY-ish
            if not isinstance(address, str):
                raise bad_request('parameter "address" is required')
            location = {"latitude": latitude, "longitude": longitude}
            body = {
                "venue": {"location": location, "title": title, "address": address},
                "location": location,
            }
            body.update(self._common_send(chat, params))
            return self._bot_message(chat, body)


_query_ids = itertools.count(4_000_000_000_000_000_001)


def _copy(value: T) -> T:
    """A deep copy of JSON data (what the bot receives is never our stored object)."""
    copied: T = json.loads(json.dumps(value))
    return copied


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _short(params: dict[str, Any]) -> str:
    shown = {
        k: (v if not isinstance(v, str) or len(v) < 80 else v[:77] + "…")
        for k, v in params.items()
    }
    return str(shown)


def _typed(name: str, value: str) -> Any:
    """Form fields are strings: decode them as the Bot API does for the parameter's type."""
    try:
        if name in _INT_PARAMS:
            return int(value)
        if name in _FLOAT_PARAMS:
            return float(value)
        if name in _BOOL_PARAMS:
            return value.lower() in ("true", "1")
        if name in _JSON_PARAMS:
            return json.loads(value)
    except ValueError as exc:
        raise bad_request(f"can't parse {name}: {value[:40]!r}") from exc
    return value


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    params: dict[str, Any] = {k: _typed(k, v) for k, v in request.query.items()}
    content_type = request.content_type
    if request.can_read_body and content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise bad_request("can't parse JSON request body") from exc
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        for key, value in body.items():
            params[key] = _typed(key, value) if isinstance(value, str) else value
    elif request.can_read_body and content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename:
                content = bytes(await part.read())
                ctype = part.headers.get("Content-Type", "application/octet-stream")
                params[part.name] = UploadedFile(part.filename, ctype, content)
            else:
                params[part.name] = _typed(part.name, await part.text())
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _typed(key, value)
            elif isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
    return params


def _buttons(markup: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for row in markup.get("inline_keyboard") or []:
        if not isinstance(row, list):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton row")
        yield from row


def _checked_markup(markup: Any) -> dict[str, Any]:
    """Telegram's checks on an inline keyboard (other keyboards are passed through)."""
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup
    if not isinstance(markup["inline_keyboard"], list):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    count = 0
    for button in _buttons(markup):
        count += 1
        if not isinstance(button, dict):
            raise bad_request("can't parse inline keyboard button: Object expected")
        if not str(button.get("text") or "").strip():
            raise bad_request("text buttons are unallowed in the inline keyboard")
        kinds = [
            k for k in ("url", "callback_data", "switch_inline_query", "web_app") if k in button
        ]
        if len(kinds) != 1:
            raise bad_request(
                "can't parse inline keyboard button: exactly one of the optional fields "
                "must be used"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not _URL_RE.match(url):
                raise bad_request(
                    f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
                )
    if count > 100:
        raise bad_request("reply markup is too long")
    return markup


def _checked_entities(text: str, entities: Any) -> list[dict[str, Any]]:
    if not isinstance(entities, list):
        raise bad_request("can't parse entities: Array expected")
    size = _utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict) or "type" not in entity:
            raise bad_request("can't parse entities: MessageEntity object expected")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 1:
            raise bad_request("can't parse entities: wrong entity offset or length")
        if offset + length > size:
            raise bad_request("can't parse entities: entity beyond the end of the text")
    return list(entities)


def _checked_parse_mode(text: str, parse_mode: str) -> str:
    """A minimal HTML check (unclosed or unknown tags), like Telegram's parser errors."""
    if parse_mode.lower() != "html":
        return text
    stack: list[str] = []
    allowed = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
    for match in re.finditer(r"<(/?)([a-zA-Z-]+)[^>]*>", text):
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag not in allowed:
            raise bad_request(
                f'can\'t parse entities: Unsupported start tag "{tag}" at byte offset '
                f"{len(text[: match.start()].encode())}"
            )
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            raise bad_request(
                f"can't parse entities: Unexpected end tag at byte offset "
                f"{len(text[: match.start()].encode())}"
            )
    if stack:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return re.sub(r"<[^>]+>", "", text)
