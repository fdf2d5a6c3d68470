"""Is the SMS provider reachable? A short TCP connect, never on the GUI thread."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

DEFAULT_API = "https://api.twilio.com"


def api_base() -> str:
    return os.environ.get("FRONTDESK_TWILIO_API_URL", DEFAULT_API).rstrip("/")


def is_online(timeout: float = 2.0) -> bool:
    parsed = urlparse(api_base())
    host = parsed.hostname or "api.twilio.com"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
