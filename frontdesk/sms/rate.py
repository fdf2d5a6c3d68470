"""The sender's pace: at most N segments per second (a Twilio long code sends about 1/s)."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        segments_per_second: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / max(segments_per_second, 0.001)
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_free = 0.0

    def wait(self, segments: int) -> float:
        """Block until ``segments`` may go; returns the seconds waited."""
        now = self._monotonic()
        waited = max(self._next_free - now, 0.0)
        if waited:
            self._sleep(waited)
        self._next_free = max(now, self._next_free) + self._interval * max(segments, 1)
        return waited
