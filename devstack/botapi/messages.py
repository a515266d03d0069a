"""Message methods: send text/location/venue, copy, forward, edit, delete, react, chat actions
and callback answers."""

from __future__ import annotations

import time
from typing import Any

from devstack.botapi.core import (
    CALLBACK_ANSWER_WINDOW,
    MAX_CAPTION,
    MAX_TEXT,
    Chat,
    EmulatorState,
    Params,
    api_method,
    bad_request,
    copy_json,
    kind_of,
    utf16_length,
    without_reply,
)
from devstack.botapi.formatting import format_text
from devstack.botapi.params import checked_markup

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
# The emoji a bot may react with (Bot API ReactionTypeEmoji); anything else is REACTION_INVALID.
_REACTIONS = (
    "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 "
    "⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 "
    "🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡"
)
REACTION_EMOJI = frozenset(_REACTIONS.split(" "))
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_CONTENT_KEYS = (
    *("text", "entities", "photo", "document", "sticker", "venue", "location", "contact"),
    *("caption", "caption_entities"),
)


class SendBase(EmulatorState):
    """Checks and fields shared by every send method."""

    def _common_send(self, chat: Chat, params: Params) -> dict[str, Any]:
        """reply_markup and reply_parameters / reply_to_message_id, checked."""
        extra: dict[str, Any] = {}
        markup = params.get("reply_markup")
        if markup is not None:
            checked = checked_markup(markup)
            # Telegram's Message carries inline keyboards only; a reply keyboard (or its
            # removal) lives in the client: kept under a test-only key for inspection.
            key = "reply_markup" if "inline_keyboard" in checked else "test_reply_keyboard"
            extra[key] = checked
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
                extra["reply_to_message"] = without_reply(target)
            elif not allow:
                raise bad_request("message to be replied not found")
        return extra

    def _text_body(self, params: Params, *, too_long: str) -> dict[str, Any]:
        """{"text", "entities"} as stored, from text / parse_mode / entities."""
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise bad_request("message text is empty")
        text, entities = format_text(
            raw, params.get("parse_mode"), params.get("entities"), self._user
        )
        if not text:
            raise bad_request("message text is empty")
        if utf16_length(text) > MAX_TEXT:
            raise bad_request(too_long)
        body: dict[str, Any] = {"text": text}
        if entities:
            body["entities"] = entities
        return body

    def _caption_body(self, params: Params) -> dict[str, Any]:
        """{"caption", "caption_entities"} from caption / parse_mode / caption_entities."""
        raw = params.get("caption")
        if raw is None or not str(raw).strip():
            return {}
        caption, entities = format_text(
            str(raw), params.get("parse_mode"), params.get("caption_entities"), self._user
        )
        if utf16_length(caption) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        body: dict[str, Any] = {"caption": caption} if caption else {}
        if caption and entities:
            body["caption_entities"] = entities
        return body

    def _message_in(self, chat: Chat, params: Params, missing: str) -> dict[str, Any]:
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(int(message_id))
        if message is None:
            raise bad_request(missing)
        return message


