"""A patient's personal referral link: the clinic's booking page with ``?ref=CODE``."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def personal_link(booking_url: str | None, code: str | None) -> str | None:
    """``https://clinic.example/book?ref=SARAH-K7QD``, keeping any query the page already has
    (a booking page's own ``?service=…``); None when the clinic has no booking page."""
    if not booking_url or not code:
        return None
    parts = urlsplit(booking_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "ref"]
    query.append(("ref", code))
    return urlunsplit(parts._replace(query=urlencode(query)))
