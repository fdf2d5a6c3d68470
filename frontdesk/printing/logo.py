"""Checking a clinic logo before it is stored: PNG, JPEG or SVG, sensibly sized."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image, UnidentifiedImageError

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.documents import Logo

MAX_BYTES = 2 * 1024 * 1024
MIN_PIXELS = 64
MAX_PIXELS = 8000


def validate_logo(data: bytes) -> Logo:
    if not data:
        raise InvalidInputError("That logo file is empty.")
    if len(data) > MAX_BYTES:
        raise InvalidInputError(
            f"That logo is {len(data) / 1_048_576:.1f} MB; use one under 2 MB "
            "(a PNG of 1000 pixels across is plenty for a poster)."
        )
    head = data[:1024].lstrip()
    if head.startswith(b"<") and b"<svg" in data[:4096]:
        return _svg(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = (image.format or "").lower()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise InvalidInputError(
            "That file is not a picture Frontdesk can print: use a PNG, JPEG or SVG logo."
        ) from None
    if kind not in ("png", "jpeg"):
        raise InvalidInputError(f"Logos can be PNG, JPEG or SVG, not {kind.upper() or 'this'}.")
    if min(width, height) < MIN_PIXELS:
        raise InvalidInputError(
            f"That logo is only {width} × {height} pixels; it would print blurred. "
            f"Use one at least {MIN_PIXELS * 4} pixels across."
        )
    if max(width, height) > MAX_PIXELS:
        raise InvalidInputError(f"That logo is {width} × {height} pixels; use a smaller one.")
    return Logo(data=data, format=kind)


def _svg(data: bytes) -> Logo:
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise InvalidInputError("That SVG logo is not valid SVG; export it again.") from None
    if not root.tag.endswith("svg"):
        raise InvalidInputError("That file is not an SVG drawing.")
    return Logo(data=data, format="svg")
