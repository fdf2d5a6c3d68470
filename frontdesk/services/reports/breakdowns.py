"""Who and what brought the month's referrals: top referrers, visit types, ask wordings
and posters. Each is a handful of grouped queries over one month's rows."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from frontdesk.services.reports.dto import BreakdownRow, TopReferrer
from frontdesk.services.reports.queries import ASK_KIND, NOT_COUNTED
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
ID_CHUNK = 900  # ids bound per IN list: under every SQLite build's variable limit


def _month(column: object, start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return and_(column >= start, column < end)  # type: ignore[operator]


def top_referrers(session: Session, start: datetime, end: datetime) -> tuple[TopReferrer, ...]:
    counted = Referral.status.not_in(NOT_COUNTED)
    # Ranked in SQL: a busy month has tens of thousands of referrers, and only ten are shown.
    events = union_all(
        *(
            select(
                Referral.referrer_id.label("pid"),
                literal_column(made).label("made"),
                literal_column(came).label("came"),
            ).where(_month(column, start, end), counted, Referral.referrer_id.is_not(None))
            for column, made, came in (
                (Referral.created_at, "1", "0"),
                (Referral.attended_at, "0", "1"),
            )
        )
    ).subquery()
    made_n, came_n = func.sum(events.c.made), func.sum(events.c.came)
    ranking = session.execute(
        select(events.c.pid, made_n, came_n)
        .group_by(events.c.pid)
        .order_by(came_n.desc(), made_n.desc(), events.c.pid)
        .limit(TOP_REFERRERS)
    ).all()
    top = [int(pid) for pid, _, _ in ranking]
    made = {int(pid): int(n) for pid, n, _ in ranking}
    came = {int(pid): int(n) for pid, _, n in ranking}
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
    tally: dict[str, list[int]] = {key: [0, 0, 0] for key in asks}
    _attribute(session, start, end, name, tally)
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


def _attribute(
    session: Session, start: datetime, end: datetime, name: Any, tally: dict[str, list[int]]
) -> None:
    """Add the month's referrals to ``tally`` (wording → made, booked, attended) under the
    last ask their referrer got in the 60 days before; the rest go under NO_ASK."""
    counted = (_month(Referral.created_at, start, end), Referral.status.not_in(NOT_COUNTED))
    window = (
        OutboxMessage.kind == ASK_KIND,
        OutboxMessage.sent_at >= start - ASK_ATTRIBUTION,
        OutboxMessage.sent_at < end,
    )
    # Asks in the attribution window to this month's referrers only: most of the month's
    # referrers got no ask, and their referrals are counted in SQL, not fetched (below).
    sent: dict[int, list[tuple[datetime, str]]] = {}
    for pid, at, template in session.execute(
        select(OutboxMessage.patient_id, OutboxMessage.sent_at, name)
        .outerjoin(MessageTemplate, MessageTemplate.id == OutboxMessage.template_id)
        .where(*window, OutboxMessage.patient_id.in_(select(Referral.referrer_id).where(*counted)))
    ):
        sent.setdefault(pid, []).append((at, template))
    histories = {pid: sorted(items) for pid, items in sent.items()}
    times = {pid: [at for at, _ in items] for pid, items in histories.items()}
    unattributed = list(
        session.execute(
            select(
                func.count(), func.count(Referral.booked_at), func.count(Referral.attended_at)
            ).where(*counted)
        ).one()
    )
    asked = sorted(histories)
    detail = select(
        Referral.referrer_id,
        Referral.created_at,
        Referral.booked_at.is_not(None),
        Referral.attended_at.is_not(None),
    ).where(*counted)
    referrals = [
        row
        for chunk in range(0, len(asked), ID_CHUNK)
        for row in session.execute(
            detail.where(Referral.referrer_id.in_(asked[chunk : chunk + ID_CHUNK]))
        )
    ]
    for referrer_id, created_at, booked, attended in referrals:
        index = bisect_right(times.get(referrer_id, []), created_at)
        if not index:
            continue
        last_at, key = histories[referrer_id][index - 1]
        if created_at - last_at > ASK_ATTRIBUTION:
            continue
        counts = tally.setdefault(key, [0, 0, 0])
        for i, flag in enumerate((True, booked, attended)):
            counts[i] += bool(flag)
            unattributed[i] -= bool(flag)
    if unattributed[0]:
        tally[NO_ASK] = unattributed


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
