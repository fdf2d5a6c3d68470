"""A patient's personal referral link, the one place that builds it.

The clinic's booking page with ``?ref=CODE`` (SPEC §1), or — with no website — an ``sms:``
link that texts the clinic the code. Built with ``urllib.parse`` so a page's own query and
fragment keep their places: ``…/book#form`` gives ``…/book?ref=CODE#form`` (a code written
after the ``#`` never reaches the server, and the referral would be lost).
Links are plain ASCII so QR codes encode them compactly and decode to the same string.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from frontdesk.domain.errors import InvalidInputError

REF_PARAM = "ref"


def _ascii_url(url: str) -> str:
    """Punycode the host and percent-encode anything else that is not ASCII."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    netloc = parts.netloc
    if host and not host.isascii():
        netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    safe = "/:@!$&'()*+,;=%-._~?#"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe),
            quote(parts.fragment, safe=safe),
        )
    )


def with_query_param(url: str, name: str, value: str) -> str:
    """``url`` with ``name=value`` set (an old value replaced, not doubled), keeping every
    other parameter in its place and the fragment after the query."""
    parts = urlsplit(_ascii_url(url))
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    params.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(params, safe="-")))


def sms_link(number_e164: str, body: str) -> str:
    """``sms:+447700900123?body=FRIEND%20RECEPTION`` (RFC 5724)."""
    if not re.fullmatch(r"\+[1-9]\d{6,14}", number_e164):
        raise InvalidInputError(f"{number_e164!r} is not a full international phone number.")
    return f"sms:{number_e164}?body={quote(body, safe='')}"


def booking_link(booking_url: str | None, code: str | None) -> str | None:
    """``https://clinic.example/book?ref=SARAH-K7QD``: what the card, the export and the
    ``{link}`` of a text show; None when the clinic has no booking page or no code."""
    if not booking_url or not booking_url.strip() or not code:
        return None
    return with_query_param(booking_url, REF_PARAM, code)


def personal_link(
    booking_url: str | None, code: str | None, sms_number: str | None = None
) -> str | None:
    """Where a patient's card sends a friend: the booking link, else (given the clinic's SMS
    number, as the printed QR is) a text to the clinic with the code; None with neither."""
    link = booking_link(booking_url, code)
    if link is None and sms_number and code:
        return sms_link(sms_number, f"Hi, I'd like to book. Code {code}")
    return link
