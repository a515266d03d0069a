"""Input cleaning, rendering and the replay line format."""

from __future__ import annotations

import json
import unicodedata
from typing import cast

import pytest

from bot import texts
from bot.dialogue import Dialogue
from bot.normalize import cut, emoji_meaning, has_words, neutralise_command, scrub
from bot.rasa_client import _path, wire_safe
from bot.render import render_messages
from bot.replay import parse_line, run_line
from bot.telegram_io import location_keyboard
from bot.terminal import show
from bot.turn import TurnResult


def test_control_and_bidi_characters_are_removed_and_text_is_cut() -> None:
    assert scrub("a\x00b\u202ec\u200b  d") == "a b c d"
    assert len(cut(scrub("mot " * 5000), 4096)) <= 4096


@pytest.mark.parametrize(
    ("text", "meaning"),
    [("👍", "oui"), ("👍🏽👍", "oui"), ("❤️", "merci"), ("🐙", None), ("ok 👍", None)],
)
def test_emoji_only_messages_have_a_meaning_when_known(text: str, meaning: str | None) -> None:
    assert emoji_meaning(text) == meaning


def test_words_are_detected_in_any_script() -> None:
    assert has_words("été")
    assert has_words("١٢")
    assert not has_words("!!! 👍")


def test_a_typed_slash_cannot_smuggle_an_intent() -> None:
    assert neutralise_command('/ask_human{"x":1}') == 'ask_human{"x":1}'


def test_buttons_without_text_join_the_previous_bubble() -> None:
    replies = render_messages(
        [
            {"text": "Question ?"},
            {"buttons": [{"title": "Oui", "payload": "/affirm"}]},
            {"text": "Lien", "buttons": [{"title": "Site", "url": "https://x.fr"}, {"title": ""}]},
        ]
    )
    assert [r.as_dict() for r in replies] == [
        {"text": "Question ?", "buttons": [{"title": "Oui", "payload": "/affirm"}]},
        {"text": "Lien", "buttons": [{"title": "Site", "url": "https://x.fr"}]},
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"user": "a", "text": "salut"}', ("a", "text", "salut")),
        ('{"user": "a", "button": "/menu"}', ("a", "button", "/menu")),
        ('{"user": 42, "text": "x"}', ("42", "text", "x")),
    ],
)
def test_valid_replay_lines_are_parsed(line: str, expected: tuple[str, str, str]) -> None:
    assert parse_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "{",
        "[]",
        json.dumps({"text": "x"}),
        json.dumps({"user": "", "text": "x"}),
        json.dumps({"user": "a"}),
        json.dumps({"user": "a", "text": 3}),
        json.dumps({"user": "a", "text": "x", "button": "/menu"}),
        json.dumps({"user": True, "text": "x"}),
    ],
)
def test_malformed_replay_lines_are_reported(line: str) -> None:
    assert isinstance(parse_line(line), str)


def test_an_ask_location_marker_flags_the_previous_bubble_and_stays_out_of_replay() -> None:
    replies = render_messages(
        [{"text": "Tu habites dans quelle commune ?"}, {"custom": {"ask_location": True}}]
    )
    assert len(replies) == 1
    assert replies[0].ask_location
    assert replies[0].as_dict() == {"text": "Tu habites dans quelle commune ?"}


def test_a_venue_is_a_bubble_named_after_the_place_with_its_location_in_replay() -> None:
    location = {"latitude": 49.18, "longitude": -0.37, "title": "CIO (démo)", "address": "Caen"}
    replies = render_messages([{"text": "Près de Caen…"}, {"custom": {"location": location}}])
    assert [r.as_dict() for r in replies] == [
        {"text": "Près de Caen…"},
        {"text": "CIO (démo)", "location": location},
    ]


def test_every_invisible_format_character_and_lone_surrogate_is_removed() -> None:
    invisible = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cf", "Cs")]
    cleaned = scrub("a".join(invisible))
    assert set(cleaned) <= {"a", " "}
    assert scrub("mini\u00adstage ap\u200dprentissage") == "ministage apprentissage"


@pytest.mark.parametrize(
    "text",
    ["/ /ask_human", "/\n/ask_human", "/\u2003/ask_human", " //  / ask_human", "/ask_human"],
)
def test_no_number_of_slashes_and_spaces_makes_a_payload(text: str) -> None:
    assert neutralise_command(text) == "ask_human"
    assert neutralise_command("où /ask_human") == "où /ask_human"


def test_replay_lines_with_lone_surrogates_or_a_huge_user_id() -> None:
    assert parse_line('{"user": "\\udc80a", "text": "x \\ud800"}') == (
        "\ufffda",
        "text",
        "x \ufffd",
    )
    assert parse_line(json.dumps({"user": "u" * 64, "text": "x"})) == ("u" * 64, "text", "x")
    assert isinstance(parse_line(json.dumps({"user": "u" * 65, "text": "x"})), str)


async def test_an_unexpected_failure_in_replay_is_a_polite_reply_not_a_crash() -> None:
    class Broken:
        async def handle_text(self, user: str, text: str, key: str) -> None:
            raise ValueError("boom")

    out = await run_line(cast(Dialogue, Broken()), json.dumps({"user": "a", "text": "x"}))
    notice = texts.INTERNAL_ERROR["tu"]  # the register is unreadable here: the default one
    assert out == {"user": "a", "replies": [{"text": notice}], "handoff": "bot"}


def test_control_characters_never_reach_rasa_and_ids_stay_one_path_segment() -> None:
    assert wire_safe('/inform{"t":"\x00\ud800"}\n') == '/inform{"t":"  "}\n'
    assert _path("a/../b?x#y%") == "a%2F..%2Fb%3Fx%23y%25"
    assert _path("123456789") == "123456789"


async def test_replays_error_notice_is_said_in_the_users_register() -> None:
    class Broken:
        async def handle_text(self, user: str, text: str, key: str) -> None:
            raise ValueError("boom")

        def register_of(self, user: str) -> str:
            return "vous"

    out = await run_line(cast(Dialogue, Broken()), json.dumps({"user": "a", "text": "x"}))
    assert out["replies"] == [{"text": texts.INTERNAL_ERROR["vous"]}]


def test_the_location_keyboard_hint_follows_the_register() -> None:
    assert location_keyboard("tu").input_field_placeholder == "ou écris le nom de ta commune"
    vous = location_keyboard("vous").input_field_placeholder
    assert vous == "ou écrivez le nom de votre commune"


def test_the_terminal_prints_a_venue_with_its_address(capsys: pytest.CaptureFixture[str]) -> None:
    location = {"latitude": 49.18, "longitude": -0.37, "title": "CIO (démo)", "address": "Caen"}
    show(TurnResult(render_messages([{"custom": {"location": location}}])))
    assert capsys.readouterr().out == "🤖 CIO (démo)\n    📍 Caen\n"
