"""Bot and chat methods: getMe, commands, getChat, getChatMember, forum topics and pins."""

from __future__ import annotations

import re
from typing import Any

from devstack.botapi.core import (
    Chat,
    EmulatorState,
    Params,
    Topic,
    api_method,
    bad_request,
    copy_json,
    without_reply,
)

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# The six colours Telegram allows for a topic icon; the first is the default.
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)


class ChatsMixin(EmulatorState):
    """getMe, logOut, close, setMyCommands/getMyCommands/deleteMyCommands, getChat,
    getChatMember, create/edit/close/reopen/deleteForumTopic, pin/unpinChatMessage."""

    @api_method("getMe")
    def _get_me(self, params: Params) -> dict[str, Any]:
        return dict(self.bot_user)

    @api_method("logOut")
    def _log_out(self, params: Params) -> bool:
        return True

    @api_method("close")
    def _close(self, params: Params) -> bool:
        return True

    # ------------------------------------------------------------------ commands

    def _scope_key(self, params: Params) -> str:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return f"{scope['type']}|{params.get('language_code') or ''}"

    @api_method("setMyCommands")
    def _set_my_commands(self, params: Params) -> bool:
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

    @api_method("getMyCommands")
    def _get_my_commands(self, params: Params) -> list[dict[str, str]]:
        with self._lock:
            return list(self._commands.get(self._scope_key(params), []))

    @api_method("deleteMyCommands")
    def _delete_my_commands(self, params: Params) -> bool:
        with self._lock:
            self._commands.pop(self._scope_key(params), None)
        return True

    # ------------------------------------------------------------------ chats and members

    @api_method("getChat")
    def _get_chat(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._known_chat(params.get("chat_id"))
            info = dict(chat.data)
            info.update(accent_color_id=0, max_reaction_count=11)
            info["accepted_gift_types"] = {
                key: chat.data["type"] == "private"
                for key in (
                    "unlimited_gifts",
                    "limited_gifts",
                    "unique_gifts",
                    "premium_subscription",
                    "gifts_from_channels",
                )
            }
            if chat.pinned:
                info["pinned_message"] = without_reply(chat.messages[chat.pinned[-1]])
            return copy_json(info)

    def _status(self, chat: Chat, user_id: int) -> str:
        if chat.data["type"] == "private":
            return "member" if user_id in (chat.id, self.bot_user["id"]) else "left"
        if user_id == self.bot_user["id"]:
            return "administrator"
        return chat.members.get(user_id, "left")

    @api_method("getChatMember")
    def _get_chat_member(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._known_chat(params.get("chat_id"))
            user_id = params.get("user_id")
            if not isinstance(user_id, int) or user_id <= 0:
                raise bad_request("invalid user_id specified")
            status = self._status(chat, user_id)
            user = self._bot_sender() if user_id == self.bot_user["id"] else self._user(user_id)
            member: dict[str, Any] = {"status": status, "user": user}
            if status in ("administrator", "creator"):
                member["is_anonymous"] = False
            if status == "administrator":
                member["can_be_edited"] = False
                member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
            return member

    # ------------------------------------------------------------------ forum topics

    def _forum(self, params: Params) -> Chat:
        chat = self._known_chat(params.get("chat_id"))
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        return chat

    def _topic(self, chat: Chat, params: Params) -> Topic:
        topic = chat.topics.get(params.get("message_thread_id"))  # type: ignore[arg-type]
        if topic is None:
            raise bad_request("TOPIC_ID_INVALID")
        return topic

    def _topic_service(self, chat: Chat, topic: Topic, body: dict[str, Any]) -> None:
        self._bot_message(chat, body, topic.thread_id)

    @api_method("createForumTopic")
    def _create_forum_topic(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._forum(params)
            name = params.get("name")
            if not isinstance(name, str) or not 1 <= len(name) <= 128 or not name.strip():
                raise bad_request("TOPIC_NAME_INVALID")
            color = params.get("icon_color", TOPIC_COLORS[0])
            if color not in TOPIC_COLORS:
                raise bad_request("TOPIC_COLOR_INVALID")
            topic = Topic(chat.next_message_id, name, int(color))
            topic.icon_custom_emoji_id = str(params.get("icon_custom_emoji_id") or "")
            chat.topics[topic.thread_id] = topic
            created = {"name": name, "icon_color": topic.icon_color}
            if topic.icon_custom_emoji_id:
                created["icon_custom_emoji_id"] = topic.icon_custom_emoji_id
            self._topic_service(chat, topic, {"forum_topic_created": created})
            return {"message_thread_id": topic.thread_id, **created}

    @api_method("editForumTopic")
    def _edit_forum_topic(self, params: Params) -> bool:
        with self._lock:
            chat = self._forum(params)
            topic = self._topic(chat, params)
            name, emoji = params.get("name"), params.get("icon_custom_emoji_id")
            if name is not None and (not isinstance(name, str) or not 1 <= len(name) <= 128):
                raise bad_request("TOPIC_NAME_INVALID")
            edited: dict[str, Any] = {}
            if name is not None and name != topic.name:
                topic.name = edited["name"] = name
            if emoji is not None and emoji != topic.icon_custom_emoji_id:
                topic.icon_custom_emoji_id = edited["icon_custom_emoji_id"] = str(emoji)
            if not edited:
                raise bad_request("TOPIC_NOT_MODIFIED")
            self._topic_service(chat, topic, {"forum_topic_edited": edited})
            return True

    def _set_closed(self, params: Params, closed: bool) -> bool:
        with self._lock:
            chat = self._forum(params)
            topic = self._topic(chat, params)
            if topic.closed == closed:
                raise bad_request("TOPIC_NOT_MODIFIED")
            topic.closed = closed
            event = "forum_topic_closed" if closed else "forum_topic_reopened"
            self._topic_service(chat, topic, {event: {}})
            return True

    @api_method("closeForumTopic")
    def _close_forum_topic(self, params: Params) -> bool:
        return self._set_closed(params, True)

    @api_method("reopenForumTopic")
    def _reopen_forum_topic(self, params: Params) -> bool:
        return self._set_closed(params, False)

    @api_method("deleteForumTopic")
    def _delete_forum_topic(self, params: Params) -> bool:
        with self._lock:
            chat = self._forum(params)
            self._remove_topic(chat, self._topic(chat, params).thread_id)
            return True

    # ------------------------------------------------------------------ pins

    @api_method("pinChatMessage")
    def _pin_chat_message(self, params: Params) -> bool:
        with self._lock:
            chat = self._known_chat(params.get("chat_id"))
            message_id = params.get("message_id")
            message = chat.messages.get(message_id) if isinstance(message_id, int) else None
            if message is None or "forum_topic_created" in message:
                raise bad_request("message to pin not found")
            if message_id in chat.pinned:
                chat.pinned.remove(message_id)
            chat.pinned.append(int(message_id))  # type: ignore[arg-type]
            # Telegram posts "… pinned a message" (in the pinned message's topic).
            body = {"pinned_message": without_reply(message)}
            self._bot_message(chat, body, message.get("message_thread_id"))
            return True

    @api_method("unpinChatMessage")
    def _unpin_chat_message(self, params: Params) -> bool:
        with self._lock:
            chat = self._known_chat(params.get("chat_id"))
            message_id = params.get("message_id")
            if message_id is None:
                if chat.pinned:
                    chat.pinned.pop()
                return True
            if message_id not in chat.messages:
                raise bad_request("message to unpin not found")
            if message_id in chat.pinned:
                chat.pinned.remove(message_id)
            self._changed.notify_all()
            return True

    @api_method("unpinAllChatMessages")
    def _unpin_all_chat_messages(self, params: Params) -> bool:
        with self._lock:
            self._known_chat(params.get("chat_id")).pinned.clear()
            return True
