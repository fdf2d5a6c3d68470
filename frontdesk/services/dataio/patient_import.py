"""CSV import of an existing patient list: map the columns, preview every bad row, then
write all of it in one transaction or nothing at all.

Fast enough for a 100,000-row list (tens of thousands of rows a second): rows are checked
with the bulk phone parser, duplicates against the database are looked up in chunks on
indexed columns, and new patients, their codes and consent records go in with the
driver's bulk path (``store.bulk``). Imported patients get the same search columns and
the same kind of personal code as patients added at the desk (``records.patients``).
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import FrontdeskError, InvalidInputError
from frontdesk.domain.import_fields import (
    FIELD_KEYS,
    Preset,
    auto_map,
    detect_preset,
    preset_for,
    validate_mapping,
)
from frontdesk.domain.import_rows import ParsedRow, RowParser, RowProblem
from frontdesk.domain.referral_code import ALPHABET, RANDOM_SYMBOLS, check_symbol, name_part
from frontdesk.services.dataio.csv_files import BadRecord, CsvTable, read_table
from frontdesk.services.dataio.import_dto import (
    ColumnInfo,
    DuplicateMatch,
    DuplicatePolicy,
    FileShape,
    ImportPreview,
    ImportResult,
    PreviewRow,
    RowIssue,
)
from frontdesk.services.dataio.import_memory import remember, remembered
from frontdesk.services.dataio.import_merge import (
    Existing,
    absorb,
    find_existing,
    merge_into,
    pick,
    same_name,
    same_person,
)
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.patients import (
    CODE_ATTEMPTS,
    NewPatient,
    search_columns,
    unique_code,
)
from frontdesk.store import bulk
from frontdesk.store.models import ConsentEvent, Patient, ReferralCode

BATCH = 5_000
SAMPLE_ROWS = 5
# stage ("checking" or "writing"), rows done, rows in the stage. Raise ImportCancelled to stop.
Progress = Callable[[str, int, int], None]
_NEW_FIELDS = tuple(f.name for f in fields(NewPatient))


class ImportCancelled(FrontdeskError):
    """The person stopped the import; the transaction is rolled back."""

    def __init__(self) -> None:
        super().__init__("Import cancelled. Nothing was imported.")


@dataclass
class _Plan:
    table: CsvTable
    mapping: tuple[str | None, ...]
    preset: Preset | None
    preset_detected: bool
    policy: DuplicatePolicy
    blank: int = 0
    new_rows: list[ParsedRow] = field(default_factory=list)
    merges: list[tuple[ParsedRow, Existing]] = field(default_factory=list)
    problems: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    duplicates: list[DuplicateMatch] = field(default_factory=list)
    merged_in_file: list[RowIssue] = field(default_factory=list)


class ImportService:
    def __init__(self, ctx: ServiceContext, rng: random.Random | None = None) -> None:
        self._ctx = ctx
        # Codes are printed on cards, not secrets: a fast generator seeded from the OS.
        self._rng = rng or random.Random(secrets.randbits(64))

    # -- the mapping step --------------------------------------------------------------------
    def inspect(
        self, path: Path | str, preset: str | None = None, encoding: str | None = None
    ) -> FileShape:
        """Encoding, separator, header, columns with sample values and the guessed mapping
        (the preset recognised from the header when none is chosen)."""
        table = read_table(Path(path), encoding)
        chosen, detected = _preset(table, preset)
        saved = self._remembered(table, preset)
        mapping = saved or auto_map(table.headers, chosen)
        return _shape(table, mapping, chosen, detected, remembered=saved is not None)

    # -- the preview step --------------------------------------------------------------------
    def preview(
        self,
        path: Path | str,
        *,
        preset: str | None = None,
        mapping: Sequence[str | None] | None = None,
        overrides: Mapping[str, str | None] | None = None,
        duplicates: DuplicatePolicy | str = DuplicatePolicy.REPORT,
        encoding: str | None = None,
        progress: Progress | None = None,
    ) -> ImportPreview:
        """Everything the import would do, and every row it would leave out and why."""
        plan_args = self._prepare(path, preset, mapping, overrides, duplicates, encoding)
        with self._ctx.db.read() as session:
            plan = self._plan(session, *plan_args, progress)
        return _preview(plan)

    # -- the import --------------------------------------------------------------------------
    def run(
        self,
        actor: Actor,
        path: Path | str,
        *,
        preset: str | None = None,
        mapping: Sequence[str | None] | None = None,
        overrides: Mapping[str, str | None] | None = None,
        duplicates: DuplicatePolicy | str = DuplicatePolicy.REPORT,
        encoding: str | None = None,
        skip_problems: bool = False,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import the list in one transaction: every good row, or — on any failure or a
        cancel — nothing. Rows with problems stop the import unless ``skip_problems``."""
        actor.require_owner("import a patient list")
        started = time.perf_counter()
        plan_args = self._prepare(path, preset, mapping, overrides, duplicates, encoding)
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            bulk.prepare_for_bulk(session)
            plan = self._plan(session, *plan_args, progress)
            if plan.problems and not skip_problems:
                first = plan.problems[0]
                raise InvalidInputError(
                    f"{len(plan.problems):,} row{'s' if len(plan.problems) != 1 else ''} "
                    f"{'have' if len(plan.problems) != 1 else 'has'} problems, so nothing was "
                    f"imported. First: line {first.line}: {first.reasons[0]} See them all in the "
                    "preview (import --dry-run), then fix them or skip them (--skip-bad)."
                )
            created = self._insert(session, actor, plan, now, progress)
            if plan.table.has_header:
                guess = auto_map(plan.table.headers, plan.preset)
                remember(session, plan.table.headers, plan.mapping, guess, now)
            for row, existing in plan.merges:
                merge_into(session, actor, existing, row, now)
            audit.record(
                session,
                actor,
                "patients.import",
                "patient",
                None,
                at=now,
                after={
                    "file": plan.table.file_name,
                    "rows": plan.table.row_count,
                    "merged_in_file": len(plan.merged_in_file),
                    "created": created,
                    "merged": len(plan.merges),
                    "skipped_problems": len(plan.problems),
                    "skipped_duplicates": len(plan.duplicates) - len(plan.merges),
                    "duplicates_policy": plan.policy.value,
                },
            )
        preview = _preview(plan)
        return ImportResult(
            created=created,
            merged=len(plan.merges),
            skipped_problems=len(plan.problems),
            skipped_duplicates=sum(1 for d in plan.duplicates if d.action != "merge"),
            seconds=time.perf_counter() - started,
            preview=preview,
        )

    def _remembered(self, table: CsvTable, preset: str | None) -> tuple[str | None, ...] | None:
        """The clinic's own mapping for this header, unless a preset was chosen by hand."""
        if not table.has_header or preset:
            return None
        with self._ctx.db.read() as session:
            return remembered(session, table.headers)

    # -- planning ----------------------------------------------------------------------------
    def _prepare(
        self,
        path: Path | str,
        preset: str | None,
        mapping: Sequence[str | None] | None,
        overrides: Mapping[str, str | None] | None,
        duplicates: DuplicatePolicy | str,
        encoding: str | None,
    ) -> tuple[CsvTable, tuple[str | None, ...], Preset | None, bool, DuplicatePolicy]:
        try:
            policy = DuplicatePolicy(duplicates)
        except ValueError:
            raise InvalidInputError(
                f"Duplicates are either merged or reported, not {duplicates!r}."
            ) from None
        table = read_table(Path(path), encoding)
        chosen, detected = _preset(table, preset)
        if mapping is None:
            mapping = self._remembered(table, preset) or auto_map(table.headers, chosen)
        fields_ = list(mapping)
        for column, target in (overrides or {}).items():
            fields_[_column_index(table.headers, column)] = _field_name(target)
        validate_mapping(table.headers, fields_)
        return table, tuple(fields_), chosen, detected, policy

    def _plan(
        self,
        session: Session,
        table: CsvTable,
        mapping: tuple[str | None, ...],
        preset: Preset | None,
        detected: bool,
        policy: DuplicatePolicy,
        progress: Progress | None,
    ) -> _Plan:
        clinic = clinic_row(session)
        this_year = self._ctx.clock.now().astimezone(ZoneInfo(clinic.timezone)).year
        parser = RowParser(mapping, clinic.country, this_year, len(table.headers), table.headers)
        plan = _Plan(table, mapping, preset, detected, policy)
        by_phone: dict[str, ParsedRow] = {}
        by_email: dict[str, ParsedRow] = {}
        good: list[ParsedRow] = []
        total = table.row_count
        for done, record in enumerate(table.records(), start=1):
            if progress is not None and done % BATCH == 0:
                progress("checking", done, total)
            if isinstance(record, BadRecord):
                plan.problems.append(RowIssue(record.line, record.text, (record.reason,)))
                continue
            parsed = parser.parse(record[1], record[0])
            if parsed is None:
                plan.blank += 1
                continue
            if isinstance(parsed, RowProblem):
                plan.problems.append(RowIssue(parsed.line, parsed.name, parsed.reasons))
                continue
            if _merged_with_earlier(plan, parsed, by_phone, by_email):
                continue
            _index(parsed, by_phone, by_email)
            if parsed.warnings:
                plan.warnings.append(RowIssue(parsed.line, parsed.name, parsed.warnings))
            good.append(parsed)
        if progress is not None:
            progress("checking", total, total)
        self._sort_duplicates(session, plan, good, by_phone, by_email)
        return plan

    def _sort_duplicates(
        self,
        session: Session,
        plan: _Plan,
        good: list[ParsedRow],
        by_phone: dict[str, ParsedRow],
        by_email: dict[str, ParsedRow],
    ) -> None:
        """New patients go to ``new_rows``; people already on file are merged or listed."""
        on_file_phone, on_file_email = find_existing(session, list(by_phone), list(by_email))
        for row in good:
            match_phone = pick(on_file_phone.get(row.phone_e164 or ""), row)
            match_email = pick(on_file_email.get(row.email_norm or ""), row)
            if match_phone is None and match_email is None:
                plan.new_rows.append(row)
                continue
            existing = match_phone or match_email
            assert existing is not None
            matched_on = " and ".join(
                label
                for label, hit in (("phone", match_phone), ("email", match_email))
                if hit is not None
            )
            action, detail = _decide(plan.policy, row, existing, match_phone, match_email)
            plan.duplicates.append(
                DuplicateMatch(
                    line=row.line,
                    name=row.name,
                    existing_id=existing.id,
                    existing_name=existing.name,
                    existing_code=existing.code,
                    matched_on=matched_on,
                    action=action,
                    detail=detail.replace("{on}", matched_on),
                )
            )
            if action == "merge":
                plan.merges.append((row, existing))

    # -- writing -----------------------------------------------------------------------------
    def _insert(
        self,
        session: Session,
        actor: Actor,
        plan: _Plan,
        now: datetime,
        progress: Progress | None,
    ) -> int:
        rows = plan.new_rows
        if not rows:
            return 0
        ids = bulk.reserve_ids(session, Patient.__table__, len(rows))
        codes = self._codes(session, [row.first_name for row in rows])
        origin = f"Imported from {plan.table.file_name}"[:200]
        names = _NameColumns()
        total = len(rows)
        with bulk.indexes_rebuilt(session, Patient.__table__, total):
            for start in range(0, total, BATCH):
                chunk = range(start, min(start + BATCH, total))
                bulk.insert_rows(
                    session,
                    Patient.__table__,
                    PATIENT_COLUMNS,
                    [_patient_values(rows[i], ids[i], origin, now, names) for i in chunk],
                )
                bulk.insert_rows(
                    session,
                    ReferralCode.__table__,
                    ("patient_id", "code", "code_suffix", "active", "created_at"),
                    [(ids[i], codes[i], codes[i][-4:], True, now) for i in chunk],
                )
                bulk.insert_rows(
                    session,
                    ConsentEvent.__table__,
                    ("patient_id", "kind", "channel", "at", "staff_id"),
                    [
                        (ids[i], _consent_kind(rows[i]), "import", now, actor.staff_id)
                        for i in chunk
                        if rows[i].sms_consent or rows[i].opted_out
                    ],
                )
                if progress is not None:
                    progress("writing", chunk.stop, total)
        return total

    def _codes(self, session: Session, first_names: list[str]) -> list[str]:
        """A fresh code per patient, checked against every code ever given (retired too)."""
        taken: set[str] = set()
        codes = self._fresh_codes(first_names, taken)
        pending = list(range(len(codes)))
        while pending:
            clashes: set[str] = set()
            wanted = [codes[i] for i in pending]
            for condition in bulk.in_chunks(session, ReferralCode.code, wanted):
                clashes.update(session.scalars(select(ReferralCode.code).where(condition)))
            pending = [i for i in pending if codes[i] in clashes]
            for i in pending:
                codes[i] = unique_code(None, first_names[i], self._rng, taken)
        return codes

    def _fresh_codes(self, first_names: list[str], taken: set[str]) -> list[str]:
        """``generate_code`` for each name, unique within the list. The name part is worked
        out once per distinct first name (it transliterates, so it is the costly bit)."""
        parts: dict[str, str] = {}
        rng = self._rng
        codes = []
        for first in first_names:
            part = parts.get(first)
            if part is None:
                part = parts[first] = name_part(first)
            for _ in range(CODE_ATTEMPTS):
                random_part = "".join(rng.choices(ALPHABET, k=RANDOM_SYMBOLS))
                code = f"{part}-{random_part}{check_symbol(part, random_part)}"
                if code not in taken:
                    break
            else:
                code = unique_code(None, first, rng, taken)  # says the space is exhausted
            taken.add(code)
            codes.append(code)
        return codes


