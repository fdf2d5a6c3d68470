"""The report's SQL: a year of rows read as index ranges, months told apart without a sort.

Each per-month figure is one SELECT per month glued with UNION ALL: every arm is a range read
of a covering index feeding plain aggregates, so nothing is sorted (SQLite has no hash
aggregate: a GROUP BY on a computed month sorts every row of the year). Only the referred-
revenue join, which must not be repeated per month, groups on a month bucket.

Portable to SQLite and PostgreSQL as written (no date functions, no time-zone maths in
SQL): month edges are computed in Python in the clinic's time zone and bound as UTC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    and_,
    case,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from frontdesk.store.models import LedgerEntry, OutboxMessage, Referral, Visit

NOT_COUNTED = ("blocked", "rejected")  # self-referrals and referrals an owner ruled fraud
EARNING = ("attended", "rewarded")  # referrals whose friend's visits count as revenue
ASK_KIND = "referral_ask"


@dataclass
class MonthTotals:
    asks_sent: int = 0
    sms_messages: int = 0
    sms_priced_minor: int = 0
    sms_unpriced_segments: int = 0
    introductions: int = 0
    cohort_booked: int = 0
    cohort_attended: int = 0
    booked: int = 0
    attended: int = 0
    rewards_issued: int = 0
    rewards_issued_minor: int = 0
    rewards_redeemed_minor: int = 0
    ledger_net_minor: int = 0
    referred_revenue_minor: int = 0
    referred_visits: int = 0
    # visit type → (visits, first visits, revenue) of referred patients
    by_visit_type: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def bucket(column: Any, edges: Sequence[datetime]) -> ColumnElement[int]:
    """0 for the first month, 1 for the next…: the month each row falls in, found by halving
    the edges (four comparisons a row for thirteen months, not up to twelve)."""

    def months(first: int, last: int) -> ColumnElement[int]:
        if first == last:
            return literal_column(str(first))
        middle = (first + last + 1) // 2
        return case((column < edges[middle], months(first, middle - 1)), else_=months(middle, last))

    return months(0, len(edges) - 2)


def per_month(
    column: Any, edges: Sequence[datetime], *aggregates: Any, where: Sequence[Any] = ()
) -> CompoundSelect:
    """``aggregates`` for each month (rows with ``column`` in it), labelled ``b`` = 0, 1, …"""
    return union_all(
        *(
            select(literal_column(str(index)).label("b"), *aggregates).where(
                column >= start, column < end, *where
            )
            for index, (start, end) in enumerate(pairwise(edges))
        )
    )


def monthly_totals(session: Session, edges: Sequence[datetime]) -> list[MonthTotals]:
    months = [MonthTotals() for _ in range(len(edges) - 1)]
    _messages(session, edges, months)
    _introductions(session, edges, months)
    _stage(session, edges, months, Referral.booked_at, "booked")
    _stage(session, edges, months, Referral.attended_at, "attended")
    _ledger(session, edges, months)
    _revenue(session, edges, months)
    return months


def _messages(session: Session, edges: Sequence[datetime], months: list[MonthTotals]) -> None:
    query = per_month(
        OutboxMessage.sent_at,
        edges,
        func.count().label("sent"),
        func.sum(case((OutboxMessage.kind == ASK_KIND, 1), else_=0)).label("asks"),
        func.sum(func.abs(OutboxMessage.price_minor)).label("priced"),
        func.sum(
            case((OutboxMessage.price_minor.is_(None), OutboxMessage.segments), else_=0)
        ).label("unpriced"),
    )
    for row in session.execute(query):
        month = months[row.b]
        month.sms_messages = int(row.sent)
        month.asks_sent = int(row.asks or 0)
        month.sms_priced_minor = int(row.priced or 0)
        month.sms_unpriced_segments = int(row.unpriced or 0)


def _introductions(session: Session, edges: Sequence[datetime], months: list[MonthTotals]) -> None:
    query = per_month(
        Referral.created_at,
        edges,
        func.count().label("made"),
        func.count(Referral.booked_at).label("booked"),
        func.count(Referral.attended_at).label("attended"),
        where=[Referral.status.not_in(NOT_COUNTED)],
    )
    for row in session.execute(query):
        months[row.b].introductions = int(row.made)
        months[row.b].cohort_booked = int(row.booked)
        months[row.b].cohort_attended = int(row.attended)


def _stage(
    session: Session,
    edges: Sequence[datetime],
    months: list[MonthTotals],
    column: Any,
    name: str,
) -> None:
    query = per_month(
        column, edges, func.count().label("n"), where=[Referral.status.not_in(NOT_COUNTED)]
    )
    for row in session.execute(query):
        setattr(months[row.b], name, int(row.n))


def _ledger(session: Session, edges: Sequence[datetime], months: list[MonthTotals]) -> None:
    issued = LedgerEntry.entry_type == "issued"
    redeemed = LedgerEntry.entry_type == "redeemed"
    query = per_month(
        LedgerEntry.at,
        edges,
        func.sum(LedgerEntry.amount_minor).label("net"),
        func.sum(case((issued, 1), else_=0)).label("issued"),
        func.sum(case((issued, LedgerEntry.amount_minor), else_=0)).label("issued_minor"),
        func.sum(case((redeemed, LedgerEntry.amount_minor), else_=0)).label("redeemed_minor"),
    )
    for row in session.execute(query):
        month = months[row.b]
        month.ledger_net_minor = int(row.net or 0)
        month.rewards_issued = int(row.issued or 0)
        month.rewards_issued_minor = int(row.issued_minor or 0)
        month.rewards_redeemed_minor = -int(row.redeemed_minor or 0)


def opening_balance(session: Session, before: datetime) -> int:
    """Credit outstanding at ``before``: the ledger's running sum (issued +, the rest −)."""
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(LedgerEntry.at < before)
    )
    return int(total or 0)


