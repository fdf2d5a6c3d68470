"""Reading a CSV file the way people actually have them: any common encoding and separator.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 with a mark (Excel's "Unicode
text"), and Windows-1252 / Latin-1 (older Windows exports). Separators: comma, semicolon
(European Excel), tab and pipe, found by ``csv.Sniffer`` and checked against the shape of
the first lines. Every record keeps the file line it starts on, for messages.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_fields import looks_like_header

MAX_BYTES = 300 * 1024 * 1024
SNIFF_CHARS = 64 * 1024
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class CsvTable:
    file_name: str
    encoding: str  # how it was read, in words: "UTF-8 (with BOM)", "Windows-1252 (Latin-1)"
    delimiter: str
    has_header: bool
    headers: tuple[str, ...]
    rows: list[tuple[int, list[str]]]  # (line the record starts on, cells)

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding in words). Refuses spreadsheets and other binary files by name."""
    if data.startswith(b"PK\x03\x04"):
        raise InvalidInputError(
            "This is an Excel workbook (.xlsx), not a CSV file. In Excel choose "
            "File → Save As → 'CSV UTF-8 (Comma delimited)' and import that."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInputError(
            "This is an old Excel workbook (.xls), not a CSV file. Save it as CSV first."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 (with BOM)"), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise InvalidInputError(
            "This file has binary content, so it is not a CSV file. Export the patient list "
            "as CSV from your practice system or spreadsheet."
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1 (ISO-8859-1)"


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInputError(
            f"The file says it is {label} but line {line} is not valid {label}. "
            "Save it again from the spreadsheet as CSV UTF-8."
        ) from None


def detect_delimiter(text: str) -> str:
    """``csv.Sniffer``'s answer when the header and the first rows agree with it, else the
    candidate that splits the first lines into the same number (> 1) of columns most often."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS:
        sample = sample.rsplit("\n", 1)[0]  # never end the sample mid-record
    lines = [line for line in sample.splitlines() if line.strip()][:50]
    if not lines:
        raise InvalidInputError("The file is empty.")
    joined = "\n".join(lines)

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(io.StringIO(joined), delimiter=delimiter)]
        if not counts or counts[0] < 2:
            return (0, 0)
        return (sum(1 for count in counts if count == counts[0]), counts[0])

    try:
        sniffed = csv.Sniffer().sniff(joined, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed is not None and score(sniffed)[0] >= max(len(lines) * 0.8, 1):
        return sniffed
    best = max(DELIMITERS, key=score)
    if score(best)[1] < 2:
        return ","  # one column: a list of names, say; the mapping step will show it
    return best


def read_table(path: Path) -> CsvTable:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInputError(
                f"{path.name} is {size // (1024 * 1024)} MB; a patient list is far smaller. "
                "Is it the right file?"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise InvalidInputError(f"Frontdesk may not read {path}.") from None
    text, encoding = decode(data)
    if not text.strip():
        raise InvalidInputError(f"{path.name} is empty.")
    delimiter = detect_delimiter(text)
    rows = _records(text, delimiter)
    if not rows:
        raise InvalidInputError(f"{path.name} is empty.")
    first = rows[0][1]
    if looks_like_header(first):
        headers = tuple(cell.strip() or f"Column {i + 1}" for i, cell in enumerate(first))
        data_rows = rows[1:]
        has_header = True
    else:
        width = Counter(len(cells) for _, cells in rows[:50]).most_common(1)[0][0]
        headers = tuple(f"Column {i + 1}" for i in range(width))
        data_rows = rows
        has_header = False
    return CsvTable(
        file_name=path.name,
        encoding=encoding,
        delimiter=delimiter,
        has_header=has_header,
        headers=headers,
        rows=data_rows,
    )


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if cells:
                rows.append((start, cells))
    except csv.Error as error:
        raise InvalidInputError(
            f"Line {reader.line_num + 1} cannot be read as CSV: {error}."
        ) from None
    return rows
