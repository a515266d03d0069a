"""Request decoding and the checks Telegram makes on parameters (keyboards, entities)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from aiohttp import BodyPartReader, web

from devstack.botapi.core import MAX_CALLBACK_DATA, UploadedFile, bad_request, utf16_len

_INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "icon_color",
        "live_period",
        "max_connections",
    }
)
_FLOAT_PARAMS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "allow_sending_without_reply",
        "has_spoiler",
        "is_big",
        "show_caption_above_media",
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
        "reaction",
    }
)
URL_RE = re.compile(r"^(https?|tg)://[^\s]+$", re.I)


def typed(name: str, value: str) -> Any:
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


async def read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    params: dict[str, Any] = {k: typed(k, v) for k, v in request.query.items()}
    content_type = request.content_type
    if request.can_read_body and content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise bad_request("can't parse JSON request body") from exc
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        for key, value in body.items():
            params[key] = typed(key, value) if isinstance(value, str) else value
        for key in ("latitude", "longitude"):  # JSON numbers may come as ints
            if isinstance(params.get(key), int):
                params[key] = float(params[key])
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
                params[part.name] = typed(part.name, await part.text())
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = typed(key, value)
            elif isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
    return params


def _buttons(markup: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for row in markup.get("inline_keyboard") or []:
        if not isinstance(row, list):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton row")
        yield from row


def checked_markup(markup: Any) -> dict[str, Any]:
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
            if not isinstance(url, str) or not URL_RE.match(url):
                raise bad_request(
                    f"inline keyboard button URL '{url}' is invalid: Unsupported URL protocol"
                )
    if count > 100:
        raise bad_request("reply markup is too long")
    return markup


def checked_entities(text: str, entities: Any) -> list[dict[str, Any]]:
    """Explicit `entities` / `caption_entities`: offsets and lengths inside the text."""
    if not isinstance(entities, list):
        raise bad_request("can't parse entities: Array expected")
    size = utf16_len(text)
    for entity in entities:
        if not isinstance(entity, dict) or "type" not in entity:
            raise bad_request("can't parse entities: MessageEntity object expected")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 1:
            raise bad_request("can't parse entities: wrong entity offset or length")
        if offset + length > size:
            raise bad_request("can't parse entities: entity beyond the end of the text")
    return list(entities)
