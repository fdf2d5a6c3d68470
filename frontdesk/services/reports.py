"""The monthly report: this month against last, a 12-month funnel, who and what brought
referrals, and what the program returned for what it cost (definitions in report_dto)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from frontdesk.domain.money_format import minor_digits
from frontdesk.domain.report_periods import Month, month_edges, rate
from frontdesk.services.clinic import clinic_row, setting_value
from frontdesk.services.context import ServiceContext
from frontdesk.services.report_breakdowns import (
    by_poster,
    by_template,
    by_visit_type,
    top_referrers,
)
from frontdesk.services.report_dto import MonthFigures, MonthlyReport
from frontdesk.services.report_queries import MonthTotals, monthly_totals, opening_balance

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
            totals = monthly_totals(session, edges)
            balance = opening_balance(session, edges[0])
            per_segment = self._segment_price(session, clinic.currency)
            trend = []
            for index, month_totals in enumerate(totals):
                balance += month_totals.ledger_net_minor
                trend.append(
                    _figures(
                        chosen.shifted(index - TREND_MONTHS + 1),
                        month_totals,
                        balance,
                        per_segment,
                    )
                )
            start, end = edges[-2], edges[-1]
            is_partial = start <= now < end
            comparison, comparison_label = trend[-2], chosen.shifted(-1).label.split(" ")[0][:3]
            if is_partial:
                comparison, comparison_label = self._to_same_day(
                    session, chosen.shifted(-1), zone, now - start, per_segment
                )
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
                by_visit_type=by_visit_type(session, start, end),
                by_template=by_template(session, start, end),
                by_poster=by_poster(session, start, end),
                roi_12_months=_roi(
                    sum(f.referred_revenue_minor for f in trend),
                    sum(f.rewards_redeemed_minor + f.sms_cost_minor for f in trend),
                ),
                revenue_12_months_minor=sum(f.referred_revenue_minor for f in trend),
                cost_12_months_minor=sum(
                    f.rewards_redeemed_minor + f.sms_cost_minor for f in trend
                ),
            )
        return report

    @staticmethod
    def _to_same_day(
        session: Session, month: Month, zone: ZoneInfo, elapsed: timedelta, per_segment: float
    ) -> tuple[MonthFigures, str]:
        """Last month up to the same point as this month has reached."""
        start = month.start(zone)
        cut = min(start + elapsed, month.end(zone))
        [totals] = monthly_totals(session, [start, cut])
        figures = _figures(month, totals, opening_balance(session, cut), per_segment)
        last_day = (cut - timedelta(microseconds=1)).astimezone(zone).day
        short = month.label.split(" ")[0][:3]
        return figures, f"1–{last_day} {short}"

    @staticmethod
    def _segment_price(session: Session, currency: str) -> float:
        """The clinic's SMS price per segment in minor units (setting is in millionths)."""
        micros = int(setting_value(session, "sms.segment_price_micros"))
        return micros / 10 ** (6 - minor_digits(currency))


def _roi(revenue: int, cost: int) -> float | None:
    return round(revenue / cost, 2) if cost > 0 else None


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
