"""The sender's pace: segments per second, with a fake clock."""

from __future__ import annotations

from frontdesk.sms.rate import RateLimiter


def test_segments_per_second_are_respected() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2, monotonic=lambda: now[0], sleep=sleep)
    limiter.wait(1)  # first goes at once
    limiter.wait(3)  # a 3-part text: the previous part's half second first
    limiter.wait(1)  # then 3 × 0.5 s for the 3 parts just sent
    assert slept == [0.5, 1.5]
    now[0] += 10  # idle time is not banked into a burst
    limiter.wait(1)
    limiter.wait(1)
    assert slept[-1] == 0.5
