"""Structured logs: one JSON object per line, and no personal data or secret in any line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from parcours.logging_setup import (
    JsonFormatter,
    RedactingFilter,
    configure_logging,
    redact,
    set_salt,
    user_ref,
)

USER_ID = 5123456789
TEXT = "je m'appelle Camille Dupont et je suis en 3e à Lisieux"


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing JSON lines through the redacting filter into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.logging_setup")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    set_salt("test-salt")
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_log_line_is_one_json_object_with_time_level_logger_and_message(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    logger.warning("rasa unavailable for a turn: %s", "ConnectError", extra={"attempts": 3})
    (entry,) = lines(stream)
    assert entry["level"] == "warning"
    assert entry["logger"] == "tests.logging_setup"
    assert entry["msg"] == "rasa unavailable for a turn: ConnectError"
    assert entry["attempts"] == 3
    assert str(entry["ts"]).endswith("+00:00")


def test_user_ids_and_message_texts_never_reach_the_output(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    logger.info("turn from %s", USER_ID, extra={"user_id": USER_ID, "text": TEXT})
    logger.info("turn", extra={"chat_id": str(USER_ID), "first_name": "Camille"})
    output = stream.getvalue()
    assert str(USER_ID) not in output
    assert "Camille" not in output
    assert "Lisieux" not in output
    first, second = lines(stream)
    assert first["user"] == user_ref(USER_ID)
    assert first["msg"] == f"turn from user={user_ref(USER_ID)}"
    assert first["text"] == "<redacted>"
    assert "user_id" not in first
    assert second["user"] == user_ref(USER_ID)


def test_tokens_and_rasa_conversation_urls_are_masked(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    logger.info("HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", token)
    logger.info(
        "Client error for url 'http://127.0.0.1:5005/conversations/u-42/tracker?token=s3cret'"
    )
    output = stream.getvalue()
    assert token not in output
    assert "s3cret" not in output
    assert "u-42" not in output
    assert f"/conversations/user={user_ref('u-42')}/tracker" in output


def test_tracebacks_are_redacted_too(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        raise RuntimeError(f"chat {USER_ID} not found")
    except RuntimeError:
        logger.exception("delivery failed")
    (entry,) = lines(stream)
    assert "RuntimeError" in str(entry["exc"])
    assert str(USER_ID) not in stream.getvalue()


def test_user_refs_are_stable_for_one_salt_and_change_with_it() -> None:
    set_salt("a")
    first = user_ref(USER_ID)
    assert user_ref(str(USER_ID)) == first
    assert len(first) == 8
    set_salt("b")
    assert user_ref(USER_ID) != first


def test_short_numbers_and_dates_are_left_alone() -> None:
    assert redact("retention purge: {'users': 12}, 2026-11-25 port 9108") == (
        "retention purge: {'users': 12}, 2026-11-25 port 9108"
    )


def test_configure_logging_switches_between_text_and_json() -> None:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        stream = io.StringIO()
        configure_logging(json=False, level="INFO", salt="s", stream=stream)
        logging.getLogger("x").info("hello", extra={"user": user_ref(1)})
        assert stream.getvalue().rstrip().endswith(f"x: hello user={user_ref(1)}")
        stream = io.StringIO()
        configure_logging(json=True, level="INFO", salt="s", stream=stream)
        logging.getLogger("x").info("hello", extra={"user_id": USER_ID})
        assert json.loads(stream.getvalue())["user"] == user_ref(USER_ID)
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)
