"""PRODUCTION=true refuses to start on settings that would expose the users (issue 11 item 3)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from parcours.settings import Settings, production_problems

#: Settings production accepts: every secret long, random-looking and not a default.
SAFE = {
    "rasa_token": "t" * 40,
    "rasa_channel_secret": "c" * 40,
    "action_server_secret": "a" * 40,
    "log_salt": "s" * 40,
    "web_secret": "w" * 40,
}


def production(**overrides: object) -> Settings:
    return Settings(production=True, **{**SAFE, **overrides})  # type: ignore[arg-type]


def refusal(**overrides: object) -> str:
    with pytest.raises(ValidationError) as caught:
        production(**overrides)
    return str(caught.value)


def test_safe_settings_start() -> None:
    settings = production(webhook_url="https://bot.example.org/hook", webhook_secret="w" * 40)
    assert production_problems(settings) == []


def test_development_accepts_the_defaults() -> None:
    settings = Settings(production=False)
    assert settings.rasa_token == "dev-rasa-token"
    assert len(production_problems(settings)) == 5  # what production would refuse


@pytest.mark.parametrize(
    "field", ["rasa_token", "rasa_channel_secret", "action_server_secret", "web_secret"]
)
def test_the_development_default_secret_is_refused(field: str) -> None:
    default = Settings.model_fields[field].default
    message = refusal(**{field: default})
    assert "PRODUCTION=true refuses" in message
    assert f"{field.upper()} is the development default" in message


@pytest.mark.parametrize(
    "field",
    ["rasa_token", "rasa_channel_secret", "action_server_secret", "log_salt", "web_secret"],
)
def test_a_short_secret_is_refused(field: str) -> None:
    assert f"{field.upper()} is shorter than 32 characters" in refusal(**{field: "x" * 31})


def test_the_env_example_placeholder_is_refused() -> None:
    assert "RASA_TOKEN" in refusal(rasa_token="change-me-long-random")


def test_a_missing_log_salt_is_refused() -> None:
    assert "LOG_SALT is not set" in refusal(log_salt="")


def test_a_webhook_without_secret_is_refused() -> None:
    message = refusal(webhook_url="https://bot.example.org/hook", webhook_secret="")
    assert "WEBHOOK_URL is set without WEBHOOK_SECRET" in message


def test_every_problem_is_listed_at_once() -> None:
    message = refusal(rasa_token="dev-rasa-token", log_salt=None, webhook_url="https://x.org/h")
    for name in ("RASA_TOKEN", "LOG_SALT", "WEBHOOK_SECRET"):
        assert name in message


def test_production_is_refused_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The way the processes read it: PRODUCTION=true in `.env` with the dev defaults."""
    monkeypatch.setenv("PRODUCTION", "true")
    with pytest.raises(ValidationError, match="RASA_TOKEN is the development default"):
        Settings()


def test_the_refusal_never_prints_a_secret() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(production=True, rasa_token="leak-me")
    assert "RASA_TOKEN is shorter" in str(caught.value)
    assert "leak-me" not in str(caught.value)


def test_the_web_secret_is_not_needed_when_the_web_chat_is_off() -> None:
    assert production_problems(production(web_port=0, web_secret="")) == []


def test_a_plain_http_origin_is_refused_in_production() -> None:
    message = refusal(web_allowed_origins="https://www.agence.fr,http://old.agence.fr")
    assert "http://old.agence.fr" in message
    assert "www.agence.fr" not in message


def test_a_malformed_origin_is_refused_everywhere() -> None:
    with pytest.raises(ValidationError, match="WEB_ALLOWED_ORIGINS"):
        Settings(web_allowed_origins="www.agence.fr/page")