class _NameColumns:
    """``search_columns`` remembered per name: a list has far fewer names than rows."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], tuple[Any, ...]] = {}

    def __call__(self, first: str, last: str) -> tuple[Any, ...]:
        found = self._known.get((first, last))
        if found is None:
            columns = search_columns(first, last, None)
            found = (
                columns["name_norm"],
                columns["last_norm"],
                columns["first_key"],
                columns["last_key"],
            )
            self._known[(first, last)] = found
        return found


# Every field of a desk-made patient (``NewPatient``), the key, the search columns and the
# import's own stamps. Tests check this covers NewPatient and matches ``build_patient``.
PATIENT_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "phone_e164",
    "email",
    "email_norm",
    "sms_consent",
    "birth_year",
    "address",
    "postcode",
    "payer_type",
    "source_kind",
    "source_detail",
    "name_norm",
    "last_norm",
    "first_key",
    "last_key",
    "phone_rev",
    "phone_invalid",
    "opted_out_at",
    "created_at",
)


def _patient_values(
    row: ParsedRow, pid: int, origin: str, now: datetime, names: _NameColumns
) -> tuple[Any, ...]:
    name_norm, last_norm, first_key, last_key = names(row.first_name, row.last_name)
    phone = row.phone_e164
    return (
        pid,
        row.first_name,
        row.last_name,
        phone,
        row.email,
        row.email_norm,
        row.sms_consent,
        row.birth_year,
        row.address,
        row.postcode,
        row.payer_type,
        "import",
        (row.source or origin)[:200],
        name_norm,
        last_norm,
        first_key,
        last_key,
        phone[:0:-1] if phone else None,  # digits_reversed of an E.164 number, cheaply
        False,
        now if row.opted_out else None,
        now,
    )


def _decide(
    policy: DuplicatePolicy,
    row: ParsedRow,
    existing: Existing,
    match_phone: Existing | None,
    match_email: Existing | None,
) -> tuple[str, str]:
    """(action, detail) for a row already on file; ``{on}`` in the detail is what matched."""
    if match_phone and match_email and match_phone.id != match_email.id:
        return (
            "conflict",
            f"Phone is {match_phone.name}'s and email is {match_email.name}'s; "
            "not imported — check it by hand.",
        )
    if policy is DuplicatePolicy.REPORT:
        return "skip", "Already on file (same {on}); left as it is."
    if not same_person(existing, row):
        return (
            "conflict",
            f"Same {{on}} as {existing.name}, but a different name: not merged "
            "(a family sharing a phone or email?).",
        )
    filled = existing.fillable(row)
    if not filled:
        return "unchanged", "Already on file; nothing missing to fill in."
    return "merge", "Fills in " + ", ".join(filled) + "."


def _merged_with_earlier(
    plan: _Plan,
    row: ParsedRow,
    by_phone: dict[str, ParsedRow],
    by_email: dict[str, ParsedRow],
) -> bool:
    """True when an earlier row of the file is the same person (same name and the same
    phone or email): its gaps are filled from this row, which is listed as merged. A
    different name sharing a phone or email (a family landline) keeps its row; the shared
    detail stays with the first and this row is flagged for the desk to check."""
    for key, index, label in (
        (row.phone_e164, by_phone, "phone"),
        (row.email_norm, by_email, "email"),
    ):
        earlier = index.get(key) if key else None
        if earlier is not None and same_name(earlier, row):
            filled = absorb(earlier, row)
            _index(earlier, by_phone, by_email)
            detail = f"; adds {', '.join(filled)}" if filled else ""
            if row.warnings:
                plan.warnings.append(RowIssue(row.line, row.name, row.warnings))
            plan.merged_in_file.append(
                RowIssue(
                    row.line,
                    row.name,
                    (f"Same person as line {earlier.line} (same {label}): merged{detail}.",),
                )
            )
            return True
    flagged = list(row.warnings)
    earlier = by_phone.get(row.phone_e164) if row.phone_e164 else None
    if earlier is not None:
        flagged.append(
            f"Same phone as line {earlier.line} ({earlier.name}): a family number? The phone "
            f"stays with {earlier.name}; this patient was imported without it — check at the "
            "desk."
        )
        row.phone_e164 = None
    earlier = by_email.get(row.email_norm) if row.email_norm else None
    if earlier is not None:
        flagged.append(
            f"Same email as line {earlier.line} ({earlier.name}): the email stays with "
            f"{earlier.name}; this patient was imported without it — check at the desk."
        )
        row.email = row.email_norm = None
    row.warnings = tuple(flagged)
    return False


def _index(row: ParsedRow, by_phone: dict[str, ParsedRow], by_email: dict[str, ParsedRow]) -> None:
    if row.phone_e164:
        by_phone.setdefault(row.phone_e164, row)
    if row.email_norm:
        by_email.setdefault(row.email_norm, row)


def _preset(table: CsvTable, key: str | None) -> tuple[Preset | None, bool]:
    """(the preset, whether it was recognised from the header rather than chosen)."""
    chosen = preset_for(key)
    if chosen is not None:
        return chosen, False
    found = detect_preset(table.headers) if table.has_header else None
    return found, found is not None


def _consent_kind(row: ParsedRow) -> str:
    return "opted_out" if row.opted_out else "granted"


def _column_index(headers: Sequence[str], column: str) -> int:
    """A column by its header (any case) or its number ('3' or '#3', counting from 1)."""
    text = column.strip().lstrip("#")
    if text.isdigit() and 1 <= int(text) <= len(headers):
        return int(text) - 1
    for index, header in enumerate(headers):
        if header.strip().lower() == column.strip().lower():
            return index
    raise InvalidInputError(
        f"The file has no column {column!r}. Columns: {', '.join(repr(h) for h in headers)}."
    )


def _field_name(target: str | None) -> str | None:
    if target is None or target.strip().lower() in {"", "ignore", "none", "-"}:
        return None
    name = target.strip().lower().replace(" ", "_").replace("-", "_")
    if name not in FIELD_KEYS:
        raise InvalidInputError(
            f"{target!r} is not a patient field. Fields: {', '.join(sorted(FIELD_KEYS))}, "
            "or 'ignore'."
        )
    return name


def _shape(
    table: CsvTable,
    mapping: Sequence[str | None],
    preset: Preset | None,
    detected: bool,
    *,
    remembered: bool = False,
) -> FileShape:
    columns = []
    for index, header in enumerate(table.headers):
        samples: list[str] = []
        for _line, cells in table.samples:
            if index < len(cells) and cells[index].strip() and len(samples) < 3:
                samples.append(cells[index].strip()[:40])
        columns.append(ColumnInfo(index, header, mapping[index], tuple(samples)))
    return FileShape(
        file_name=table.file_name,
        encoding=table.encoding_label,
        delimiter=table.delimiter_name,
        has_header=table.has_header,
        rows=table.row_count,
        columns=tuple(columns),
        preset=preset.key if preset else None,
        encoding_key=table.encoding,
        encoding_detected=table.encoding_detected,
        header_line=table.header_line,
        skipped_rows=table.skipped,
        preset_label=preset.label if preset else None,
        preset_detected=detected,
        mapping_remembered=remembered,
    )


def _preview(plan: _Plan) -> ImportPreview:
    return ImportPreview(
        shape=_shape(plan.table, plan.mapping, plan.preset, plan.preset_detected),
        mapping=plan.mapping,
        duplicates_policy=plan.policy.value,
        data_rows=plan.table.row_count,
        blank_rows=plan.blank + plan.table.skipped,  # blank, title, total, header again
        new_patients=len(plan.new_rows),
        merges=len(plan.merges),
        problems=tuple(plan.problems),
        warnings=tuple(plan.warnings),
        duplicates=tuple(plan.duplicates),
        sample=tuple(
            PreviewRow(r.line, r.name, r.phone_e164, r.email, r.birth_year, r.sms_consent)
            for r in plan.new_rows[:SAMPLE_ROWS]
        ),
        merged_in_file=tuple(plan.merged_in_file),
    )
