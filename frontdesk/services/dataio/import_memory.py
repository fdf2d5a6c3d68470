"""The column mapping a clinic corrected, remembered for the next file with the same header.

A clinic exports from the same system every time; once the desk has said "Column 'Cell 2'
is the mobile", the next import of that export should not ask again. The mapping is kept
per header (its column names, compared as ``header_key``), in the settings table, written
in the import's own transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_fields import header_key, validate_mapping
from frontdesk.store.models import Setting

KEY_PREFIX = "import.mapping."


def mapping_key(headers: Sequence[str]) -> str:
    digest = hashlib.sha256("\x1f".join(header_key(h) for h in headers).encode("utf-8"))
    return KEY_PREFIX + digest.hexdigest()[:32]


def remembered(session: Session, headers: Sequence[str]) -> tuple[str | None, ...] | None:
    """The mapping saved for this header, if it still fits it."""
    row = session.get(Setting, mapping_key(headers))
    if row is None:
        return None
    try:
        fields = tuple(json.loads(row.value_json))
        validate_mapping(headers, fields)
    except (ValueError, TypeError, InvalidInputError):
        return None  # saved by another version, or for a changed header: guess afresh
    return fields


def remember(
    session: Session,
    headers: Sequence[str],
    fields: Sequence[str | None],
    guess: Sequence[str | None],
    now: datetime,
) -> None:
    """Keep the mapping when the desk changed the guess; a mapping equal to the guess
    needs no memory (and later, better guesses then apply)."""
    key = mapping_key(headers)
    if tuple(fields) == tuple(guess):
        row = session.get(Setting, key)
        if row is not None:
            session.delete(row)
        return
    encoded = json.dumps(list(fields))
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value_json=encoded, updated_at=now))
    elif row.value_json != encoded:
        row.value_json, row.updated_at = encoded, now
