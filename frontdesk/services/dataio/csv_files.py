"""Reading a CSV file the way people actually have them: any common encoding and separator,
title lines above the header, totals below it, and the odd broken row.

The file is streamed, never loaded whole: one pass finds its shape (encoding, separator,
header, counts, broken rows) and ``CsvTable.records()`` reads it again row by row, so a
large list costs the memory of its patients, not of its text. A line is read at most
``MAX_LINE_CHARS`` at a time, so a runaway line is refused before it fills memory.

Broken rows are never merged into others or dropped quietly: an unclosed quote, more
values than the header, an invisible control character — each comes back as a
``BadRecord`` with its line and the reason, for the preview.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_fields import header_score
from frontdesk.services.dataio.csv_encoding import (
    ENCODINGS,
    detect_encoding,
    first_bad_line,
    sniff_bytes,
)

MAX_BYTES = 300 * 1024 * 1024
MAX_COLUMNS = 500
MAX_LINE_CHARS = 64 * 1024
HEADER_SEARCH = 50  # records looked at for the header row
MAX_VALUE_LINES = 50  # lines one quoted value may span (a long note); more is a lost quote
SAMPLE_ROWS = 200  # rows kept for the mapping step's samples
MAX_BAD_KEPT = 10_000  # broken rows listed (all are counted)
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Summary lines some exports add under the list: "Total: 312", "Grand total", "312 customers".
_TOTALS = re.compile(
    r"^(grand\s+)?totals?\b|^(record\s+)?count\b|^\d[\d,.]*\s+(customers|clients|contacts|"
    r"patients|records|rows)\b|^(page\s+\d+|exported|generated|report\s+date)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BadRecord:
    line: int
    reason: str
    text: str = ""  # the start of what was read, to help find the row


@dataclass(frozen=True)
class CsvTable:
    path: Path
    file_name: str
    encoding: str  # codec key, e.g. "utf-8-sig", "cp1250" (see csv_encoding.ENCODINGS)
    encoding_detected: bool  # False when the person chose it
    delimiter: str
    has_header: bool
    header_line: int  # file line of the header (0: no header)
    headers: tuple[str, ...]
    row_count: int  # data rows, broken ones included
    skipped: int  # title lines, blank lines, repeated headers and totals left out
    bad: tuple[BadRecord, ...]
    bad_count: int
    samples: tuple[tuple[int, tuple[str, ...]], ...] = field(repr=False)

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))

    @property
    def encoding_label(self) -> str:
        return ENCODINGS[self.encoding]

    def records(self) -> Iterator[tuple[int, list[str]] | BadRecord]:
        """Every data row as (line, cells), or a ``BadRecord`` where it cannot be read."""
        width = len(self.headers) if self.has_header else None
        for item in _scan(self.path, self.encoding, self.delimiter, self.header_line, width):
            if isinstance(item, BadRecord) or item[0] == "row":
                yield item if isinstance(item, BadRecord) else (item[1], item[2])


def detect_delimiter(text: str) -> str:
    """The separator that splits most of the first lines into the same number (> 1) of
    columns (title lines above the header do not count against it); ``csv.Sniffer``
    breaks a tie."""
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH]
    if not lines:
        raise InvalidInputError("The file is empty.")
    joined = "\n".join(lines)

    def score(delimiter: str) -> tuple[int, int]:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(joined), delimiter=delimiter)]
        except csv.Error:
            return (0, 0)
        widths = Counter(count for count in counts if count > 1)
        if not widths:
            return (0, 0)
        width, often = widths.most_common(1)[0]
        return (often, width)

    try:
        sniffed: str | None = csv.Sniffer().sniff(joined, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    best = max(DELIMITERS, key=lambda d: (score(d), d == sniffed))
    if score(best)[1] < 2:
        return ","  # one column: a list of names, say; the mapping step will show it
    return best


def read_table(path: Path, encoding: str | None = None) -> CsvTable:
    """The file's shape in one streamed pass. ``encoding``: a key of ``ENCODINGS`` the
    person chose; None works it out."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError
        if size > MAX_BYTES:
            raise InvalidInputError(
                f"{path.name} is {size // (1024 * 1024)} MB; a patient list is far smaller "
                f"(at most {MAX_BYTES // (1024 * 1024)} MB). Is it the right file?"
            )
        head = sniff_bytes(path)
        codec = _chosen(encoding) if encoding else detect_encoding(path, head)
    except FileNotFoundError:
        raise InvalidInputError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise InvalidInputError(f"Frontdesk may not read {path}.") from None
    sample = _decoded_sample(path, codec)
    if not sample.strip():
        raise InvalidInputError(f"{path.name} is empty.")
    delimiter = detect_delimiter(sample)
    header_line, headers = _find_header(path, codec, delimiter)
    rows = skipped = bad_count = 0
    bad: list[BadRecord] = []
    samples: list[tuple[int, tuple[str, ...]]] = []
    for item in _scan(path, codec, delimiter, header_line, len(headers)):
        if isinstance(item, BadRecord):
            rows += 1
            bad_count += 1
            if len(bad) < MAX_BAD_KEPT:
                bad.append(item)
        elif item[0] == "row":
            rows += 1
            if len(samples) < SAMPLE_ROWS:
                samples.append((item[1], tuple(item[2])))
        else:
            skipped += 1
    if rows == 0 and not headers:
        raise InvalidInputError(f"{path.name} is empty.")
    if not header_line:
        width = Counter(len(cells) for _, cells in samples[:50]).most_common(1)
        headers = tuple(f"Column {i + 1}" for i in range(width[0][0] if width else 1))
    return CsvTable(
        path=path,
        file_name=path.name,
        encoding=codec,
        encoding_detected=encoding is None,
        delimiter=delimiter,
        has_header=bool(header_line),
        header_line=header_line,
        headers=headers,
        row_count=rows,
        skipped=skipped,
        bad=tuple(bad),
        bad_count=bad_count,
        samples=tuple(samples),
    )


