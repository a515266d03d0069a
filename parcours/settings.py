"""One settings object, read once from the environment (and `.env`)."""

from __future__ import annotations

import re
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
    "web_secret": "dev-web-secret",
}
_ORIGIN_RE = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?/?")
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
    #: After a request accepted with a date (services/meetings.py): the local time (TIMEZONE)
    #: of the reminder the day before and of the follow-up; days after the date before the
    #: follow-up (a mini-stage lasts 3 to 5 days); how often the bot looks for them.
    meeting_message_time: str = "17:00"
    meeting_follow_up_days: int = Field(default=1, ge=0, le=30)
    ministage_follow_up_days: int = Field(default=5, ge=0, le=30)
    meeting_check_seconds: int = Field(default=300, ge=1, le=3600)
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

    # The web chat (bot/web_server.py, docs/WEB_EMBED.md).
    web_host: str = "127.0.0.1"  # behind a TLS reverse proxy
    web_port: int = 8080  # 0 disables the web chat
    web_secret: str = DEV_SECRETS["web_secret"]  # signs the session cookie
    #: Sites allowed to embed the chat and open its socket, besides its own origin
    #: (comma-separated, e.g. `https://www.agence.fr`).
    web_allowed_origins: str = ""
    web_max_connections_per_ip: int = 20  # open sockets per client address; 0: no cap

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

    @field_validator("web_allowed_origins")
    @classmethod
    def _valid_origins(cls, value: str) -> str:
        """Fail at load on an origin that is not `scheme://host[:port]`."""
        for origin in filter(None, (o.strip() for o in value.split(","))):
            if not _ORIGIN_RE.fullmatch(origin):
                raise ValueError(f"WEB_ALLOWED_ORIGINS: {origin!r} is not https://host[:port]")
        return value

    @property
    def web_origins(self) -> frozenset[str]:
        """WEB_ALLOWED_ORIGINS as a set (lower case, no trailing slash)."""
        return frozenset(
            o.strip().rstrip("/").lower() for o in self.web_allowed_origins.split(",") if o.strip()
        )

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

    @field_validator("meeting_message_time")
    @classmethod
    def _valid_message_time(cls, value: str) -> str:
        """Fail at load on a MEETING_MESSAGE_TIME that is not HH:MM."""
        hour, _, minute = value.strip().partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError("MEETING_MESSAGE_TIME must be HH:MM, e.g. 17:00")
        return value.strip()

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
            _weak_secret("web_secret", settings.web_secret) if settings.web_port else None,
        )
        if problem
    ]
    plain = sorted(o for o in settings.web_origins if o.startswith("http://"))
    if plain:
        problems.append(
            f"WEB_ALLOWED_ORIGINS has plain-HTTP sites ({', '.join(plain)}): the session "
            "cookie is Secure, embed the chat on HTTPS pages only"
        )
    if settings.webhook_url and not settings.webhook_secret:
        problems.append(
            "WEBHOOK_URL is set without WEBHOOK_SECRET: anyone could post updates to the bot"
        )
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (tests call `get_settings.cache_clear()`)."""
    return Settings()
