"""Clean what users type before it reaches Rasa: size, control characters, emoji-only."""

from __future__ import annotations

import re
import unicodedata

#: Emoji that carry a meaning the dialogue understands; others get a gentle reply.
EMOJI_MEANINGS = {
    "👍": "oui",
    "👌": "ok",
    "✅": "oui",
    "👎": "non",
    "❌": "non",
    "👋": "bonjour",
    "🙏": "merci",
    "❤": "merci",
    "😊": "merci",
    "🙂": "ok",
    "🆘": "je veux parler à un conseiller",
    "❓": "aide",
    "🤔": "aide",
}
#: Control, bidi and zero-width space characters: each becomes a space.
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
#: Other invisible format characters (Unicode category Cf: soft hyphen, joiners, BOM, Arabic
#: letter mark, emoji tags…) and lone surrogates, which UTF-8 cannot encode (httpx and SQLite
#: would raise on them): deleted, so that a word split by a joiner stays one word.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200c\u200d"
    "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
#: Variation selectors and skin-tone modifiers do not change an emoji's meaning.
_MODIFIERS = frozenset({"\ufe0f", "\ufe0e", *map(chr, range(0x1F3FB, 0x1F400))})
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")


def has_words(text: str) -> bool:
    """True when the text contains at least one letter or digit."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


def scrub(text: str) -> str:
    """Remove control and bidi characters and squeeze spaces (no length limit)."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def cut(text: str, max_length: int) -> str:
    """At most `max_length` characters, cut at a word boundary when there is one."""
    if len(text) > max_length:
        text = text[:max_length].rsplit(" ", 1)[0] or text[:max_length]
    return text


def emoji_meaning(text: str) -> str | None:
    """A word for a message made of one repeated emoji (e.g. 👍 or 👍👍 → oui), if known."""
    chars = {ch for ch in text if not ch.isspace() and ch not in _MODIFIERS}
    if len(chars) != 1:
        return None
    return EMOJI_MEANINGS.get(chars.pop())


def neutralise_command(text: str) -> str:
    """Typed text starting with '/' must never be read by Rasa as an intent payload.

    Rasa strips the message before looking for the '/' prefix, so slashes are removed
    together with the spaces between them ("/ /ask_human" is not a payload either).
    """
    if not text.strip().startswith("/"):
        return text
    text = text.strip()
    while text.startswith("/"):
        text = text.lstrip("/").strip()
    return text