def _chosen(encoding: str) -> str:
    key = encoding.strip().lower().replace("_", "-")
    key = {"utf8": "utf-8", "latin1": "latin-1", "iso-8859-1": "latin-1"}.get(key, key)
    key = {"windows-1252": "cp1252", "windows-1250": "cp1250"}.get(key, key)
    if key not in ENCODINGS:
        raise InvalidInputError(
            f"Frontdesk does not know the encoding {encoding!r}. Choose one of: "
            f"{', '.join(ENCODINGS)}."
        )
    return key


def _decoded_sample(path: Path, codec: str) -> str:
    """The first 64 KB as text, ending on a whole line."""
    lines: list[str] = []
    total = 0
    for _number, line in _lines(path, codec):
        lines.append(line)
        total += len(line)
        if total >= MAX_LINE_CHARS or len(lines) >= HEADER_SEARCH * 4:
            break
    return "".join(lines)


def _lines(path: Path, codec: str) -> Iterator[tuple[int, str]]:
    """(line number, line) at most ``MAX_LINE_CHARS`` long, decoded strictly."""
    number = 0
    try:
        with path.open(encoding=codec, errors="strict", newline="") as file:
            while True:
                line = file.readline(MAX_LINE_CHARS + 1)
                if not line:
                    return
                number += 1
                if len(line) > MAX_LINE_CHARS and line[-1] not in "\r\n":
                    raise InvalidInputError(
                        f"Line {number} of {path.name} is longer than "
                        f"{MAX_LINE_CHARS // 1024} KB; a patient list's lines are far "
                        "shorter. Is it the right file?"
                    )
                yield number, line
    except UnicodeDecodeError:
        bad = first_bad_line(path, codec) or number + 1
        raise InvalidInputError(
            f"Line {bad} of {path.name} is not valid {ENCODINGS[codec]}. Choose the "
            "file's encoding (--encoding), or save it again from the spreadsheet as CSV UTF-8."
        ) from None


def _records(
    path: Path, codec: str, delimiter: str, width: int | None = None
) -> Iterator[tuple[int, int, list[str]] | BadRecord]:
    """(first line, last line, cells) per record, or a BadRecord for a line whose quote
    never closes. A quoted value may span lines (addresses, notes); but when a line inside
    it reads as a whole row on its own, the quote was left open by mistake: that line is
    rejected and reading starts again on the next, so no rows are swallowed."""
    pending: list[tuple[int, str]] = []
    lines = _lines(path, codec)
    queue: list[tuple[int, str]] = []
    row_marks = max((width or 0) - 1, 1) if width else None
    while True:
        if queue:
            number, line = queue.pop(0)
        else:
            item = next(lines, None)
            if item is None:
                break
            number, line = item
        runaway = len(pending) >= MAX_VALUE_LINES or (
            row_marks is not None and _looks_like_row(line, delimiter, row_marks)
        )
        if pending and runaway:
            yield _unclosed(pending[0][0], number - 1)
            queue = [*pending[1:], (number, line), *queue]
            pending = []
            continue
        if not pending and '"' not in line:
            # No quotes: exactly what the csv module would read, several times faster.
            text = line.rstrip("\r\n")
            yield number, number, text.split(delimiter) if text else []
            continue
        pending.append((number, line))
        read = _read_record("".join(text for _n, text in pending), delimiter)
        if read is None:
            continue  # inside a quoted value: the record goes on to the next line
        if isinstance(read, str):
            yield BadRecord(pending[0][0], read, pending[0][1][:60])
        else:
            yield pending[0][0], pending[-1][0], read
        pending = []
    if pending:
        yield _unclosed(pending[0][0], pending[-1][0])
        if len(pending) > 1:
            yield from _records_of(pending[1:], delimiter)


