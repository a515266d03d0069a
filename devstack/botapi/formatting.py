"""Message text as Telegram stores it: `parse_mode` HTML turned into plain text + entities,
surrounding whitespace trimmed, and the readers tests use (plain text, mentioned users)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from devstack.botapi.core import bad_request, utf16_len
from devstack.botapi.params import URL_RE, checked_entities

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
}
_OTHER_TAGS = {"a", "span", "tg-emoji"}
_ENTITY_RE = re.compile(r"&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot);")
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_TAG_NAME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_MENTION_RE = re.compile(r"^tg://user\?id=(\d+)$", re.I)

UserLookup = Callable[[int], dict[str, Any]]


def format_text(
    text: str,
    parse_mode: Any,
    entities: Any,
    user: UserLookup,
    *,
    strip: bool = True,
) -> tuple[str, list[dict[str, Any]]]:
    """The stored (text, entities) of a text or caption sent with these parameters."""
    mode = str(parse_mode or "").lower()
    if mode == "html":
        text, found = parse_html(text, user)
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is not emulated: the text is kept as sent.
        found = checked_entities(text, entities) if entities else []
    else:
        raise bad_request("unsupported parse_mode")
    return trimmed(text, found) if strip else (text, found)


def trimmed(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram trims the text; entities are shifted and clipped accordingly."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def parse_html(source: str, user: UserLookup) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text and entities, or its parser's errors."""
    out: list[str] = []
    position = 0  # UTF-16 length of `out`
    stack: list[tuple[str, dict[str, str], int]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            match = _ENTITY_RE.match(source, i)
            piece = html.unescape(match.group(0)) if match else "&"
            i = match.end() if match else i + 1
        elif char == "<":
            offset = len(source[:i].encode())
            end = source.find(">", i)
            if end == -1:
                raise bad_request(
                    f"can't parse entities: Unclosed start tag at byte offset {offset}"
                )
            inner = source[i + 1 : end]
            i = end + 1
            if inner.startswith("/"):
                entity = _close(inner[1:].strip().lower(), stack, offset, position, user)
                if entity is not None:
                    entities.append(entity)
            else:
                stack.append((*_open(inner, offset), position))
            continue
        else:
            piece = char
            i += 1
        out.append(piece)
        position += utf16_len(piece)
    if stack:
        raise bad_request(
            "can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1][0]}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _open(inner: str, offset: int) -> tuple[str, dict[str, str]]:
    name_match = _TAG_NAME_RE.match(inner)
    tag = name_match.group(0).lower() if name_match else ""
    if tag not in _SIMPLE_TAGS and tag not in _OTHER_TAGS:
        raise bad_request(
            f'can\'t parse entities: Unsupported start tag "{tag}" at byte offset {offset}'
        )
    attrs = {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR_RE.finditer(inner[len(tag) :])
    }
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise bad_request(
            f'can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset '
            f"{offset}"
        )
    return tag, attrs


def _close(
    tag: str,
    stack: list[tuple[str, dict[str, str], int]],
    offset: int,
    position: int,
    user: UserLookup,
) -> dict[str, Any] | None:
    if not stack:
        raise bad_request(f"can't parse entities: Unexpected end tag at byte offset {offset}")
    opened, attrs, start = stack.pop()
    if tag != opened:
        raise bad_request(
            f"can't parse entities: Unmatched end tag at byte offset {offset}, expected \"</"
            f'{opened}>", found "</{tag}>"'
        )
    length = position - start
    if length <= 0:
        return None
    entity: dict[str, Any] = {"offset": start, "length": length}
    if opened in _SIMPLE_TAGS:
        entity["type"] = _SIMPLE_TAGS[opened]
        if opened == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
    elif opened == "span":
        entity["type"] = "spoiler"
    elif opened == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=attrs.get("emoji-id", ""))
    else:  # <a href>
        href = attrs.get("href", "")
        mention = _MENTION_RE.match(href)
        if mention:
            entity.update(type="text_mention", user=user(int(mention.group(1))))
        elif URL_RE.match(href):
            entity.update(type="text_link", url=href)
        else:
            return None  # Telegram silently drops a link it cannot use
    return entity


# ---------------------------------------------------------------------- readers for tests


def plain_text(message: dict[str, Any]) -> str:
    """What a user reads: the text or the caption (tags already stripped by the server)."""
    return str(message.get("text") or message.get("caption") or "")


def mentioned_users(message: dict[str, Any]) -> list[int]:
    """User ids mentioned by text_mention or tg://user?id= text_link entities, in order."""
    found = []
    for entity in message.get("entities") or message.get("caption_entities") or []:
        if entity.get("type") == "text_mention":
            found.append(int(entity["user"]["id"]))
        elif entity.get("type") == "text_link":
            match = _MENTION_RE.match(str(entity.get("url", "")))
            if match:
                found.append(int(match.group(1)))
    return found
