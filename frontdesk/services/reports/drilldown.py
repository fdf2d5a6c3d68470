"""The rows behind a report figure ("which 12 introductions?"), for the Reports screen's
click-through. Same definitions as the figures themselves (report_queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from frontdesk.domain.clinic_time import when_text
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_money
from frontdesk.domain.report_periods import Month
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.reports.queries import ASK_KIND, EARNING, NOT_COUNTED
from frontdesk.store.models import LedgerEntry, OutboxMessage, Patient, Referral, Visit

MAX_ROWS = 1_000
FIGURES = {
    "introductions": "Introductions",
    "booked": "Booked",
    "attended": "New patients attended",
    "asks_sent": "Asks sent",
    "rewards_issued": "Rewards issued",
    "referred_revenue": "Referred patients' visits",
}


@dataclass(frozen=True)
class DrillDown:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: int  # rows in the figure; ``rows`` holds at most MAX_ROWS of them


class ReportRows:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def rows(self, month: str, figure: str) -> DrillDown:
        if figure not in FIGURES:
            raise InvalidInputError(f"The report has no figure called {figure!r}.")
        chosen = Month.parse(month)
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            zone = ZoneInfo(clinic.timezone)
            start, end = chosen.start(zone), chosen.end(zone)
            title = f"{FIGURES[figure]} · {chosen.label}"
            if figure in ("introductions", "booked", "attended"):
                column = {
                    "introductions": Referral.created_at,
                    "booked": Referral.booked_at,
                    "attended": Referral.attended_at,
                }[figure]
                return self._referrals(session, title, column, start, end, zone)
            if figure == "asks_sent":
                return self._asks(session, title, start, end, zone)
            if figure == "rewards_issued":
                return self._rewards(session, title, start, end, zone, clinic.currency)
            return self._visits(session, title, start, end, zone, clinic.currency)

    def _referrals(
        self,
        session: Session,
        title: str,
        column: object,
        start: datetime,
        end: datetime,
        zone: ZoneInfo,
    ) -> DrillDown:
        referrer, referee = aliased(Patient), aliased(Patient)
        where = and_(column >= start, column < end, Referral.status.not_in(NOT_COUNTED))  # type: ignore[operator]
        total = session.scalar(select(func.count()).select_from(Referral).where(where)) or 0
        query = (
            select(
                Referral,
                referrer.first_name,
                referrer.last_name,
                referee.first_name,
                referee.last_name,
            )
            .outerjoin(referrer, referrer.id == Referral.referrer_id)
            .outerjoin(referee, referee.id == Referral.referee_id)
            .where(where)
            .order_by(column, Referral.id)  # type: ignore[arg-type]
            .limit(MAX_ROWS)
        )
        rows = []
        for ref, r_first, r_last, n_first, n_last in session.execute(query):
            friend = _name(n_first, n_last) or ref.prospect_name or ref.professional_name or ""
            rows.append(
                (
                    _day(getattr(ref, column.key), zone),  # type: ignore[attr-defined]
                    _name(r_first, r_last) or ref.professional_name or "",
                    friend,
                    ref.status,
                    ref.code_used or "",
                )
            )
        return DrillDown(
            title, ("Date", "Referred by", "Friend", "Status", "Code"), tuple(rows), total
        )

    def _asks(
        self, session: Session, title: str, start: datetime, end: datetime, zone: ZoneInfo
    ) -> DrillDown:
        where = and_(
            OutboxMessage.kind == ASK_KIND,
            OutboxMessage.sent_at >= start,
            OutboxMessage.sent_at < end,
        )
        total = session.scalar(select(func.count()).select_from(OutboxMessage).where(where)) or 0
        query = (
            select(
                OutboxMessage.sent_at, Patient.first_name, Patient.last_name, OutboxMessage.status
            )
            .join(Patient, Patient.id == OutboxMessage.patient_id)
            .where(where)
            .order_by(OutboxMessage.sent_at, OutboxMessage.id)
            .limit(MAX_ROWS)
        )
        rows = tuple(
            (_day(at, zone), _name(first, last), status)
            for at, first, last, status in session.execute(query)
        )
        return DrillDown(title, ("Sent", "Patient", "Delivery"), rows, total)

    def _rewards(
        self,
        session: Session,
        title: str,
        start: datetime,
        end: datetime,
        zone: ZoneInfo,
        currency: str,
    ) -> DrillDown:
        where = and_(
            LedgerEntry.entry_type == "issued", LedgerEntry.at >= start, LedgerEntry.at < end
        )
        total = session.scalar(select(func.count()).select_from(LedgerEntry).where(where)) or 0
        query = (
            select(LedgerEntry.at, Patient.first_name, Patient.last_name, LedgerEntry.amount_minor)
            .join(Patient, Patient.id == LedgerEntry.patient_id)
            .where(where)
            .order_by(LedgerEntry.at, LedgerEntry.id)
            .limit(MAX_ROWS)
        )
        rows = tuple(
            (_day(at, zone), _name(first, last), format_money(amount, currency))
            for at, first, last, amount in session.execute(query)
        )
        return DrillDown(title, ("Issued", "Patient", "Value"), rows, total)

    def _visits(
        self,
        session: Session,
        title: str,
        start: datetime,
        end: datetime,
        zone: ZoneInfo,
        currency: str,
    ) -> DrillDown:
        join = and_(
            Visit.patient_id == Referral.referee_id,
            Visit.at >= Referral.attended_at,
            Visit.at >= start,
            Visit.at < end,
        )
        where = and_(Referral.status.in_(EARNING), Visit.status == "attended")
        total = (
            session.scalar(
                select(func.count()).select_from(Referral).join(Visit, join).where(where)
            )
            or 0
        )
        query = (
            select(
                Visit.at,
                Patient.first_name,
                Patient.last_name,
                Visit.visit_type,
                Visit.amount_minor,
            )
            .select_from(Referral)
            .join(Visit, join)
            .join(Patient, Patient.id == Visit.patient_id)
            .where(where)
            .order_by(Visit.at, Visit.id)
            .limit(MAX_ROWS)
        )
        rows = tuple(
            (
                _day(at, zone),
                _name(first, last),
                kind,
                format_money(amount, currency) if amount is not None else "",
            )
            for at, first, last, kind, amount in session.execute(query)
        )
        return DrillDown(title, ("Visit", "Patient", "Type", "Paid"), rows, total)


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def _day(at: datetime | None, zone: ZoneInfo) -> str:
    return when_text(at, zone)
