"""The test side: what users and coordinators do (messages, files, presses, topic deletion),
each turned into the update Telegram would deliver to the bot."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

from devstack.botapi.core import Chat, UploadedFile, copy_json, utf16_len, without_reply
from devstack.botapi.media import MediaMixin, png

_query_ids = itertools.count(4_000_000_000_000_000_001)
_MEMBER_STATUSES = frozenset(
    {"creator", "administrator", "member", "restricted", "left", "kicked"}
)


def _command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram adds to a message starting with /command."""
    if not text.startswith("/") or not text.strip():
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


class PushMixin(MediaMixin):
    """Test-side helpers pushing updates, and forum set-up."""

    # ------------------------------------------------------------------ set-up

    def create_forum_group(
        self, chat_id: int, title: str, members: dict[int, str] | None = None
    ) -> dict[str, Any]:
        """A supergroup with topics enabled where the bot is an administrator; `members`
        maps user ids to "administrator" / "member" (others are "left")."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative (supergroups: -100…)")
        with self._lock:
            chat = self._chats.get(chat_id)
            data = {"id": chat_id, "type": "supergroup", "title": title, "is_forum": True}
            if chat is None:
                chat = self._chats[chat_id] = Chat(data)
            chat.data = data
            for user_id, status in (members or {}).items():
                if status not in _MEMBER_STATUSES:
                    raise ValueError(f"unknown member status {status!r}")
                self._user(user_id)
                chat.members[user_id] = status
            return dict(data)

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """A coordinator deletes a topic by hand (Telegram sends the bot no update)."""
        with self._lock:
            chat = self._chats[chat_id]
            if thread_id not in chat.topics:
                raise KeyError(f"no topic {thread_id} in chat {chat_id}")
            self._remove_topic(chat, thread_id)

    # ------------------------------------------------------------------ messages

    def push_message(
        self,
        user_id: int,
        text: str,
        chat_type: str = "private",
        *,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A user types `text` (commands get their bot_command entity, as Telegram does)."""
        with self._lock:
            chat = self._chat(user_id, chat_type, chat_id)
            return self._push(chat, user_id, _text(text))

    def push_group_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        thread_id: int | None = None,
        *,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A member writes in a group, in the topic `thread_id` if given (then the message
        carries message_thread_id and is_topic_message), optionally replying to a message."""
        with self._lock:
            return self._push(
                self._group(chat_id, user_id), user_id, _text(text), thread_id, reply_to
            )

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
        with self._lock:
            chat = self._chat(user_id, chat_type, chat_id)
            return self._push(chat, user_id, {"sticker": sticker})

    def push_photo(
        self,
        user_id: int,
        chat_id: int | None = None,
        thread_id: int | None = None,
        caption: str = "",
        *,
        content: bytes | None = None,
    ) -> dict[str, Any]:
        """A user sends a picture (a PNG by default), downloadable through getFile."""
        with self._lock:
            stored = self._store_photo(UploadedFile("photo.png", "image/png", content or png()))
            body: dict[str, Any] = {"photo": copy_json(stored.entry)}
            if caption:
                body["caption"] = caption
            return self._push(self._where(user_id, chat_id), user_id, body, thread_id)

    def push_document(
        self,
        user_id: int,
        chat_id: int | None = None,
        thread_id: int | None = None,
        caption: str = "",
        *,
        filename: str = "document.pdf",
        content: bytes = b"%PDF-1.4\n% test document\n",
        mime_type: str = "application/pdf",
    ) -> dict[str, Any]:
        """A user sends a file, downloadable through getFile."""
        with self._lock:
            stored = self._store_document(UploadedFile(filename, mime_type, content))
            body: dict[str, Any] = {"document": copy_json(stored.entry)}
            if caption:
                body["caption"] = caption
            return self._push(self._where(user_id, chat_id), user_id, body, thread_id)

    def push_location(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A user shares a location (the "Partager ma position" button)."""
        body = {"location": {"latitude": float(latitude), "longitude": float(longitude)}}
        with self._lock:
            return self._push(self._where(user_id, chat_id), user_id, body, thread_id)

    def push_contact(
        self, user_id: int, phone: str, *, chat_id: int | None = None, first_name: str = ""
    ) -> dict[str, Any]:
        """A user shares their own contact (request_contact button): user_id is theirs."""
        with self._lock:
            user = self._user(user_id)
            contact = {
                "phone_number": phone,
                "first_name": first_name or user["first_name"],
                "user_id": user_id,
            }
            return self._push(self._where(user_id, chat_id), user_id, {"contact": contact})

    def push_forwarded_message(
        self,
        user_id: int,
        text: str,
        *,
        origin_user_id: int | None = None,
        origin_name: str = "Quelqu'un",
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A user forwards someone's message: origin "user" when `origin_user_id` is given,
        else "hidden_user" (the sender hides their account)."""
        with self._lock:
            origin: dict[str, Any] = {"date": int(time.time()) - 60}
            if origin_user_id is not None:
                origin.update(type="user", sender_user=self._user(origin_user_id))
            else:
                origin.update(type="hidden_user", sender_user_name=origin_name)
            body = {"text": text, "forward_origin": origin}
            return self._push(self._where(user_id, chat_id), user_id, body)

    def push_edited_message(self, chat_id: int, message_id: int, text: str) -> dict[str, Any]:
        """A user edits their message (its text, or its caption for a photo/document)."""
        with self._lock:
            message = self._chats[chat_id].messages[message_id]
            if message["from"]["id"] == self.bot_user["id"]:
                raise ValueError("only users' messages are edited with push_edited_message")
            key = "text" if "text" in message else "caption"
            message[key] = text
            entities_key = "entities" if key == "text" else "caption_entities"
            message.pop(entities_key, None)
            if key == "text" and (entities := _command_entities(text)):
                message["entities"] = entities
            message["edit_date"] = int(time.time())
            self._add_update({"edited_message": message})
            return copy_json(message)

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
                "message": message,
                "chat_instance": str(-(10**18) - abs(chat_id)),
                "data": data,
            }
            self._add_update({"callback_query": query})
        return query_id

    # ------------------------------------------------------------------ plumbing

    def _where(self, user_id: int, chat_id: int | None) -> Chat:
        if chat_id is None or chat_id == user_id:
            return self._chat(user_id, "private", None)
        return self._group(chat_id, user_id)

    def _group(self, chat_id: int, user_id: int) -> Chat:
        chat_type = "supergroup" if chat_id <= -(10**12) else "group"
        chat = self._chat(user_id, chat_type, chat_id)
        if chat.members.get(user_id) in ("left", "kicked"):
            raise PermissionError(f"user {user_id} is not a member of chat {chat_id}")
        return chat

    def _push(
        self,
        chat: Chat,
        user_id: int,
        body: dict[str, Any],
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        if thread_id is not None:
            topic = chat.topics.get(thread_id)
            if topic is None:
                raise KeyError(f"no topic {thread_id} in chat {chat.id}")
            if topic.closed and chat.members.get(user_id) not in ("administrator", "creator"):
                raise PermissionError(f"topic {thread_id} is closed: only admins write there")
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None:
                raise KeyError(f"no message {reply_to} in chat {chat.id}")
            body = {**body, "reply_to_message": without_reply(target)}
        message = self._store(chat, self._user(user_id), body, thread_id)
        self._add_update({"message": message})
        return copy_json(message)


def _text(text: str) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text}
    if entities := _command_entities(text):
        body["entities"] = entities
    return body
