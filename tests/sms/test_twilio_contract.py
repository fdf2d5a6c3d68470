"""The app's requests against Twilio's published OpenAPI contract, validated by Prism.

Prism (``@stoplight/prism-cli``, installed by ``scripts/dev.sh test``) answers only requests
that satisfy the spec (missing To → 422, no basic auth → 401, PageSize > 1000 → 422), so a
passing call proves the official client, as we drive it, sends what Twilio accepts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.sms.credentials import TwilioCredentials
from frontdesk.sms.gateway import SetupError
from frontdesk.sms.twilio_gateway import TwilioGateway

ROOT = Path(__file__).resolve().parents[2]
NAME = "twilio_api_v2010_messages.json"
# The project's shared/ copy when it sits beside the checkout (CI), else the vendored one.
SPEC = next(
    (
        path
        for path in (
            ROOT.parent / "shared" / "contracts" / NAME,
            ROOT / "tests" / "contracts" / NAME,
        )
        if path.exists()
    ),
    ROOT / "tests" / "contracts" / NAME,
)
CREDS = TwilioCredentials("AC" + "0123456789abcdef" * 2, "f" * 32)


def _prism() -> str:
    for candidate in (
        os.environ.get("FRONTDESK_PRISM"),
        str(ROOT / ".tools" / "node_modules" / ".bin" / "prism"),
        shutil.which("prism"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Prism is missing: run `bash scripts/dev.sh test` (it installs it with npm).")


@pytest.fixture(scope="module")
def prism_url() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [_prism(), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(
                    f"Prism did not start: {process.stdout.read() if process.stdout else ''}"
                )
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture
def gateway(prism_url: str) -> TwilioGateway:
    return TwilioGateway(CREDS, api_url=prism_url, timeout=10.0)


def test_send_is_a_valid_create_message(gateway: TwilioGateway) -> None:
    sent = gateway.send("+447911123456", "+447911123001", "Hi Sarah, your code is SARAH-K7QD.")
    assert sent.sid  # Prism answered with the spec's 201 example


def test_listing_replies_and_reconciling_are_valid_list_requests(gateway: TwilioGateway) -> None:
    from datetime import UTC, datetime

    replies = list(
        gateway.list_messages(
            to="+447911123001", sent_on_or_after=datetime(2026, 11, 24, tzinfo=UTC), max_pages=2
        )
    )
    mine = list(gateway.list_messages(to="+447911123456", from_="+447911123001", max_pages=1))
    assert replies and mine


def test_fetch_and_test_connection_are_valid(gateway: TwilioGateway) -> None:
    assert gateway.fetch("SM" + "a" * 32).sid
    assert gateway.check().startswith("Connected to Twilio")


def test_prism_really_validates(prism_url: str, gateway: TwilioGateway) -> None:
    from twilio.base import values
    from twilio.base.exceptions import TwilioException, TwilioRestException

    with pytest.raises(TwilioRestException) as missing_to:  # the spec requires To
        gateway.client.messages.create(to=values.unset, from_="+447911123001", body="x")
    assert missing_to.value.status == 422
    with pytest.raises(TwilioException, match="must be <= 1000"):
        gateway.client.messages.page(page_size=5000)
    unauthenticated = TwilioGateway(CREDS, api_url=prism_url, timeout=10.0)
    unauthenticated.client.username = unauthenticated.client.password = ""
    unauthenticated.client.auth = None  # type: ignore[assignment]
    with pytest.raises(SetupError):
        unauthenticated.check()
