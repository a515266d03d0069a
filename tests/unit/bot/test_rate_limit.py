"""Per-user flood control."""

from __future__ import annotations

from bot.rate_limit import UserRateLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_over_the_limit_one_notice_per_window_then_silence_then_room_again() -> None:
    clock = Clock()
    limiter = UserRateLimiter(3, 10.0, clock)
    assert [limiter.check("u") for _ in range(3)] == [Verdict.OK] * 3
    assert limiter.check("u") is Verdict.NOTIFY
    assert limiter.check("u") is Verdict.DROP
    assert limiter.check("other") is Verdict.OK, "other users are not affected"
    clock.now += 10.5
    assert limiter.check("u") is Verdict.OK


def test_idle_users_are_forgotten() -> None:
    clock = Clock()
    limiter = UserRateLimiter(1, 5.0, clock)
    limiter.check("u")
    clock.now += 6
    limiter.forget_idle()
    assert limiter._seen == {}
