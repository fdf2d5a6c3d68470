"""What the printed QR codes point at.

- A personal card: the patient's personal link (``frontdesk.domain.referral_link``).
- A poster: the booking page with ``?src=TAG``, or an ``sms:`` link (RFC 5724) whose body is
  the poster keyword and the tag, so the reply sync can send the sender their own code and
  credit the poster.

Payloads are plain ASCII so they encode compactly and decode to exactly the same string.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from anyascii import anyascii

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.referral_link import sms_link, with_query_param

SOURCE_PARAM = "src"
TAG_MAX = 40
_TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def poster_target(
    booking_url: str | None, sms_number: str | None, keyword: str, source_tag: str
) -> str:
    """Where a poster's QR goes, carrying the poster's source tag either way."""
    tag = validate_source_tag(source_tag)
    if booking_url:
        return with_query_param(booking_url, SOURCE_PARAM, tag)
    if sms_number:
        return sms_link(sms_number, poster_sms_body(keyword, tag))
    raise InvalidInputError(
        "A poster needs somewhere to send people: add the clinic's booking page "
        "(clinic.booking_url) or its SMS number (clinic.sms_number) in Settings."
    )


def poster_sms_body(keyword: str, source_tag: str) -> str:
    word = " ".join(keyword.split()).upper()
    if not word:
        raise InvalidInputError("The poster keyword (sms.poster_keyword) cannot be empty.")
    return f"{word} {source_tag.upper()}"


def parse_poster_sms(body: str, keyword: str) -> str | None:
    """For the reply sync: the source tag of a text sent from a poster ("friend reception"
    → "reception"); "" for the keyword without a usable tag; None for any other text."""
    words = body.strip().split()
    kw = keyword.split()
    if len(words) < len(kw) or [w.upper() for w in words[: len(kw)]] != [k.upper() for k in kw]:
        return None
    rest = "-".join(words[len(kw) :]).lower()
    return rest if _TAG.match(rest) else ""


def slugify_tag(name: str) -> str:
    """A poster's source tag from its name: "Treatment room 1" → "treatment-room-1"."""
    folded = anyascii(unicodedata.normalize("NFKC", name)).lower()
    tag = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:TAG_MAX].strip("-")
    if not tag:
        raise InvalidInputError(
            f"{name!r} can't be a poster's name: use letters or digits, like 'Reception'."
        )
    return tag


def validate_source_tag(tag: str) -> str:
    if not _TAG.match(tag) or len(tag) > TAG_MAX:
        raise InvalidInputError(
            f"{tag!r} is not a poster tag: lower-case letters, digits and dashes, "
            f"at most {TAG_MAX} characters."
        )
    return tag


def display_address(url: str) -> str:
    """A booking address as people read it on paper: no scheme, no trailing slash."""
    parts = urlsplit(url)
    text = (parts.netloc + parts.path).removeprefix("www.")
    return text.rstrip("/")