def _records_of(
    lines: list[tuple[int, str]], delimiter: str
) -> Iterator[tuple[int, int, list[str]] | BadRecord]:
    """The lines after an unclosed quote at the end of the file, each on its own."""
    for number, line in lines:
        read = _read_record(line, delimiter)
        if read is None:
            yield _unclosed(number, number)
        elif isinstance(read, str):
            yield BadRecord(number, read, line[:60])
        else:
            yield number, number, read


def _read_record(text: str, delimiter: str) -> list[str] | str | None:
    """The cells of one record's text; None while a quoted value is still open; a reason
    when the quotes are malformed ('"Ann"x'). Parsed by the csv module (in C)."""
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True), [])
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return None
        return f'Cannot be read as CSV ({error}): a stray quote (")?'


def _unclosed(first: int, last: int) -> BadRecord:
    return BadRecord(
        first,
        f'A quote (") opens a value on line {first} and is never closed. Nothing from this '
        "line was imported; fix the quote in the spreadsheet.",
    )


def _looks_like_row(line: str, delimiter: str, marks: int) -> bool:
    """A line that is a whole row by itself (enough separators, its quotes closed)."""
    return line.count(delimiter) >= marks and _read_record(line, delimiter) is not None


def _find_header(path: Path, codec: str, delimiter: str) -> tuple[int, tuple[str, ...]]:
    """The first record that looks like a header (two or more known column names; one
    will do if no record has two), after title lines, blank lines and banners."""
    best: tuple[int, int, list[str]] | None = None
    first = True
    for seen, item in enumerate(_records(path, codec, delimiter)):
        if seen >= HEADER_SEARCH:
            break
        if isinstance(item, BadRecord):
            continue
        start, _end, cells = item
        if len(cells) > MAX_COLUMNS:
            raise InvalidInputError(
                f"Line {start} of {path.name} has {len(cells):,} columns; a patient list has "
                f"at most {MAX_COLUMNS}. Is it the right file?"
            )
        if not any(cell.strip() for cell in cells):
            continue
        score = header_score(cells)
        if score >= 2:
            best = (score, start, cells)
            break
        if score == 1 and first:
            best = (score, start, cells)  # one known name on the very first line will do
        first = False
    if best is None:
        return 0, ()
    _score, line, cells = best
    return line, tuple(cell.strip() or f"Column {i + 1}" for i, cell in enumerate(cells))


def _scan(
    path: Path, codec: str, delimiter: str, header_line: int, width: int | None = None
) -> Iterator[tuple[str, int, list[str]] | BadRecord]:
    """("row", line, cells), ("skip", line, cells) or a BadRecord for every record."""
    header_key: tuple[str, ...] | None = None
    for item in _records(path, codec, delimiter, width):
        if isinstance(item, BadRecord):
            if not header_line or item.line > header_line:
                yield item
            continue
        start, _end, cells = item
        if header_line and start < header_line:
            yield ("skip", start, cells)
            continue
        if start == header_line:
            header_key = tuple(cell.strip().lower() for cell in cells)
            width = width or len(cells)
            continue
        joined = "\n".join(cells)  # checked as one string: a row is read once, cheaply
        if not joined.strip():
            yield ("skip", start, cells)
            continue
        first = next(cell.strip() for cell in cells if cell.strip())
        if (
            header_key is not None
            and first.lower() in header_key
            and tuple(c.strip().lower() for c in cells) == header_key
        ):
            yield ("skip", start, cells)  # the header again (lists pasted together)
            continue
        if _TOTALS.match(first) and sum(1 for cell in cells if cell.strip()) <= 2:
            yield ("skip", start, cells)
            continue
        problem = _problem(cells, joined, delimiter, width or len(cells))
        if problem:
            yield BadRecord(start, problem, " ".join(c.strip() for c in cells if c.strip())[:60])
            continue
        yield ("row", start, cells)


def _problem(cells: list[str], joined: str, delimiter: str, width: int) -> str | None:
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        return (
            f"Has {len(cells)} values but the header has {width} columns (a "
            f"{DELIMITER_NAMES.get(delimiter, delimiter)} inside a value that is not in quotes?)."
        )
    found = _CONTROL.search(joined)
    if found:
        return (
            f"Has an invisible control character (U+{ord(found.group()):04X}); "
            "retype that value in the spreadsheet."
        )
    return None
