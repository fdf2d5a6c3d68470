"""Who and what brought the month's referrals: top referrers, visit types, ask wordings
and posters. Each is a handful of grouped queries over one month's rows."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from frontdesk.services.report_dto import BreakdownRow, TopReferrer
from frontdesk.services.report_queries import ASK_KIND, NOT_COUNTED
from frontdesk.store.models import (
    LedgerEntry,
    MessageTemplate,
    OutboxMessage,
    Patient,
    Poster,
    Referral,
    ReferralCode,
    Reward,
)

TOP_REFERRERS = 10
ASK_ATTRIBUTION = timedelta(days=60)  # an introduction counts for the ask sent before it
NO_ASK = "No text sent (word of mouth)"
STANDARD_ASK = "Standard ask"


def _month(column: object, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return and_(column >= start, column < end)  # type: ignore[operator]


def top_referrers(session: Session, start: datetime, end: datetime) -> tuple[TopReferrer, ...]:
    counted = Referral.status.not_in(NOT_COUNTED)
    made = dict(
        session.execute(
            select(Referral.referrer_id, func.count())
            .where(
                _month(Referral.created_at, start, end), counted, Referral.referrer_id.is_not(None)
            )
            .group_by(Referral.referrer_id)
        ).all()
    )
    came = dict(
        session.execute(
            select(Referral.referrer_id, func.count())
            .where(
                _month(Referral.attended_at, start, end), counted, Referral.referrer_id.is_not(None)
            )
            .group_by(Referral.referrer_id)
        ).all()
    )
    ranked = sorted(
        set(made) | set(came), key=lambda pid: (-came.get(pid, 0), -made.get(pid, 0), pid)
    )
    top = ranked[:TOP_REFERRERS]
    if not top:
        return ()
    people = {
        row.id: row
        for row in session.execute(
            select(Patient.id, Patient.first_name, Patient.last_name, ReferralCode.code)
            .outerjoin(
                ReferralCode, and_(ReferralCode.patient_id == Patient.id, ReferralCode.active)
            )
            .where(Patient.id.in_(top))
        )
    }
    lifetime = dict(
        session.execute(
            select(Referral.referrer_id, func.count())
            .where(Referral.referrer_id.in_(top), Referral.attended_at.is_not(None), counted)
            .group_by(Referral.referrer_id)
        ).all()
    )
    earned = dict(
        session.execute(
            select(LedgerEntry.patient_id, func.sum(LedgerEntry.amount_minor))
            .join(Reward, Reward.id == LedgerEntry.reward_id)
            .where(
                LedgerEntry.patient_id.in_(top),
                LedgerEntry.entry_type == "issued",
                Reward.role.in_(("referrer", "bonus")),
                _month(LedgerEntry.at, start, end),
            )
            .group_by(LedgerEntry.patient_id)
        ).all()
    )
    rows = []
    for pid in top:
        person = people.get(pid)
        name = f"{person.first_name} {person.last_name}".strip() if person else f"Patient {pid}"
        rows.append(
            TopReferrer(
                patient_id=pid,
                name=name,
                code=person.code if person else None,
                introductions=made.get(pid, 0),
                attended=came.get(pid, 0),
                rewards_minor=int(earned.get(pid) or 0),
                lifetime_attended=lifetime.get(pid, 0),
            )
        )
    return tuple(rows)


def by_visit_type(totals: dict[str, tuple[int, int, int]]) -> tuple[BreakdownRow, ...]:
    """Referred patients' visits in the month by type (from the revenue query)."""
    rows = [
        BreakdownRow(
            key=kind,
            asks=None,
            introductions=None,
            booked=None,
            attended=firsts,
            visits=visits,
            revenue_minor=paid,
        )
        for kind, (visits, firsts, paid) in totals.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-(r.revenue_minor or 0), r.key)))


def by_template(session: Session, start: datetime, end: datetime) -> tuple[BreakdownRow, ...]:
    """Asks sent in the month by wording, and the introductions each wording brought: a
    referral counts for the last ask its referrer got in the 60 days before it."""
    name = func.coalesce(MessageTemplate.name, STANDARD_ASK)
    asks = dict(
        session.execute(
            select(name, func.count())
            .select_from(OutboxMessage)
            .outerjoin(MessageTemplate, MessageTemplate.id == OutboxMessage.template_id)
            .where(OutboxMessage.kind == ASK_KIND, _month(OutboxMessage.sent_at, start, end))
            .group_by(name)
        ).all()
    )
    referrals = session.execute(
        select(
            Referral.referrer_id, Referral.created_at, Referral.booked_at, Referral.attended_at
        ).where(_month(Referral.created_at, start, end), Referral.status.not_in(NOT_COUNTED))
    ).all()
    referrers = {r.referrer_id for r in referrals if r.referrer_id is not None}
    sent: dict[int, list[tuple[datetime, str]]] = {}
    # One range scan of the covering sent_at index beats looking referrers up in chunks.
    for pid, at, template in session.execute(
        select(OutboxMessage.patient_id, OutboxMessage.sent_at, name)
        .outerjoin(MessageTemplate, MessageTemplate.id == OutboxMessage.template_id)
        .where(
            OutboxMessage.kind == ASK_KIND,
            OutboxMessage.sent_at >= start - ASK_ATTRIBUTION,
            OutboxMessage.sent_at < end,
        )
    ):
        if pid in referrers:
            sent.setdefault(pid, []).append((at, template))
    tally: dict[str, list[int]] = {key: [0, 0, 0] for key in asks}
    for ref in referrals:
        history = sorted(sent.get(ref.referrer_id, []))
        index = bisect_right([at for at, _ in history], ref.created_at)
        key = NO_ASK
        if index and ref.created_at - history[index - 1][0] <= ASK_ATTRIBUTION:
            key = history[index - 1][1]
        counts = tally.setdefault(key, [0, 0, 0])
        counts[0] += 1
        counts[1] += ref.booked_at is not None
        counts[2] += ref.attended_at is not None
    rows = [
        BreakdownRow(
            key=key,
            asks=asks.get(key, 0) if key != NO_ASK else None,
            introductions=made,
            booked=booked,
            attended=attended,
            visits=None,
            revenue_minor=None,
        )
        for key, (made, booked, attended) in tally.items()
    ]
    return tuple(sorted(rows, key=lambda r: (r.key == NO_ASK, -(r.introductions or 0), r.key)))


def by_poster(session: Session, start: datetime, end: datetime) -> tuple[BreakdownRow, ...]:
    """Every poster, with the introductions its QR code brought in the month."""
    counts = {
        row[0]: row[1:]
        for row in session.execute(
            select(
                Referral.poster_id,
                func.count(),
                func.count(Referral.booked_at),
                func.count(Referral.attended_at),
            )
            .where(
                _month(Referral.created_at, start, end),
                Referral.status.not_in(NOT_COUNTED),
                Referral.poster_id.is_not(None),
            )
            .group_by(Referral.poster_id)
        )
    }
    rows = []
    for poster_id, tag, label in session.execute(
        select(Poster.id, Poster.source_tag, Poster.name).where(Poster.created_at < end)
    ):
        made, booked, attended = counts.get(poster_id, (0, 0, 0))
        rows.append(
            BreakdownRow(
                key=f"{label} ({tag})" if label and label != tag else tag,
                asks=None,
                introductions=int(made),
                booked=int(booked),
                attended=int(attended),
                visits=None,
                revenue_minor=None,
            )
        )
    return tuple(sorted(rows, key=lambda r: (-(r.introductions or 0), r.key)))
