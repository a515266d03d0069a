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
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
#: Variation selectors and skin-tone modifiers do not change an emoji's meaning.
_MODIFIERS = frozenset({"\ufe0f", "\ufe0e", *map(chr, range(0x1F3FB, 0x1F400))})
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")


def has_words(text: str) -> bool:
    """True when the text contains at least one letter or digit."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


def clean_text(text: str, max_length: int = 4096) -> str:
    """Remove control and bidi characters, squeeze spaces, cut to `max_length` characters."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
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
    """Typed text starting with '/' must never be read by Rasa as an intent payload."""
    return text.lstrip("/").strip() if text.startswith("/") else text
