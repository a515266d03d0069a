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


def test_idle_users_are_forgotten_as_the_limiter_is_used() -> None:
    """Memory follows the users active within the window, not everyone ever seen."""
    clock = Clock()
    limiter = UserRateLimiter(2, 5.0, clock)
    for n in range(1000):
        limiter.check(f"u{n}")
        clock.now += 0.001
    assert len(limiter) == 1000
    clock.now += 6  # everyone idle for a whole window
    assert limiter.check("new") is Verdict.OK
    assert len(limiter) == 1


def test_forgetting_an_idle_user_does_not_change_their_verdicts() -> None:
    clock = Clock()
    limiter = UserRateLimiter(1, 5.0, clock)
    assert [limiter.check("u") for _ in range(3)] == [Verdict.OK, Verdict.NOTIFY, Verdict.DROP]
    clock.now += 4
    assert limiter.check("other") is Verdict.OK
    assert limiter.check("u") is Verdict.DROP, "still within the window: still silent"
    clock.now += 1.5
    assert limiter.check("other2") is Verdict.OK  # prunes "u": idle for a whole window
    assert limiter.check("u") is Verdict.OK
