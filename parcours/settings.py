"""One settings object, read once from the environment (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from parcours import PROJECT_ROOT, regions
from parcours.services.coordinator_setting import parse_coordinators_setting
from parcours.services.opening_hours import OpeningHours, zone
from parcours.services.staff_groups import parse_staff_chats

_PLACEHOLDERS = {"changeme", "your-token-here", "xxx"}

#: The header carrying the shared secret of the internal hops: bot → Rasa's input channel
#: (rasa_channels/, which repeats it: Rasa's venv has no pydantic) and Rasa → action server.
SECRET_HEADER = "X-Parcours-Secret"
#: Development defaults of the secrets (scripts/env.sh repeats them); refused in production.
DEV_SECRETS = {
    "rasa_token": "dev-rasa-token",
    "rasa_channel_secret": "dev-channel-secret",
    "action_server_secret": "dev-action-secret",
}
#: Shortest secret production accepts (`openssl rand -hex 16` gives 32 characters).
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Runtime configuration; every field maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,  # a refusal at start never prints the secrets it read
    )

    telegram_token: str | None = None
    telegram_api_base_url: str | None = None
    telegram_file_base_url: str | None = None
    telegram_rate_limiter: bool = True  # PTB AIORateLimiter (30 msg/s); false: benchmarks only
    staff_chat_id: int | None = None
    #: Staff groups per territory (format: services/staff_groups.py); STAFF_CHAT_ID is the
    #: region-wide fallback.
    staff_chats: str = ""
    coordinators: str = ""

    database_url: str = Field(default=f"sqlite:///{PROJECT_ROOT / 'var' / 'app.db'}")
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = DEV_SECRETS["rasa_token"]  # Rasa's HTTP API: reads every conversation
    #: Required by Rasa's input channel (rasa_channels/) on every user turn the bot sends.
    rasa_channel_secret: str = DEV_SECRETS["rasa_channel_secret"]
    #: Required by the action server (actions/server.py) on every call Rasa makes.
    action_server_secret: str = DEV_SECRETS["action_server_secret"]
    rasa_timeout_seconds: float = 25.0
    #: Rasa's SQL tracker store: a database URL (PostgreSQL in production), else SQLite.
    rasa_tracker_url: str = ""
    rasa_tracker_db: str = str(PROJECT_ROOT / "var" / "rasa_tracker.db")
    #: Rasa's lock store: Redis when set (required for several Rasa replicas), else in memory.
    redis_url: str = ""
    action_port: int = 5055
    action_endpoint_url: str = "http://127.0.0.1:5055/webhook"

    #: A region pack of knowledge/regions/ (its folder's name); its free number is the
    #: setting its region.yml names (`phone.setting`, read by parcours/regions.py).
    region: str = "normandie"

    opening_hours: str = "mon-fri 09:00-17:00"
    timezone: str = "Europe/Paris"
    handoff_reannounce_minutes: int = 15
    backup_coordinator: int | None = None
    retention_days: int = 365
    ministage_answer_days: int = 10
    school_zone: Literal["A", "B", "C"] = "B"  # the school holiday zone of the region

    webhook_url: str | None = None
    webhook_secret: str | None = None
    bot_jobs: bool = True  # periodic jobs: exactly one bot replica must run them
    webhook_listen: str = "127.0.0.1"  # behind a TLS reverse proxy
    webhook_port: int = 8443
    production: bool = False

    max_text_length: int = 4096
    user_rate_limit: int = 8  # inputs per window and user (Telegram only)
    user_rate_window_seconds: float = 10.0

    # Operations (README "Running in production").
    log_format: Literal["text", "json"] = "text"
    log_level: str = "WARNING"
    log_salt: str | None = None  # secret; unset → user hashes differ between processes
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9108  # /metrics and /health of the bot; 0 disables

    @field_validator(
        "telegram_token",
        "webhook_secret",
        "webhook_url",
        "log_salt",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Treat empty strings from `.env` files as unset."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_token")
    @classmethod
    def _no_placeholder_token(cls, value: str | None) -> str | None:
        """Fail fast on a placeholder secret copied from `.env.example`."""
        if value is not None and value.strip().lower() in _PLACEHOLDERS:
            raise ValueError("TELEGRAM_TOKEN is a placeholder: set the token BotFather gave you")
        return value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        """Fail at load on a REGION without a pack (knowledge/regions/<region>/region.yml)."""
        value = value.strip()
        if value not in regions.available():
            raise ValueError(
                f"REGION={value!r} has no pack; packs: {', '.join(regions.available())}"
            )
        regions.region(value)  # a malformed region.yml fails here, at start
        return value

    @field_validator("coordinators")
    @classmethod
    def _valid_coordinators(cls, value: str) -> str:
        """Fail at load on a malformed COORDINATORS (format: services/coordinator_setting.py)."""
        parse_coordinators_setting(value)
        return value

    @field_validator("staff_chats")
    @classmethod
    def _valid_staff_chats(cls, value: str) -> str:
        """Fail at load on a malformed STAFF_CHATS (format: services/staff_groups.py)."""
        parse_staff_chats(value)
        return value

    @field_validator("opening_hours")
    @classmethod
    def _valid_opening_hours(cls, value: str) -> str:
        """Fail at load on a malformed OPENING_HOURS (grammar: services/opening_hours.py)."""
        OpeningHours.parse(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        """Fail at load on an unknown TIMEZONE."""
        zone(value)
        return value

    @model_validator(mode="after")
    def _databases_of_the_region(self) -> Settings:
        """A region other than the default gets its own default SQLite files (as
        scripts/env.sh does), so that switching REGION never mixes two regions' data."""
        if self.region != type(self).model_fields["region"].default:
            var = PROJECT_ROOT / "var"
            if "database_url" not in self.model_fields_set:
                self.database_url = f"sqlite:///{var / f'app-{self.region}.db'}"
            if "rasa_tracker_db" not in self.model_fields_set:
                self.rasa_tracker_db = str(var / f"rasa_tracker-{self.region}.db")
        return self

    @model_validator(mode="after")
    def _safe_in_production(self) -> Settings:
        """With PRODUCTION=true, refuse to start on settings that would expose the users."""
        if self.production:
            problems = production_problems(self)
            if problems:
                raise ValueError(
                    "PRODUCTION=true refuses these settings:\n- " + "\n- ".join(problems)
                )
        return self

    @property
    def hours(self) -> OpeningHours:
        """OPENING_HOURS in TIMEZONE, closed on the region-wide public holidays of REGION
        (department-only days, e.g. Alsace-Moselle's, are not region-wide)."""
        subdivision = regions.region(self.region).holiday_subdivision()
        return OpeningHours.parse(self.opening_hours, self.timezone, subdivision)

    def hours_in(self, department: str | None) -> OpeningHours:
        """OPENING_HOURS with the public holidays of a department of REGION (Alsace-Moselle's
        Good Friday and 26 December in 57, 67 and 68); the region-wide ones without one."""
        subdivision = regions.region(self.region).holiday_subdivision(department)
        return OpeningHours.parse(self.opening_hours, self.timezone, subdivision)

    @property
    def pm_number_phrase(self) -> str:
        """How answers name the region's free number (never an invented number)."""
        return regions.region(self.region).number_phrase()


