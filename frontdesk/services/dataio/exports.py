"""CSV exports for the owner: patients with codes (mail merge), referrals, the reward ledger.

Files are UTF-8 with a byte-order mark (so Excel shows accents right), every text cell is
quoted and defused against formula injection (``domain.csv_safety``), times are the
clinic's local time, and a file is written whole or not at all (temporary file, then an
atomic rename). Rows stream from the database, so 100,000 patients need little memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from frontdesk.domain.clinic_time import sheet_text
from frontdesk.domain.csv_safety import safe_cell
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import from_minor
from frontdesk.domain.referral_link import booking_link
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.atomic_file import replacing
from frontdesk.store.models import (
    LedgerEntry,
    Patient,
    Poster,
    Referral,
    ReferralCode,
    Reward,
    Staff,
)

STREAM_ROWS = 2_000


class ExportKind(StrEnum):
    PATIENTS = "patients"
    REFERRALS = "referrals"
    LEDGER = "ledger"


@dataclass(frozen=True)
class ExportResult:
    kind: str
    path: str
    rows: int


class ExportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def export(self, actor: Actor, kind: ExportKind | str, out: Path | str) -> ExportResult:
        actor.require_owner("export data")
        try:
            chosen = ExportKind(kind)
        except ValueError:
            raise InvalidInputError(
                f"Export patients, referrals or ledger, not {kind!r}."
            ) from None
        target = Path(out)
        if target.is_dir():
            raise InvalidInputError(f"{target} is a folder; give a file name ending in .csv.")
        if not target.parent.exists():
            raise InvalidInputError(f"There is no folder {target.parent} to save into.")
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            zone = ZoneInfo(clinic.timezone)
            header, rows = {
                ExportKind.PATIENTS: self._patients,
                ExportKind.REFERRALS: self._referrals,
                ExportKind.LEDGER: self._ledger,
            }[chosen](session, zone, clinic.currency, clinic.booking_url)
            count = _write_atomically(target, header, rows)
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            audit.record(
                session,
                actor,
                f"export.{chosen.value}",
                chosen.value,
                None,
                at=now,
                after={"file": str(target), "rows": count},
            )
        return ExportResult(kind=chosen.value, path=str(target), rows=count)

    # -- the three exports -------------------------------------------------------------------
    def _patients(
        self, session: Session, zone: ZoneInfo, currency: str, booking_url: str | None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        header = [
            "Patient ID",
            "First name",
            "Last name",
            "Code",
            "Personal link",
            "Mobile",
            "Email",
            "SMS consent",
            "Opted out",
            "Year of birth",
            "Address",
            "Postcode",
            "Payer type",
            "Added",
        ]
        query = (
            select(Patient, ReferralCode.code)
            .outerjoin(
                ReferralCode, and_(ReferralCode.patient_id == Patient.id, ReferralCode.active)
            )
            .where(Patient.erased_at.is_(None))
            .order_by(Patient.id)
        )

        def rows() -> Iterator[list[Any]]:
            for patient, code in _stream(session, query):
                yield [
                    patient.id,
                    patient.first_name,
                    patient.last_name,
                    code,
                    booking_link(booking_url, code),
                    patient.phone_e164,
                    patient.email,
                    patient.sms_consent and patient.opted_out_at is None,
                    patient.opted_out_at is not None,
                    patient.birth_year,
                    patient.address,
                    patient.postcode,
                    patient.payer_type,
                    _local(patient.created_at, zone),
                ]

        return header, rows()

    def _referrals(
        self, session: Session, zone: ZoneInfo, currency: str, booking_url: str | None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        header = [
            "Referral ID",
            "Status",
            "Introduced",
            "Booked",
            "First visit",
            "Referrer",
            "Referrer code",
            "New patient",
            "New patient code",
            "Friend named",
            "Professional",
            "Code used",
            "Channel",
            "Poster",
            "Notes",
        ]
        referrer, referee = aliased(Patient), aliased(Patient)
        referrer_code, referee_code = aliased(ReferralCode), aliased(ReferralCode)
        query = (
            select(
                Referral,
                referrer.first_name,
                referrer.last_name,
                referrer_code.code,
                referee.first_name,
                referee.last_name,
                referee_code.code,
                Poster.source_tag,
            )
            .outerjoin(referrer, referrer.id == Referral.referrer_id)
            .outerjoin(referee, referee.id == Referral.referee_id)
            .outerjoin(
                referrer_code,
                and_(referrer_code.patient_id == Referral.referrer_id, referrer_code.active),
            )
            .outerjoin(
                referee_code,
                and_(referee_code.patient_id == Referral.referee_id, referee_code.active),
            )
            .outerjoin(Poster, Poster.id == Referral.poster_id)
            .order_by(Referral.id)
        )

        def rows() -> Iterator[list[Any]]:
            for ref, r_first, r_last, r_code, n_first, n_last, n_code, poster in _stream(
                session, query
            ):
                notes = "; ".join(
                    text
                    for text in (ref.override_reason, ref.late_attach_reason)
                    if text and text.strip()
                )
                yield [
                    ref.id,
                    ref.status,
                    _local(ref.created_at, zone),
                    _local(ref.booked_at, zone),
                    _local(ref.attended_at, zone),
                    _name(r_first, r_last),
                    r_code,
                    _name(n_first, n_last),
                    n_code,
                    ref.prospect_name,
                    ref.professional_name,
                    ref.code_used,
                    ref.channel,
                    poster,
                    notes,
                ]

        return header, rows()

    def _ledger(
        self, session: Session, zone: ZoneInfo, currency: str, booking_url: str | None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        header = [
            "Entry ID",
            "Date",
            "Patient",
            "Patient code",
            "Entry",
            "Amount",
            "Currency",
            "Reward ID",
            "Reward for",
            "Reward kind",
            "Reward item",
            "Referral ID",
            "Staff",
            "Reason",
        ]
        query = (
            select(
                LedgerEntry,
                Patient.first_name,
                Patient.last_name,
                ReferralCode.code,
                Reward,
                Staff.name,
            )
            .join(Patient, Patient.id == LedgerEntry.patient_id)
            .join(Reward, Reward.id == LedgerEntry.reward_id)
            .outerjoin(
                ReferralCode, and_(ReferralCode.patient_id == Patient.id, ReferralCode.active)
            )
            .outerjoin(Staff, Staff.id == LedgerEntry.staff_id)
            .order_by(LedgerEntry.at, LedgerEntry.id)
        )
        roles = {"referrer": "referring a friend", "new_patient": "new patient", "bonus": "bonus"}

        def rows() -> Iterator[list[Any]]:
            for entry, first, last, code, reward, staff in _stream(session, query):
                yield [
                    entry.id,
                    _local(entry.at, zone),
                    _name(first, last),
                    code,
                    entry.entry_type,
                    from_minor(entry.amount_minor, reward.currency or currency),
                    reward.currency or currency,
                    reward.id,
                    roles.get(reward.role, reward.role),
                    reward.kind,
                    reward.item_name,
                    reward.referral_id,
                    staff,
                    entry.reason,
                ]

        return header, rows()


def _stream(session: Session, query: Any) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=STREAM_ROWS))


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def _local(at: datetime | None, zone: ZoneInfo) -> str:
    return sheet_text(at, zone)


def _write_atomically(target: Path, header: list[str], rows: Iterable[list[Any]]) -> int:
    """Write beside the target (a new ``O_EXCL`` file, never a planted symlink) and rename
    over it: a crash or a full disk never leaves a half-written export where the last good
    one was."""
    count = 0
    try:
        with replacing(target, encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(value) for value in row])
                count += 1
    except PermissionError:
        raise InvalidInputError(
            f"Frontdesk may not write {target}. Is it open in a spreadsheet?"
        ) from None
    return count
