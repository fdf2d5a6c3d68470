"""CSV cells that a spreadsheet shows as text, never runs as a formula.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one)
is a formula to Excel, LibreOffice and Google Sheets: ``=HYPERLINK(...)`` in a patient's
name would run on the owner's computer when they open an export. Such cells get a leading
apostrophe, the convention spreadsheets show as "this is text" (OWASP's advice). Plain
numbers ("+447700900123", "-20.00") stay as they are: a spreadsheet can only read them as
numbers, so there is nothing to defuse and mail merges keep working.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def safe_text(text: str) -> str:
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def safe_cell(value: Any) -> Any:
    """A value ready for ``csv.writer``: numbers stay numbers, everything else safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    return safe_text(str(value))
