"""Telegram's size limits for what the staff relay sends, and texts split to fit them.

Telegram refuses a message over 4,096 characters and a caption over 1,024 ("message is too
long"), counted in UTF-16 code units. The relay sends HTML: the limits are checked here on the
HTML source, with its prefix ("👤 ") and escapes (a quote is `&quot;`, 6 characters), which is
never shorter than what Telegram counts after parsing. Texts are cut as plain text and each
piece escaped afterwards, so a cut never falls inside an entity or a tag.
"""

from __future__ import annotations

from html import escape

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
#: A cut goes back to the last line break or space if one is in this last part of a piece.
_SOFT_CUT = 200


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji often counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _fits(prefix: str, piece: str, limit: int) -> bool:
    return telegram_length(prefix + escape(piece, quote=True)) <= limit


def _longest_fit(prefix: str, text: str, limit: int) -> int:
    """The most characters of `text` that fit after `prefix` once escaped (binary search)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(prefix, text[:middle], limit):
            low = middle
        else:
            high = middle - 1
    return low


def split_escaped(
    text: str, *, prefix: str, limit: int = MAX_MESSAGE, continued: str | None = None
) -> list[str]:
    """`prefix` + the escaped `text`, in as many HTML messages as needed, each within `limit`.

    `prefix` is HTML already (e.g. "👤 "); later pieces start with `continued` (default: the
    same prefix). Cuts prefer a line break or a space near the end of a piece.
    """
    pieces: list[str] = []
    rest = text
    head = prefix
    while True:
        size = _longest_fit(head, rest, limit)
        if size == 0 and rest:
            raise ValueError(f"prefix too long for a {limit}-character message")
        if size < len(rest):
            window = rest[max(size - _SOFT_CUT, 1) : size]
            cut = max(window.rfind("\n"), window.rfind(" "))
            if cut >= 0:
                size = max(size - _SOFT_CUT, 1) + cut + 1
        piece, rest = rest[:size], rest[size:]
        pieces.append(head + escape(piece.rstrip() if rest else piece, quote=True))
        if not rest.strip():
            return pieces
        rest = rest.lstrip()
        head = prefix if continued is None else continued
