"""Which encoding a patient list was saved in, worked out from its bytes.

Order of evidence: a byte-order mark; UTF-16 without one (Excel's "Unicode text": every
other byte zero); valid UTF-8 throughout (checked streaming, the whole file); otherwise a
Windows code page — cp1250 (Central Europe) when it reads the file's accented bytes as
letters where cp1252 reads them as symbols ("Łukasz", not "£ukasz"), else cp1252, and
Latin-1 for bytes cp1252 leaves undefined. The preview shows the choice and the person can
pick another (``--encoding``).
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from frontdesk.domain.errors import InvalidInputError

# Codec key → how it is shown. The keys are what ``--encoding`` takes.
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-16": "UTF-16 (with BOM)",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1252": "Windows-1252 (Western Europe)",
    "cp1250": "Windows-1250 (Central Europe)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
SNIFF_BYTES = 64 * 1024
_CHUNK = 1024 * 1024


def sniff_bytes(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(SNIFF_BYTES)


def detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        raise InvalidInputError(
            "This is an Excel workbook (.xlsx), not a CSV file. In Excel choose "
            "File → Save As → 'CSV UTF-8 (Comma delimited)' and import that."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInputError(
            "This is an old Excel workbook (.xls), not a CSV file. Save it as CSV first."
        )
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if b"\x00" in head[:4096]:
        raise InvalidInputError(
            "This file has binary content, so it is not a CSV file. Export the patient list "
            "as CSV from your practice system or spreadsheet."
        )
    if _valid_utf8(path):
        return "utf-8"
    return _code_page(head)


def _utf16_without_bom(head: bytes) -> str | None:
    """Text of mostly ASCII characters in UTF-16 has a zero in every other byte."""
    sample = head[: 4096 - 4096 % 2]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.6 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.1:
        return "utf-16-be"
    return None


def _valid_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def first_bad_line(path: Path, codec: str) -> int:
    """The line of the first byte that is not valid in ``codec`` (0: none is)."""
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 1
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            try:
                lines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as error:
                good = error.object[: error.start]
                return lines + good.decode(codec, "replace").count("\n")
    return 0


def _code_page(head: bytes) -> str:
    scores = {}
    for codec in ("cp1252", "cp1250"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        scores[codec] = _oddities(text)
    if not scores:
        return "latin-1"
    if "cp1252" in scores and scores["cp1252"] <= scores.get("cp1250", 1 << 30):
        return "cp1252"
    return "cp1250"


def _oddities(text: str) -> int:
    """Accented bytes read as symbols next to letters ('£ukasz', 'Pi¹tek'): a wrong guess."""
    odd = 0
    for index, ch in enumerate(text):
        if ch.isascii() or ch.isalpha():
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if (before.isalpha() or after.isalpha()) and unicodedata.category(ch)[0] in "SPN":
            odd += 1
    return odd
