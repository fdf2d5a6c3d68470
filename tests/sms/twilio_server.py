"""A local, stateful stand-in for Twilio's Messages API (stdlib HTTP on loopback).

It keeps what was sent, serves lists newest first with real pagination (PageSize, Page,
PageToken, next_page_uri), answers fetches, delivers scripted inbound messages and status
changes, and injects faults: 500, 429 with Retry-After, a response slower than the client's
timeout, a connection dropped before or after the message was accepted, or a held response.
Connection refused is simply ``stop()``.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages(?:/(\w+))?\.json$")


@dataclass
class Fault:
    kind: str  # status500, status429, timeout, drop_before, drop_after_accept, hold
    method: str = "POST"
    times: int = 1
    retry_after: int = 2
    delay: float = 3.0


@dataclass
class Message:
    sid: str
    to: str
    from_: str
    body: str
    direction: str
    status: str
    date_created: datetime
    date_sent: datetime | None = None
    error_code: int | None = None
    error_message: str | None = None

    def resource(self) -> dict[str, Any]:
        def rfc(at: datetime | None) -> str | None:
            return format_datetime(at, usegmt=True) if at else None

        return {
            "account_sid": ACCOUNT_SID,
            "api_version": "2010-04-01",
            "body": self.body,
            "date_created": rfc(self.date_created),
            "date_sent": rfc(self.date_sent),
            "date_updated": rfc(self.date_sent or self.date_created),
            "direction": self.direction,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "from": self.from_,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": "-0.04000" if self.direction != "inbound" and self.date_sent else None,
            "price_unit": "GBP",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {},
            "to": self.to,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{self.sid}.json",
        }


@dataclass
class TwilioState:
    clock: Callable[[], datetime]
    messages: list[Message] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    invalid_numbers: set[str] = field(default_factory=set)
    opted_out_numbers: set[str] = field(default_factory=set)
    release_hold: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def outbound(self) -> list[Message]:
        return [m for m in self.messages if m.direction == "outbound-api"]


class TwilioTestServer:
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.state = TwilioState(clock=clock or (lambda: datetime.now(UTC)))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> TwilioTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.release_hold.set()
        self._server.shutdown()
        self._server.server_close()

    # -- scripting ------------------------------------------------------------------------
    def inbound(self, from_: str, to: str, body: str, at: datetime | None = None) -> Message:
        when = at or self.state.clock()
        message = Message(_sid(), to, from_, body, "inbound", "received", when, when)
        with self.state.lock:
            self.state.messages.append(message)
        return message

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> None:
        with self.state.lock:
            for message in self.state.messages:
                if message.sid == sid:
                    message.status = status
                    message.error_code = error_code
                    message.date_sent = message.date_sent or self.state.clock()

    def deliver_all(self) -> None:
        for message in self.state.outbound():
            if message.status in ("queued", "sent"):
                self.set_status(message.sid, "delivered")

    def fault(self, kind: str, **options: Any) -> None:
        self.state.faults.append(Fault(kind, **options))

    def sent_bodies(self, to: str | None = None) -> list[str]:
        return [m.body for m in self.state.outbound() if to is None or m.to == to]


def _sid() -> str:
    return "SM" + uuid.uuid4().hex


def _handler(state: TwilioState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle on, the body waits for the
        # client's delayed ACK (~40 ms a response), which would be all a benchmark measured.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        # -- plumbing ---------------------------------------------------------------------
        def _json(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _error(
            self, status: int, code: int, message: str, headers: dict[str, str] | None = None
        ) -> None:
            self._json(
                status,
                {
                    "code": code,
                    "message": message,
                    "more_info": f"https://www.twilio.com/docs/errors/{code}",
                    "status": status,
                },
                headers,
            )

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            return header == f"Basic {expected}"

        def _take_fault(self, method: str) -> Fault | None:
            with state.lock:
                for fault in state.faults:
                    if fault.method == method and fault.times > 0:
                        fault.times -= 1
                        return fault
            return None

        def _drop(self) -> None:
            self.close_connection = True
            self.connection.shutdown(2)
            self.connection.close()

        # -- verbs ------------------------------------------------------------------------
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            path = urlsplit(self.path).path
            with state.lock:
                state.requests.append(("POST", path, form))
            match = _MESSAGES.match(path)
            if not match or match.group(2):
                self._error(404, 20404, "The requested resource was not found")
                return
            if not self._authorised():
                self._error(401, 20003, "Authenticate")
                return
            fault = self._take_fault("POST")
            if fault and fault.kind == "drop_before":
                self._drop()
                return
            if fault and fault.kind == "status500":
                self._error(500, 20500, "Internal Server Error")
                return
            if fault and fault.kind == "status429":
                self._error(
                    429, 20429, "Too Many Requests", {"Retry-After": str(fault.retry_after)}
                )
                return
            to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
            if not to:
                self._error(400, 21604, "A 'To' phone number is required.")
                return
            if not from_:
                self._error(400, 21603, "A 'From' phone number is required.")
                return
            if not _E164.match(to) or to in state.invalid_numbers:
                self._error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
                return
            if to in state.opted_out_numbers:
                self._error(400, 21610, "Attempt to send to unsubscribed recipient")
                return
            if len(body) > 1600:
                self._error(
                    400, 21617, "The concatenated message body exceeds the 1600 character limit."
                )
                return
            message = Message(_sid(), to, from_, body, "outbound-api", "queued", state.clock())
            with state.lock:
                state.messages.append(message)
            if fault and fault.kind == "drop_after_accept":
                self._drop()
                return
            if fault and fault.kind == "timeout":
                state.release_hold.wait(fault.delay)
            if fault and fault.kind == "hold":
                state.release_hold.wait(600)
            self._json(201, message.resource())

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            with state.lock:
                state.requests.append(("GET", parts.path, query))
            match = _MESSAGES.match(parts.path)
            if not match:
                self._error(404, 20404, "The requested resource was not found")
                return
            if not self._authorised():
                self._error(401, 20003, "Authenticate")
                return
            fault = self._take_fault("GET")
            if fault and fault.kind == "status500":
                self._error(500, 20500, "Internal Server Error")
                return
            if fault and fault.kind == "status429":
                self._error(
                    429, 20429, "Too Many Requests", {"Retry-After": str(fault.retry_after)}
                )
                return
            if fault and fault.kind == "drop_before":
                self._drop()
                return
            if fault and fault.kind == "timeout":
                state.release_hold.wait(fault.delay)
            if match.group(2):
                found = next((m for m in state.messages if m.sid == match.group(2)), None)
                if found is None:
                    self._error(404, 20404, "The requested resource was not found")
                else:
                    self._json(200, found.resource())
                return
            self._list(parts.path, query)

        def _list(self, path: str, query: dict[str, str]) -> None:
            size = int(query.get("PageSize", "50"))
            if not 1 <= size <= 1000:
                self._error(400, 20001, "PageSize must be between 1 and 1000")
                return
            page = int(query.get("Page", "0"))
            rows = [m for m in state.messages if _matches(m, query)]
            rows.sort(key=lambda m: (m.date_created, m.sid), reverse=True)
            chunk = rows[page * size : (page + 1) * size]
            base = {k: v for k, v in query.items() if k not in ("Page", "PageToken")}

            def uri(n: int) -> str:
                return f"{path}?{urlencode({**base, 'Page': n, 'PageToken': f'PA{n}'})}"

            has_next = (page + 1) * size < len(rows)
            self._json(
                200,
                {
                    "messages": [m.resource() for m in chunk],
                    "start": page * size,
                    "end": page * size + max(len(chunk) - 1, 0),
                    "page": page,
                    "page_size": size,
                    "uri": uri(page),
                    "first_page_uri": uri(0),
                    "previous_page_uri": uri(page - 1) if page else None,
                    "next_page_uri": uri(page + 1) if has_next else None,
                },
            )

    return Handler


def _parse_when(text: str) -> datetime:
    text = text.replace("Z", "+00:00")
    if len(text) == 10:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    return datetime.fromisoformat(text)


def _matches(message: Message, query: dict[str, str]) -> bool:
    if "To" in query and message.to != query["To"]:
        return False
    if "From" in query and message.from_ != query["From"]:
        return False
    after = query.get("DateSent>")
    if after is not None and (message.date_sent is None or message.date_sent < _parse_when(after)):
        return False
    before = query.get("DateSent<")
    return before is None or (
        message.date_sent is not None and message.date_sent <= _parse_when(before)
    )
