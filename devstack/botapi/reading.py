"""The test side: reading what the bot did (messages as currently shown, topics, pins,
commands, uploaded files), with waits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from devstack.botapi.core import Topic, UploadedFile, copy_json, kind_of
from devstack.botapi.formatting import mentioned_users, plain_text
from devstack.botapi.server import ServerMixin


@dataclass(frozen=True)
class MessageView:
    """A stored message as a reader sees it."""

    message_id: int
    kind: str  # text, photo, document, sticker, venue, location, contact or service
    text: str  # the text or caption, without markup
    sender_id: int
    from_bot: bool
    mentions: tuple[int, ...]  # users mentioned by text_mention / tg://user?id= links
    thread_id: int | None
    raw: dict[str, Any]

    @classmethod
    def of(cls, message: dict[str, Any]) -> MessageView:
        """The view of a stored message (Bot API JSON)."""
        sender = message.get("from") or {}
        return cls(
            message_id=int(message["message_id"]),
            kind=kind_of(message),
            text=plain_text(message),
            sender_id=int(sender.get("id", 0)),
            from_bot=bool(sender.get("is_bot")),
            mentions=tuple(mentioned_users(message)),
            thread_id=message.get("message_thread_id"),
            raw=copy_json(message),
        )

    def mentions_user(self, user_id: int) -> bool:
        """Whether the message mentions (links to) the user."""
        return user_id in self.mentions


class InspectMixin(ServerMixin):
    """Reading the stored state."""

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to the chat, in order (as currently shown: edits applied,
        deleted ones gone)."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            return [copy_json(chat.messages[i]) for i in chat.bot_message_ids]

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

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The stored message as currently shown (after edits), or None once deleted."""
        with self._lock:
            chat = self._chats.get(chat_id)
            found = chat.messages.get(message_id) if chat else None
            return copy_json(found) if found is not None else None

    def topics(self, chat_id: int) -> dict[int, Topic]:
        """The chat's forum topics by thread id (name, icon_color, closed)."""
        with self._lock:
            chat = self._chats.get(chat_id)
            return {i: replace(t) for i, t in chat.topics.items()} if chat else {}

    def wait_for_topics(self, chat_id: int, n: int, timeout: float = 30.0) -> dict[int, Topic]:
        """Block until the chat has at least `n` topics; returns them."""
        return self.wait_for(
            lambda: found if len(found := self.topics(chat_id)) >= n else None,
            timeout,
            f"{n} topics in chat {chat_id}",
            chat_id,
        )

    def thread_messages(
        self, chat_id: int, thread_id: int, *, include_service: bool = False
    ) -> list[MessageView]:
        """The bot's and users' messages in a topic, in order (service messages such as
        forum_topic_created or pins only with `include_service`)."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            found = [
                MessageView.of(m)
                for i, m in sorted(chat.messages.items())
                if m.get("message_thread_id") == thread_id
            ]
        return [v for v in found if include_service or v.kind != "service"]

    def wait_for_thread(
        self, chat_id: int, thread_id: int, n: int, timeout: float = 30.0
    ) -> list[MessageView]:
        """Block until the topic holds at least `n` (non-service) messages; returns them."""
        return self.wait_for(
            lambda: seen if len(seen := self.thread_messages(chat_id, thread_id)) >= n else None,
            timeout,
            f"{n} messages in topic {thread_id} of chat {chat_id}",
            chat_id,
        )

    def pinned(self, chat_id: int) -> list[int]:
        """Ids of the chat's pinned messages, oldest pin first."""
        with self._lock:
            chat = self._chats.get(chat_id)
            return list(chat.pinned) if chat else []

    def reactions(self, chat_id: int, message_id: int) -> list[dict[str, Any]]:
        """The reaction the bot set on a message (setMessageReaction), [] if none."""
        with self._lock:
            chat = self._chats.get(chat_id)
            return copy_json(chat.reactions.get(message_id, [])) if chat else []

    def commands(self, scope: str = "default", language_code: str = "") -> list[dict[str, str]]:
        """The command menu published with setMyCommands."""
        with self._lock:
            return list(self._commands.get(f"{scope}|{language_code}", []))

    def uploaded(self, file_id: str) -> UploadedFile:
        """The content of a file the bot uploaded (or a user sent)."""
        with self._lock:
            return self._files[file_id].upload
