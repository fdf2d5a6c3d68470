"""Prefix search ("starts with") that an index can serve, one small function per dialect.

``column LIKE :p || '%'`` — what ``startswith`` renders — is never served by an index on
SQLite (a computed pattern, and LIKE there is case-blind while the index is not) nor on
PostgreSQL outside the C locale, so every prefix search scanned the whole patient table.
A half-open range ``prefix <= column < next(prefix)`` is the same set of rows (the search
columns are already normalised) and walks the index:

- SQLite compares text bytewise (BINARY collation), so plain ``>=``/``<`` do;
- PostgreSQL compares in the database's locale, so the range uses the pattern operators
  ``~>=~``/``~<~`` that pattern-ops indexes serve (migration 0004).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam

_SURROGATES = range(0xD800, 0xE000)


def upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (code-point order,
    which is also UTF-8 byte order)."""
    if not prefix:
        raise ValueError("an empty prefix matches everything; do not search with it")
    head, last = prefix[:-1], ord(prefix[-1])
    if last == 0x10FFFF:
        return upper_bound(head) if head else chr(0x10FFFF) * 2
    following = last + 1
    if following in _SURROGATES:
        following = _SURROGATES.stop
    return head + chr(following)


def starts_with(column: Any, key: str, dialect: str) -> ColumnElement[bool]:
    """``column`` starts with the bound value ``key``; bind it with :func:`prefix_params`.
    For statements built once and run many times."""
    return _between(column, bindparam(f"{key}_lo"), bindparam(f"{key}_hi"), dialect)


def prefix_params(key: str, prefix: str) -> dict[str, str]:
    return {f"{key}_lo": prefix, f"{key}_hi": upper_bound(prefix)}


def has_prefix(column: Any, prefix: str, dialect: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix`` (bound now), for a one-off query."""
    return _between(column, prefix, upper_bound(prefix), dialect)


def _between(column: Any, low: Any, high: Any, dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return and_(column.op("~>=~")(low), column.op("~<~")(high))
    return and_(column >= low, column < high)