def _revenue(session: Session, edges: Sequence[datetime], months: list[MonthTotals]) -> None:
    """What referred patients paid, by month and visit type: their first visit and every
    visit since. Driven from the referral side, so each referred patient is one seek on a
    covering (patient, time, status, amount, type) index."""
    b = bucket(Visit.at, edges).label("b")
    query = (
        select(
            b,
            Visit.visit_type,
            func.count().label("n"),
            func.coalesce(func.sum(Visit.amount_minor), 0).label("paid"),
            func.sum(case((Visit.id == Referral.first_visit_id, 1), else_=0)).label("firsts"),
        )
        .select_from(Referral)
        .join(
            Visit,
            and_(
                Visit.patient_id == Referral.referee_id,
                Visit.at >= Referral.attended_at,
                Visit.at >= edges[0],
                Visit.at < edges[-1],
            ),
        )
        .where(
            Referral.status.in_(EARNING),
            Referral.attended_at < edges[-1],
            Visit.status == "attended",
        )
        .group_by("b", Visit.visit_type)
    )
    for row in session.execute(query):
        month = months[row.b]
        month.referred_visits += int(row.n)
        month.referred_revenue_minor += int(row.paid)
        month.by_visit_type[row.visit_type] = (int(row.n), int(row.firsts or 0), int(row.paid))


def merged(first: MonthTotals, second: MonthTotals) -> MonthTotals:
    """Two parts of one month (split where last month is compared to the same day) as one."""
    total = MonthTotals()
    for name in MonthTotals.__dataclass_fields__:
        if name == "by_visit_type":
            continue
        setattr(total, name, getattr(first, name) + getattr(second, name))
    for part in (first, second):
        for kind, (visits, firsts, paid) in part.by_visit_type.items():
            v, f, p = total.by_visit_type.get(kind, (0, 0, 0))
            total.by_visit_type[kind] = (v + visits, f + firsts, p + paid)
    return total


def counts_by(
    session: Session, group: Any, condition: ColumnElement[bool], *extra: Any
) -> dict[Any, tuple[int, ...]]:
    """{group value: (count, *extra aggregates)} for referrals matching ``condition``."""
    query = select(group, func.count(), *extra).where(condition).group_by(group)
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in session.execute(query)}


def grouped(rows: Sequence[tuple[Any, ...]]) -> dict[Any, list[tuple[Any, ...]]]:
    out: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1:])
    return out
