"""The Twilio gateway: the official ``twilio`` client builds every request.

``FRONTDESK_TWILIO_API_URL`` (tests, proxies) is honoured through the client's documented
``http_client`` constructor argument: our HTTP client sends what the client built for
``https://*.twilio.com`` to that base URL instead. Every call has an explicit timeout, no
request is retried by the HTTP layer (a blind retry of a POST is how texts get sent
twice), and logs show the method and path only — never a token, a body or a full number.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.exceptions import ConnectTimeout, ReadTimeout
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from frontdesk.sms.credentials import TwilioCredentials
from frontdesk.sms.gateway import (
    AmbiguousError,
    GatewayError,
    NotSentError,
    ProviderMessage,
    RejectedError,
    SetupError,
)
from frontdesk.sms.twilio_errors import SETUP, describe_send_error

log = logging.getLogger(__name__)

API_URL_ENV = "FRONTDESK_TWILIO_API_URL"
DEFAULT_TIMEOUT = 15.0
PAGE_SIZE = 100
_PHONE = re.compile(r"(\+?\d{4})\d+(\d{3})")
OFFLINE = "We couldn't reach Twilio. Messages wait in the outbox until the connection is back."


def _mask(text: str) -> str:
    return _PHONE.sub(r"\1…\2", text)


class RedirectingHttpClient(TwilioHttpClient):
    """Sends requests meant for ``*.twilio.com`` to ``base_url`` (when given)."""

    def __init__(self, base_url: str | None, timeout: float) -> None:
        super().__init__(pool_connections=True, timeout=timeout, logger=log)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.last_status: int | None = None
        self.last_retry_after: float | None = None

    def rewrite(self, url: str) -> str:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not self.base_url or not (host == "twilio.com" or host.endswith(".twilio.com")):
            return url
        base = urlsplit(self.base_url)
        path = base.path.rstrip("/") + parts.path
        return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        self.last_status = None
        self.last_retry_after = None
        response = super().request(method, self.rewrite(url), *args, **kwargs)
        self.last_status = response.status_code
        retry_after = (response.headers or {}).get("Retry-After")
        if retry_after and retry_after.strip().isdigit():
            self.last_retry_after = float(retry_after)
        return response

    def log_request(self, kwargs: dict[str, Any]) -> None:
        if log.isEnabledFor(logging.DEBUG):  # masking costs more than the rest of a send
            log.debug("Twilio %s %s", kwargs["method"], _mask(urlsplit(kwargs["url"]).path))

    def log_response(self, status_code: int, response: Any) -> None:
        log.debug("Twilio answered %s", status_code)


def api_url_from_env() -> str | None:
    return os.environ.get(API_URL_ENV) or None


class TwilioGateway:
    def __init__(
        self,
        credentials: TwilioCredentials,
        *,
        api_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.http = RedirectingHttpClient(api_url or api_url_from_env(), timeout)
        self.account_sid = credentials.account_sid
        if credentials.api_key_sid:
            self.client = Client(
                credentials.api_key_sid,
                credentials.secret,
                account_sid=credentials.account_sid,
                http_client=self.http,
            )
        else:
            self.client = Client(credentials.account_sid, credentials.secret, http_client=self.http)

    # -- calls --------------------------------------------------------------------------------
    def send(self, to: str, from_: str, body: str) -> ProviderMessage:
        try:
            message = self.client.messages.create(to=to, from_=from_, body=body)
        except TwilioException as error:
            raise self._send_failure(error) from error
        except requests.RequestException as error:
            raise _network_failure(error, sending=True) from error
        return _message(message)

    def list_messages(
        self,
        *,
        to: str | None = None,
        from_: str | None = None,
        sent_on_or_after: datetime | None = None,
        max_pages: int = 50,
    ) -> Iterator[ProviderMessage]:
        filters: dict[str, Any] = {"page_size": PAGE_SIZE}
        if to:
            filters["to"] = to
        if from_:
            filters["from_"] = from_
        if sent_on_or_after is not None:
            filters["date_sent_after"] = sent_on_or_after
        page = self._read(lambda: self.client.messages.page(**filters))
        for _ in range(max_pages):
            for record in page:
                yield _message(record)
            current = page
            page = self._read(current.next_page)
            if page is None:
                return

    def fetch(self, sid: str) -> ProviderMessage:
        return _message(self._read(lambda: self.client.messages(sid).fetch()))

    def check(self) -> str:
        self._read(lambda: self.client.messages.page(page_size=1))
        return f"Connected to Twilio account {self.account_sid[:6]}…{self.account_sid[-4:]}"

    # -- failures -----------------------------------------------------------------------------
    def _read(self, call: Any) -> Any:
        """A GET: any failure is safe to retry later, except credentials that are wrong."""
        try:
            return call()
        except TwilioException as error:
            status = getattr(error, "status", None) or self.http.last_status
            if status in (401, 403):
                raise SetupError(describe_send_error(20003, "").words, 20003) from error
            if status == 404 and getattr(error, "code", None) == 20404:
                raise SetupError(describe_send_error(20404, "").words, 20404) from error
            raise NotSentError(
                f"Twilio had a problem ({status or 'no answer'}). We'll try again shortly.",
                self.http.last_retry_after,
            ) from error
        except requests.RequestException as error:
            raise _network_failure(error, sending=False) from error

    def _send_failure(self, error: TwilioException) -> GatewayError:
        status = getattr(error, "status", None) or self.http.last_status or 0
        code = getattr(error, "code", None)
        code = code if isinstance(code, int) and code != status else None
        if status == 429 or code == 20429:
            return NotSentError(
                "Twilio asked us to slow down; the message waits a moment.",
                self.http.last_retry_after,
            )
        if status >= 500 or status == 0:
            # Twilio may have queued the message before failing to answer: reconcile first.
            return AmbiguousError(f"Twilio had a server problem ({status}).")
        if status in (401, 403):
            return SetupError(describe_send_error(20003, "").words, 20003)
        described = describe_send_error(code, getattr(error, "msg", str(error)))
        if described.consequence == SETUP or status == 404:
            return SetupError(described.words, code)
        return RejectedError(described.words, code)


def _network_failure(error: requests.RequestException, *, sending: bool) -> GatewayError:
    if isinstance(error, ConnectTimeout) or _refused(error):
        return NotSentError(OFFLINE)
    if not sending:
        return NotSentError(OFFLINE)
    if isinstance(error, ReadTimeout):
        return AmbiguousError("Twilio did not answer in time; we'll check whether it went out.")
    return AmbiguousError("The connection to Twilio dropped; we'll check whether it went out.")


def _refused(error: requests.RequestException) -> bool:
    """True when the connection was never made, so the request cannot have arrived."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, NewConnectionError | ConnectionRefusedError):
            return True
        reason = getattr(current, "reason", None)
        nested = (
            current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        )
        current = reason if isinstance(reason, BaseException) else nested or current.__cause__
    return False


def _message(record: Any) -> ProviderMessage:
    return ProviderMessage(
        sid=record.sid,
        to=record.to or "",
        from_=record.from_ or "",
        body=record.body or "",
        status=str(record.status or ""),
        direction=str(record.direction or ""),
        date_created=record.date_created,
        date_sent=record.date_sent,
        error_code=int(record.error_code) if record.error_code else None,
        error_message=record.error_message,
        num_segments=int(record.num_segments) if record.num_segments else None,
        price=record.price,
        price_unit=record.price_unit,
    )
