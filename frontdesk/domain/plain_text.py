"""Text a person types into settings and templates: no control characters.

A terminal colour code, a NUL or a stray carriage return in a clinic name or a text message
is invisible on screen but lands on posters, in texts and in CSV files. Line breaks are
allowed only where a value may have several lines (a message body)."""

from __future__ import annotations

import unicodedata

from frontdesk.domain.errors import InvalidInputError


def refuse_control_characters(value: str, what: str, *, lines: bool = False) -> str:
    allowed = {"\n"} if lines else set()
    bad = next((ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in allowed), None)
    if bad is not None:
        name = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return"}.get(
            bad, f"an invisible control character (U+{ord(bad):04X})"
        )
        raise InvalidInputError(f"{what} contains {name}; type it as plain text.")
    return value
