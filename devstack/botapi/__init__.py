"""A small Telegram Bot API emulator (aiohttp) for end-to-end tests and the load benchmark of
the real bot process.

It listens on 127.0.0.1:<free port> in a background thread with its own event loop and
answers `/bot<token>/<method>` the way api.telegram.org does: JSON, urlencoded or multipart
parameters (python-telegram-bot sends JSON-encoded values in form fields), `{"ok": true,
"result": ...}` or `{"ok": false, "error_code": ..., "description": ...}` with Telegram's
error texts, dates in seconds, long polling with `offset` / `limit` / `timeout`, or webhook
mode (`setWebhook`: updates POSTed in order and retried until answered 2xx).

Tests push what users and coordinators do (`push_message`, `push_group_message`,
`push_callback`, `push_photo`, ..., `create_forum_group`, `delete_topic`) and read what the
bot did: every call is stored in order (`calls`, `errors`), and the messages are kept per chat
as currently shown (`bot_messages`, `message`, `thread_messages`, `topics`, `pinned`).

Modules: core (state and models), params (request decoding, keyboard/entity checks),
formatting (HTML parse mode), server (HTTP, dispatch, call log, `fail_next`, `limit_groups`: the
~20 messages a minute of a group), updates
(getUpdates, webhook), messages / media / chats (Bot API methods), push and reading (test side).
"""

from __future__ import annotations

from devstack.botapi.chats import TOPIC_COLORS, ChatsMixin
from devstack.botapi.core import (
    ApiError,
    Call,
    StoredFile,
    Topic,
    UploadedFile,
    bad_request,
)
from devstack.botapi.formatting import mentioned_users, parse_html, plain_text
from devstack.botapi.media import MediaMixin, png
from devstack.botapi.messages import MessagesMixin
from devstack.botapi.push import PushMixin
from devstack.botapi.reading import InspectMixin, MessageView
from devstack.botapi.updates import UpdatesMixin

__all__ = [
    "TOPIC_COLORS",
    "ApiError",
    "BotApiEmulator",
    "Call",
    "MessageView",
    "StoredFile",
    "Topic",
    "UploadedFile",
    "bad_request",
    "mentioned_users",
    "parse_html",
    "plain_text",
    "png",
]


class BotApiEmulator(PushMixin, InspectMixin, MessagesMixin, MediaMixin, ChatsMixin, UpdatesMixin):
    """The emulated Bot API server; `start()` it, point the bot at `base_url`.

    `BotApiEmulator(token, username=..., first_name=...)`; every Bot API method is a mixin
    method registered with `@api_method("name")`.
    """
