"""The web chat's session cookie and origin checks (bot/web_session.py)."""

from __future__ import annotations

import pytest

from bot.web_session import (
    CookiePolicy,
    new_user_id,
    origin_allowed,
    origin_of,
    sign,
    verify,
)

SECRET = "s" * 40
DAY = 86400


def test_a_new_id_is_a_web_id_never_a_telegram_one() -> None:
    ids = {new_user_id() for _ in range(200)}
    assert len(ids) == 200
    for user_id in ids:
        assert user_id.startswith("web:")
        assert not user_id.isdigit()
        assert len(user_id) == 4 + 22
        assert all(c.isalnum() or c in "-_" for c in user_id[4:])


def test_a_signed_cookie_gives_its_user_back() -> None:
    user_id = new_user_id()
    assert verify(sign(user_id, SECRET, now=1000), SECRET, max_age=DAY, now=2000) == user_id


@pytest.mark.parametrize(
    "tamper",
    [
        lambda v: v.replace("web:", "web:x", 1),  # another id, same signature
        lambda v: v[:-2] + ("AA" if not v.endswith("AA") else "BB"),  # forged signature
        lambda v: v.rsplit(".", 1)[0],  # no signature
        lambda v: "123456789." + v.split(".", 1)[1],  # a Telegram-like id
        lambda v: "",
        lambda v: v + "x" * 300,  # oversized
    ],
)
def test_a_tampered_cookie_is_refused(tamper: object) -> None:
    value = sign(new_user_id(), SECRET, now=1000)
    assert callable(tamper)
    assert verify(tamper(value), SECRET, max_age=DAY, now=2000) is None


def test_another_secret_does_not_verify() -> None:
    value = sign(new_user_id(), SECRET, now=1000)
    assert verify(value, "t" * 40, max_age=DAY, now=2000) is None


def test_an_expired_or_future_cookie_is_refused() -> None:
    value = sign(new_user_id(), SECRET, now=1000)
    assert verify(value, SECRET, max_age=DAY, now=1000 + DAY + 1) is None
    assert verify(value, SECRET, max_age=DAY, now=500) is None


def test_cookie_attributes_in_production_and_in_development() -> None:
    production = CookiePolicy(secure=True, max_age=DAY).attributes()
    for part in ("HttpOnly", "Secure", "SameSite=None", "Partitioned", f"Max-Age={DAY}"):
        assert part in production
    development = CookiePolicy(secure=False, max_age=DAY).attributes()
    assert "SameSite=Lax" in development
    assert "HttpOnly" in development
    assert "Secure" not in development  # plain http://127.0.0.1 would drop it


def test_origin_of() -> None:
    assert origin_of("https://WWW.Agence.fr/page?x=1") == "https://www.agence.fr"
    assert origin_of("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert origin_of("javascript:alert(1)") is None
    assert origin_of("null") is None


ALLOWED = frozenset({"https://www.agence.fr"})


@pytest.mark.parametrize(
    ("origin", "host", "ok"),
    [
        ("http://127.0.0.1:8080", "127.0.0.1:8080", True),  # the page itself
        ("https://chat.agence.fr", "chat.agence.fr", True),  # behind the TLS proxy
        ("https://www.agence.fr", "chat.agence.fr", True),  # the agency's site (allowed)
        ("https://WWW.AGENCE.FR", "chat.agence.fr", True),
        ("https://evil.example", "chat.agence.fr", False),
        ("https://www.agence.fr.evil.example", "chat.agence.fr", False),
        ("http://127.0.0.1:9999", "127.0.0.1:8080", False),  # another port, another site
        ("null", "chat.agence.fr", False),  # sandboxed iframe, file://
        (None, "chat.agence.fr", False),  # not a browser
        ("", "chat.agence.fr", False),
    ],
)
def test_origin_allowed(origin: str | None, host: str, ok: bool) -> None:
    assert origin_allowed(origin, host=host, allowed=ALLOWED) is ok
