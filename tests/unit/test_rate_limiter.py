"""The Slack rate limiter: per-user limits, and users who went quiet are not kept forever."""

from __future__ import annotations

from bot.slack.responder import RateLimiter


class Clock:
    """A hand-moved monotonic clock."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_over_the_limit_is_refused_until_the_window_passes():
    clock = Clock()
    limiter = RateLimiter(2, 60.0, clock)
    assert [limiter.allow("U1") for _ in range(3)] == [True, True, False]
    assert limiter.allow("U2")  # another user has their own count
    clock.now += 61
    assert limiter.allow("U1")


def test_users_quiet_for_a_window_are_forgotten():
    clock = Clock()
    limiter = RateLimiter(10, 60.0, clock)
    for i in range(500):
        limiter.allow(f"U{i}")
    assert limiter.tracked() == 500
    clock.now += 30
    limiter.allow("U0")  # inside the window: nobody is forgotten yet
    assert limiter.tracked() == 500
    clock.now += 45  # U1…U499 last asked 75 s ago, U0 45 s ago
    limiter.allow("U9999")
    assert limiter.tracked() == 2
    # U0 kept its question of 45 s ago through the sweep: nine more fit in its limit of ten
    assert [limiter.allow("U0") for _ in range(10)] == [True] * 9 + [False]
