"""The outbox's states, how Twilio's statuses map onto them, and when to try again.

pending ──claim──▶ sending ──accepted──▶ sent ──▶ delivered | undelivered | failed
   ▲  │                │  └──refused for good──▶ failed (phone invalid, opted out …)
   │  └─cancel─▶ cancelled   └──no answer / crash──▶ pending (in doubt: reconcile first)
   └──────────── transient failure (backoff with jitter) ◀┘
"""

from __future__ import annotations

import random
from datetime import timedelta

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DELIVERED = "delivered"
UNDELIVERED = "undelivered"
FAILED = "failed"
CANCELLED = "cancelled"

FINAL = frozenset({DELIVERED, UNDELIVERED, FAILED, CANCELLED})
WAITING = frozenset({PENDING, SENDING})

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({SENDING, CANCELLED}),
    SENDING: frozenset({SENT, FAILED, PENDING, CANCELLED}),
    SENT: frozenset({SENT, DELIVERED, UNDELIVERED, FAILED}),
    DELIVERED: frozenset({UNDELIVERED}),  # carriers do correct themselves, rarely
    UNDELIVERED: frozenset({DELIVERED}),
    FAILED: frozenset({PENDING}),  # the desk may retry a failed message by hand
    CANCELLED: frozenset(),
}

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=7)  # Twilio down for a day is survived; a week is reported


def can_move(src: str, dst: str) -> bool:
    return dst in TRANSITIONS.get(src, frozenset())


def backoff(attempts: int, rng: random.Random, retry_after: float | None = None) -> timedelta:
    """Exponential backoff with 'equal jitter': half fixed, half random, capped at an hour.

    Jitter keeps several desks (or a clinic's 500 queued texts) from hammering Twilio in
    lock-step when it comes back; a Retry-After from Twilio is a floor, never ignored.
    """
    exp = BASE_DELAY * (2 ** max(attempts - 1, 0))
    capped = min(exp, MAX_DELAY)
    delay = capped / 2 + capped / 2 * rng.random()
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def from_provider(status: str) -> str:
    """Our state for a Twilio message status."""
    if status in ("delivered", "read"):
        return DELIVERED
    if status == "undelivered":
        return UNDELIVERED
    if status == "failed":
        return FAILED
    if status == "canceled":
        return CANCELLED
    return SENT  # queued, accepted, scheduled, sending, sent


STATE_WORDS: dict[str, str] = {
    PENDING: "Waiting to send",
    SENDING: "Sending",
    SENT: "Sent",
    DELIVERED: "Delivered",
    UNDELIVERED: "Not delivered",
    FAILED: "Failed",
    CANCELLED: "Cancelled",
}
