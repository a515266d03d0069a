"""Models and shared state of the emulator: errors, stored chats/topics/files, the base class
every mixin extends (one lock, the chats, the update queue, the method registry)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files ("file is too big")
CALLBACK_ANSWER_WINDOW = 15.0  # seconds a callback query can be answered
T = TypeVar("T")
Params = dict[str, Any]
Handler = Callable[[Params], Any]
F = TypeVar("F", bound=Callable[..., Any])

# Message kinds, in the order they are recognised (a venue also carries a location).
CONTENT_KINDS = ("text", "photo", "document", "sticker", "venue", "location", "contact")


def utf16_length(text: str) -> int:
    """Telegram counts message and caption lengths in UTF-16 code units (🙂 is 2)."""
    return len(text.encode("utf-16-le")) // 2


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


def thread_not_found() -> ApiError:
    """What any send/copy/edit into an unknown or deleted forum topic gets."""
    return bad_request("message thread not found")


@dataclass
class UploadedFile:
    """A file part of a multipart request (or a file a user sent, pushed by the test)."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class StoredFile:
    """A file known to the emulated server: downloadable through getFile + the file URL."""

    file_id: str
    unique_id: str
    kind: str  # "photo" | "document"
    upload: UploadedFile
    path: str
    entry: Any = None  # what messages show: the "photo" sizes list or the "document" object


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
class Topic:
    """A forum topic; its id is the message id of its `forum_topic_created` service message."""

    thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str = ""
    closed: bool = False


@dataclass
class Chat:
    """A chat as the server stores it."""

    data: dict[str, Any]
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    topics: dict[int, Topic] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)  # oldest pin first
    reactions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # the bot's

    @property
    def id(self) -> int:
        """The chat id."""
        chat_id: int = self.data["id"]
        return chat_id

    @property
    def is_forum(self) -> bool:
        """A supergroup with topics enabled."""
        return bool(self.data.get("is_forum"))


def api_method(name: str) -> Callable[[F], F]:
    """Register a mixin method as the handler of the Bot API method `name`."""

    def mark(func: F) -> F:
        func._botapi_method = name.lower()  # type: ignore[attr-defined]
        return func

    return mark


def copy_json(value: T) -> T:
    """A deep copy of JSON data (what the bot receives is never our stored object)."""
    copied: T = json.loads(json.dumps(value))
    return copied


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def kind_of(message: dict[str, Any]) -> str:
    """What a stored message holds: one of CONTENT_KINDS, or "service"."""
    return next((kind for kind in CONTENT_KINDS if kind in message), "service")


def new_file_id(prefix: str) -> tuple[str, str]:
    """A (file_id, file_unique_id) pair looking like Telegram's."""
    return prefix + uuid.uuid4().hex, "AgAD" + uuid.uuid4().hex[:12]


class EmulatorState:
    """The state shared by every part of the emulator; all of it is guarded by `_lock`."""

    def __init__(
        self,
        token: str = "123456789:TEST-x",
        *,
        username: str = "parcours_test_bot",
        first_name: str = "Parcours Métier (test)",
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
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
        self._chats: dict[int, Chat] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100_000
        self._confirmed_up_to = 0  # highest update id the bot confirmed (offset - 1)
        self._commands: dict[str, list[dict[str, str]]] = {}
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._files: dict[str, StoredFile] = {}
        self._injected: list[dict[str, Any]] = []
        self._group_limit: int | None = None  # messages a minute per group (`limit_groups`)
        self._group_window = 60.0
        self._group_sends: dict[int, deque[float]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._stopping: asyncio.Event | None = None
        self._webhook_log: list[dict[str, Any]] = []
        self._methods: dict[str, Handler] = {}
        for cls in reversed(type(self).__mro__):
            for attr, value in vars(cls).items():
                name = getattr(value, "_botapi_method", None)
                if isinstance(name, str):
                    self._methods[name] = getattr(self, attr)

    async def _before_cleanup(self) -> None:
        """Hook for background tasks (the webhook sender) to stop with the server."""

    # ------------------------------------------------------------------ users and chats

    def _user(self, user_id: int) -> dict[str, Any]:
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = {
                "id": user_id,
                "is_bot": False,
                "first_name": f"Test{user_id % 1000}",
                "language_code": "fr",
            }
        return dict(user)

    def _bot_sender(self) -> dict[str, Any]:
        return {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}

    def _chat(self, user_id: int, chat_type: str, chat_id: int | None) -> Chat:
        """The chat a user writes in, created on first use (Telegram: the user wrote first)."""
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
                data["first_name"] = self._user(user_id)["first_name"]
            else:
                data["title"] = f"Groupe {abs(chat_id) % 1000}"
            chat = self._chats[chat_id] = Chat(data)
        if chat.data["type"] != "private":
            chat.members.setdefault(user_id, "member")
        return chat

    def _known_chat(self, chat_id: Any) -> Chat:
        """A chat by id for methods that name one (getChat, getChatMember, from_chat_id...)."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _target_chat(self, params: Params) -> Chat:
        """The chat a send/edit method writes to, with its `message_thread_id` checked."""
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
        if thread is not None and (not chat.is_forum or thread not in chat.topics):
            raise thread_not_found()
        return chat

    # ------------------------------------------------------------------ messages and updates

    def _store(
        self, chat: Chat, sender: dict[str, Any], body: dict[str, Any], thread_id: int | None
    ) -> dict[str, Any]:
        """A new message in the chat; in a topic it carries the thread id and, like Telegram,
        replies to the topic's creation message unless it replies to something else."""
        message: dict[str, Any] = {
            "message_id": chat.next_message_id,
            "from": sender,
            "chat": dict(chat.data),
            "date": int(time.time()),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
            header = chat.messages.get(thread_id)
            if header is not None and "reply_to_message" not in body:
                message["reply_to_message"] = without_reply(header)
        message.update(body)
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        self._changed.notify_all()
        return message

    def _bot_message(
        self, chat: Chat, body: dict[str, Any], thread_id: int | None = None
    ) -> dict[str, Any]:
        message = self._store(chat, self._bot_sender(), body, thread_id)
        if kind_of(message) != "service":
            chat.bot_message_ids.append(message["message_id"])
        return copy_json(message)

    def _forget(self, chat: Chat, message_ids: list[int]) -> None:
        """Deleted messages vanish with their pins and reactions."""
        gone = set(message_ids)
        for message_id in gone:
            chat.messages.pop(message_id, None)
            chat.reactions.pop(message_id, None)
        chat.bot_message_ids = [i for i in chat.bot_message_ids if i not in gone]
        chat.pinned = [i for i in chat.pinned if i not in gone]
        self._changed.notify_all()

    def _remove_topic(self, chat: Chat, thread_id: int) -> None:
        """The topic and every message in it disappear."""
        chat.topics.pop(thread_id, None)
        in_topic = [i for i, m in chat.messages.items() if m.get("message_thread_id") == thread_id]
        self._forget(chat, [thread_id, *in_topic])

    def _add_update(self, body: dict[str, Any]) -> None:
        with self._lock:
            self._next_update_id += 1
            self._updates.append({"update_id": self._next_update_id, **copy_json(body)})
            self._changed.notify_all()
        self._wake()

    def _wake(self) -> None:
        """Wake long polls and the webhook sender (from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def fire() -> None:
            if self._wakeup is not None:
                self._wakeup.set()
                self._wakeup = asyncio.Event()

        loop.call_soon_threadsafe(fire)


def without_reply(message: dict[str, Any]) -> dict[str, Any]:
    """A message as embedded in another one (Telegram does not nest replies)."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}
