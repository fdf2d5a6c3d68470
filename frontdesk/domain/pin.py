"""Staff PINs, hashed with scrypt (a slow KDF) so a stolen database does not give them away."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import timedelta

from frontdesk.domain.errors import InvalidInputError

_N, _R, _P = 2**14, 8, 1


def validate_pin(pin: str) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise InvalidInputError("A PIN is 4 to 8 digits.")
    return pin


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_pin(pin: str, stored: str) -> bool:
    try:
        _scheme, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    salt = base64.b64decode(salt_b64)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))


def lockout_delay(failed_attempts: int) -> timedelta:
    """No wait for the first three slips, then 30 s doubling up to 15 minutes."""
    if failed_attempts < 3:
        return timedelta(0)
    return timedelta(seconds=min(30 * 2 ** (failed_attempts - 3), 900))
