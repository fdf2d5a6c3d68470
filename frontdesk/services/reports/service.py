"""The monthly report: this month against last, a 12-month funnel, who and what brought
referrals, and what the program returned for what it cost (definitions in reports.dto)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from frontdesk.domain.money import decimals
from frontdesk.domain.report_periods import Month, month_edges, rate
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.reports.breakdowns import (
    by_poster,
    by_template,
    by_visit_type,
    top_referrers,
)
from frontdesk.services.reports.dto import MonthFigures, MonthlyReport
from frontdesk.services.reports.queries import MonthTotals, merged, monthly_totals, opening_balance

TREND_MONTHS = 12


class ReportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def current_month(self) -> str:
        with self._ctx.db.read() as session:
            zone = ZoneInfo(clinic_row(session).timezone)
        return str(Month.containing(self._ctx.clock.now(), zone))

    def monthly(self, month: str | None = None) -> MonthlyReport:
        """The report for ``month`` (YYYY-MM; default: this month, to date)."""
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            zone = ZoneInfo(clinic.timezone)
            chosen = Month.parse(month) if month else Month.containing(now, zone)
            edges = month_edges(chosen, TREND_MONTHS, zone)
            start, end = edges[-2], edges[-1]
            is_partial = start <= now < end
            previous = chosen.shifted(-1)
            # While the month runs, last month is compared up to the same point: one more
            # edge splits last month in two, so the comparison costs no extra pass.
            cut = min(edges[-3] + (now - start), start)
            split = is_partial and edges[-3] < cut < start
            bounds = [*edges[:-2], cut, *edges[-2:]] if split else edges
            parts = monthly_totals(session, bounds)
            opening = opening_balance(session, edges[0])
            totals = parts
            comparison_part = None
            if split:
                comparison_part = parts[-3]
                totals = [*parts[:-3], merged(parts[-3], parts[-2]), parts[-1]]
            per_segment = self._segment_price(session, clinic.currency)
            trend = _trend(chosen, totals, opening, per_segment)
            comparison, comparison_label = trend[-2], _short(previous)
            if comparison_part is not None:
                cut_balance = opening + sum(p.ledger_net_minor for p in parts[:-2])
                comparison = _figures(previous, comparison_part, cut_balance, per_segment)
                last_day = (cut - timedelta(microseconds=1)).astimezone(zone).day
                comparison_label = f"1–{last_day} {_short(previous)}"
            revenue = sum(f.referred_revenue_minor for f in trend)
            cost = sum(f.rewards_redeemed_minor + f.sms_cost_minor for f in trend)
            report = MonthlyReport(
                clinic_name=clinic.name,
                currency=clinic.currency,
                timezone=clinic.timezone,
                month=str(chosen),
                label=chosen.label,
                generated_at=now,
                period_start=start,
                period_end=end,
                is_partial=is_partial,
                this=trend[-1],
                last=trend[-2],
                comparison=comparison,
                comparison_label=comparison_label,
                trend=tuple(trend),
                top_referrers=top_referrers(session, start, end),
                by_visit_type=by_visit_type(totals[-1].by_visit_type),
                by_template=by_template(session, start, end),
                by_poster=by_poster(session, start, end),
                roi_12_months=_roi(revenue, cost),
                revenue_12_months_minor=revenue,
                cost_12_months_minor=cost,
            )
        return report

    @staticmethod
    def _segment_price(session: Session, currency: str) -> float:
        """The clinic's SMS price per segment in minor units (setting is in millionths)."""
        micros = int(setting_value(session, "sms.segment_price_micros"))
        return micros / 10 ** (6 - decimals(currency))


def _short(month: Month) -> str:
    return month.label.split(" ")[0][:3]


def _roi(revenue: int, cost: int) -> float | None:
    return round(revenue / cost, 2) if cost > 0 else None


def _trend(
    chosen: Month, totals: list[MonthTotals], opening: int, per_segment: float
) -> list[MonthFigures]:
    """Figures for each month, carrying the outstanding-credit balance forward."""
    balance = opening
    trend = []
    for index, month_totals in enumerate(totals):
        balance += month_totals.ledger_net_minor
        month = chosen.shifted(index - len(totals) + 1)
        trend.append(_figures(month, month_totals, balance, per_segment))
    return trend


def _figures(month: Month, t: MonthTotals, balance: int, per_segment: float) -> MonthFigures:
    sms_cost = t.sms_priced_minor + round(t.sms_unpriced_segments * per_segment)
    return MonthFigures(
        month=str(month),
        label=month.label,
        short_label=month.short_label,
        asks_sent=t.asks_sent,
        introductions=t.introductions,
        booked=t.booked,
        attended=t.attended,
        cohort_booked=t.cohort_booked,
        cohort_attended=t.cohort_attended,
        rewards_issued=t.rewards_issued,
        rewards_issued_minor=t.rewards_issued_minor,
        rewards_redeemed_minor=t.rewards_redeemed_minor,
        outstanding_credit_minor=balance,
        sms_messages=t.sms_messages,
        sms_cost_minor=sms_cost,
        sms_cost_estimated=t.sms_unpriced_segments > 0,
        referred_revenue_minor=t.referred_revenue_minor,
        referred_visits=t.referred_visits,
        intro_to_booked=rate(t.cohort_booked, t.introductions),
        intro_to_attended=rate(t.cohort_attended, t.introductions),
        ask_to_intro=rate(t.introductions, t.asks_sent),
        roi=_roi(t.referred_revenue_minor, t.rewards_redeemed_minor + sms_cost),
    )