def _weak_secret(name: str, value: str | None) -> str | None:
    """Why the secret setting `name` is unsafe in production, or None."""
    env = name.upper()
    if not value:
        return f"{env} is not set (generate one: openssl rand -hex 32)"
    if value == DEV_SECRETS.get(name) or value.strip().lower() in _PLACEHOLDERS:
        return f"{env} is the development default or a placeholder (openssl rand -hex 32)"
    if len(value) < MIN_SECRET_LENGTH:
        return f"{env} is shorter than {MIN_SECRET_LENGTH} characters (openssl rand -hex 32)"
    return None


def production_problems(settings: Settings) -> list[str]:
    """Every setting that production refuses, with what to do (empty: safe)."""
    problems = [
        problem
        for problem in (
            _weak_secret("rasa_token", settings.rasa_token),
            _weak_secret("rasa_channel_secret", settings.rasa_channel_secret),
            _weak_secret("action_server_secret", settings.action_server_secret),
            _weak_secret("log_salt", settings.log_salt),
        )
        if problem
    ]
    if settings.webhook_url and not settings.webhook_secret:
        problems.append(
            "WEBHOOK_URL is set without WEBHOOK_SECRET: anyone could post updates to the bot"
        )
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (tests call `get_settings.cache_clear()`)."""
    return Settings()
