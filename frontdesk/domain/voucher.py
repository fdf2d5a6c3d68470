"""Single-use voucher codes for the new-patient offer: ``GIFT-7KQ3XD``.

Five random symbols from the referral codes' unambiguous alphabet plus a check symbol, so a
mistyped voucher is recognised as wrong rather than as someone else's. Input is folded the
same way as referral codes (case, spaces, dashes, O→0, I/L→1, S→5, U→V).
"""

from __future__ import annotations

import random
import re

from frontdesk.domain.referral_code import ALPHABET, FOLD, check_symbol

PREFIX = "GIFT"
RANDOM_SYMBOLS = 5
_SHAPE = re.compile(rf"^{PREFIX}[0-9A-Z]{{{RANDOM_SYMBOLS + 1}}}$")


def generate_voucher(rng: random.Random) -> str:
    body = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return f"{PREFIX}-{body}{check_symbol(PREFIX, body)}"


def normalize_voucher(text: str) -> str | None:
    """The canonical voucher for what was typed, or None if it cannot be a valid voucher."""
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    if not _SHAPE.match(compact):
        return None
    body = compact[len(PREFIX) :].translate(FOLD)
    if any(ch not in ALPHABET for ch in body):
        return None
    if check_symbol(PREFIX, body[:-1]) != body[-1]:
        return None
    return f"{PREFIX}-{body}"