class MessagesMixin(SendBase):
    """sendMessage, sendLocation, sendVenue, copyMessage, forwardMessage, editMessageText,
    editMessageReplyMarkup, deleteMessage, setMessageReaction, sendChatAction,
    answerCallbackQuery."""

    @api_method("sendMessage")
    def _send_message(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            body = self._text_body(params, too_long="message is too long")
            body.update(self._common_send(chat, params))
            return self._bot_message(chat, body, params.get("message_thread_id"))

    @api_method("sendLocation")
    def _send_location(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            body: dict[str, Any] = {"location": _checked_location(params)}
            live = params.get("live_period")
            if live is not None:
                if not (60 <= int(live) <= 86400 or int(live) == 0x7FFFFFFF):
                    raise bad_request("wrong live period specified")
                body["location"]["live_period"] = int(live)
            body.update(self._common_send(chat, params))
            return self._bot_message(chat, body, params.get("message_thread_id"))

    @api_method("sendVenue")
    def _send_venue(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            location = _checked_location(params)
            title, address = params.get("title"), params.get("address")
            if not isinstance(title, str) or not title.strip():
                raise bad_request("venue title is empty")  # Telegram: VENUE_TITLE_EMPTY-ish
            if not isinstance(address, str):
                raise bad_request('parameter "address" is required')
            body = {
                "venue": {"location": location, "title": title, "address": address},
                "location": location,
            }
            body.update(self._common_send(chat, params))
            return self._bot_message(chat, body, params.get("message_thread_id"))

    def _source_message(self, params: Params, action: str, done: str) -> dict[str, Any]:
        source = self._known_chat(params.get("from_chat_id"))
        message = self._message_in(source, params, f"message to {action} not found")
        if kind_of(message) == "service":
            raise bad_request(f"message can't be {done}")
        return message

    @api_method("copyMessage")
    def _copy_message(self, params: Params) -> dict[str, int]:
        with self._lock:
            chat = self._target_chat(params)
            original = self._source_message(params, "copy", "copied")
            body = {k: copy_json(original[k]) for k in _CONTENT_KEYS if k in original}
            if "caption" in params and kind_of(original) in ("photo", "document"):
                body.pop("caption", None)
                body.pop("caption_entities", None)
                body.update(self._caption_body(params))
            body.update(self._common_send(chat, params))
            copied = self._bot_message(chat, body, params.get("message_thread_id"))
            return {"message_id": copied["message_id"]}

    @api_method("forwardMessage")
    def _forward_message(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._target_chat(params)
            original = self._source_message(params, "forward", "forwarded")
            body = {k: copy_json(original[k]) for k in _CONTENT_KEYS if k in original}
            body["forward_origin"] = {
                "type": "user",
                "sender_user": copy_json(original["from"]),
                "date": original["date"],
            }
            return self._bot_message(chat, body, params.get("message_thread_id"))

    def _own_message(self, params: Params, missing: str) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._target_chat(params)
        message = self._message_in(chat, params, missing)
        if message["from"].get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return message

    @api_method("editMessageText")
    def _edit_message_text(self, params: Params) -> dict[str, Any]:
        with self._lock:
            message = self._own_message(params, "message to edit not found")
            if "text" not in message:
                raise bad_request("there is no text in the message to edit")
            body = self._text_body(params, too_long="MESSAGE_TOO_LONG")
            markup = params.get("reply_markup")
            new_markup = checked_markup(markup) if markup is not None else None
            if (
                body["text"] == message["text"]
                and body.get("entities") == message.get("entities")
                and new_markup == message.get("reply_markup")
            ):
                raise bad_request(_NOT_MODIFIED)
            message.pop("entities", None)
            message.update(body)
            return self._edited(message, new_markup)

    @api_method("editMessageReplyMarkup")
    def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        with self._lock:
            message = self._own_message(params, "message to edit not found")
            markup = params.get("reply_markup")
            new_markup = checked_markup(markup) if markup is not None else None
            if new_markup == message.get("reply_markup") or (
                new_markup == {"inline_keyboard": []} and "reply_markup" not in message
            ):
                raise bad_request(_NOT_MODIFIED)
            return self._edited(message, new_markup)

    def _edited(self, message: dict[str, Any], markup: dict[str, Any] | None) -> dict[str, Any]:
        message["edit_date"] = int(time.time())
        if markup is None or markup == {"inline_keyboard": []}:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        self._changed.notify_all()
        return copy_json(message)

    @api_method("deleteMessage")
    def _delete_message(self, params: Params) -> bool:
        with self._lock:
            chat = self._known_chat(params.get("chat_id"))
            message = self._message_in(chat, params, "message to delete not found")
            if "forum_topic_created" in message:
                raise bad_request("message can't be deleted")
            self._forget(chat, [message["message_id"]])
            return True

    @api_method("setMessageReaction")
    def _set_message_reaction(self, params: Params) -> bool:
        with self._lock:
            chat = self._known_chat(params.get("chat_id"))
            message = self._message_in(chat, params, "message to react not found")
            if kind_of(message) == "service":
                raise bad_request("message to react not found")
            reaction = params.get("reaction") or []
            if not isinstance(reaction, list):
                raise bad_request("can't parse reaction types JSON object")
            for item in reaction:
                if not isinstance(item, dict) or item.get("type") not in ("emoji", "custom_emoji"):
                    raise bad_request("REACTION_INVALID")
                if item["type"] == "emoji" and item.get("emoji") not in REACTION_EMOJI:
                    raise bad_request("REACTION_INVALID")
                # PTB sends an emoji it does not know as a custom emoji: ids are numbers.
                if (
                    item["type"] == "custom_emoji"
                    and not str(item.get("custom_emoji_id")).isdigit()
                ):
                    raise bad_request("REACTION_INVALID")
            if len(reaction) > 1:
                raise bad_request("REACTIONS_TOO_MANY")
            chat.reactions[message["message_id"]] = copy_json(reaction)
            self._changed.notify_all()
            return True

    @api_method("sendChatAction")
    def _send_chat_action(self, params: Params) -> bool:
        with self._lock:
            self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    @api_method("answerCallbackQuery")
    def _answer_callback_query(self, params: Params) -> bool:
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


def _checked_location(params: Params) -> dict[str, float]:
    latitude, longitude = params.get("latitude"), params.get("longitude")
    if not isinstance(latitude, float) or not isinstance(longitude, float):
        raise bad_request("wrong latitude or longitude")
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise bad_request("wrong latitude or longitude")
    return {"latitude": latitude, "longitude": longitude}
