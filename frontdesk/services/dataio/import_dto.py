"""What the CSV import shows before it writes (the preview) and what it did (the result)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DuplicatePolicy(StrEnum):
    """What to do with a row whose phone or email is already on file."""

    REPORT = "report"  # leave the patient on file as is; list the row
    MERGE = "merge"  # fill in what the patient on file is missing (names must agree)


@dataclass(frozen=True)
class ColumnInfo:
    index: int
    header: str
    field: str | None  # the patient field it fills; None: ignored
    samples: tuple[str, ...]  # a few values, so a person can tell what the column holds


@dataclass(frozen=True)
class FileShape:
    file_name: str
    encoding: str  # in words: "UTF-8 (with BOM)", "Windows-1250 (Central Europe)"
    delimiter: str  # in words: comma, semicolon, tab, pipe
    has_header: bool
    rows: int
    columns: tuple[ColumnInfo, ...]
    preset: str | None
    encoding_key: str = "utf-8"  # what --encoding takes to read it this way again
    encoding_detected: bool = True  # False: the person chose it
    header_line: int = 1
    skipped_rows: int = 0  # title lines, blank lines, repeated headers, totals
    preset_label: str | None = None  # "Google Contacts"
    preset_detected: bool = False  # True: recognised from the header, not chosen
    mapping_remembered: bool = False  # the clinic's own mapping for this header, from last time

    @property
    def looks_like(self) -> str | None:
        """'Looks like a Google Contacts export.' when the header gave it away."""
        if self.preset_label is None or not self.preset_detected:
            return None
        article = "an" if self.preset_label[:1].lower() in "aeiou" else "a"
        return f"Looks like {article} {self.preset_label} export."


@dataclass(frozen=True)
class RowIssue:
    line: int
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateMatch:
    line: int
    name: str
    existing_id: int
    existing_name: str
    existing_code: str | None
    matched_on: str  # phone, email, phone and email
    action: str  # skip, merge, unchanged, conflict
    detail: str  # in words: "fills in email, year of birth", "different name: not merged"


@dataclass(frozen=True)
class PreviewRow:
    line: int
    name: str
    phone: str | None
    email: str | None
    birth_year: int | None
    sms_consent: bool


@dataclass(frozen=True)
class ImportPreview:
    shape: FileShape
    mapping: tuple[str | None, ...]
    duplicates_policy: str
    data_rows: int
    blank_rows: int
    new_patients: int
    merges: int
    problems: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]
    duplicates: tuple[DuplicateMatch, ...]
    sample: tuple[PreviewRow, ...]
    # The same person twice in the file, merged into one patient (one entry per later row).
    merged_in_file: tuple[RowIssue, ...] = ()

    @property
    def can_import(self) -> bool:
        return self.new_patients + self.merges > 0


@dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int
    skipped_problems: int
    skipped_duplicates: int
    seconds: float
    preview: ImportPreview

    @property
    def rows_per_second(self) -> float:
        return self.preview.data_rows / self.seconds if self.seconds > 0 else 0.0
