"""Texts for the staff group fit Telegram's limits once prefixed and escaped (issue 11)."""

from __future__ import annotations

import html

import pytest

from parcours.services.staff_limits import (
    MAX_CAPTION,
    MAX_MESSAGE,
    split_escaped,
    telegram_length,
)


def test_telegram_counts_utf16_code_units() -> None:
    assert telegram_length("👤 a") == 4
    assert telegram_length("é") == 1


@pytest.mark.parametrize("limit", [MAX_MESSAGE, MAX_CAPTION])
@pytest.mark.parametrize(
    "text",
    [
        "a" * 4096,
        '"' * 4096,
        ("mot " * 2000).strip(),
        "🙂" * 3000,
        "<b>&amp;</b> " * 600,
    ],
)
def test_pieces_fit_after_the_prefix_and_lose_nothing(text: str, limit: int) -> None:
    pieces = split_escaped(text, prefix="👤 ", continued="👤 (suite) ", limit=limit)
    assert all(telegram_length(piece) <= limit for piece in pieces)
    assert pieces[0].startswith("👤 ")
    assert all(piece.startswith("👤 (suite) ") for piece in pieces[1:])
    body = [html.unescape(p.removeprefix("👤 (suite) ").removeprefix("👤 ")) for p in pieces]
    assert "".join(body).replace(" ", "") == text.replace(" ", "")
    for piece in pieces:
        tail = piece[piece.rfind("&") :] if "&" in piece else ""
        assert not tail or ";" in tail, f"cut inside an escape: {tail!r}"


def test_a_short_text_is_one_piece_and_cuts_prefer_spaces() -> None:
    assert split_escaped("bonjour", prefix="👤 ") == ["👤 bonjour"]
    pieces = split_escaped(("mot " * 1200).strip(), prefix="👤 ")
    assert len(pieces) == 2
    assert pieces[0].endswith("mot")
