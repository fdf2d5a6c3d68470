"""What the sync needs from an SMS provider, and the four ways a call can go wrong.

The distinction that matters for never double-sending is whether a failed send *may* have
reached the provider: ``NotSentError`` (refused connection, 429, a 4xx that is not about
the message) is safe to retry; ``AmbiguousError`` (timeout, dropped connection, 5xx) must
be reconciled against the provider's message list first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ProviderMessage:
    sid: str
    to: str
    from_: str
    body: str
    status: str  # queued, accepted, sending, sent, delivered, undelivered, failed, received…
    direction: str  # inbound, outbound-api, …
    date_created: datetime | None
    date_sent: datetime | None
    error_code: int | None = None
    error_message: str | None = None
    num_segments: int | None = None
    price: str | None = None  # negative decimal string, e.g. "-0.0400"
    price_unit: str | None = None


class GatewayError(Exception):
    """A provider call failed; ``str()`` is written for the desk."""


class NotSentError(GatewayError):
    """The provider did not take the message: retry later (after ``retry_after`` seconds)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AmbiguousError(GatewayError):
    """The message may or may not have been accepted: reconcile before any resend."""


class RejectedError(GatewayError):
    """The provider refused this message for good (invalid number, opted out, …)."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


class SetupError(GatewayError):
    """Wrong credentials or sender number: nothing can be sent until the owner fixes it."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class SmsGateway(Protocol):
    def send(self, to: str, from_: str, body: str) -> ProviderMessage: ...

    def list_messages(
        self,
        *,
        to: str | None = None,
        from_: str | None = None,
        sent_on_or_after: datetime | None = None,
        max_pages: int = 50,
    ) -> Iterator[ProviderMessage]: ...

    def fetch(self, sid: str) -> ProviderMessage: ...

    def check(self) -> str:
        """Verify the credentials; return the account's friendly name."""
        ...
