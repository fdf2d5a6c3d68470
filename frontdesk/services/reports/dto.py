"""The monthly report as plain data: what the Reports screen, the CSV and the PDF show.

Money is in minor units of ``currency``; rates are fractions (0.25 = 25 %) or None when
there was nothing to divide by. Definitions, so every surface says the same thing:

- asks sent: referral-ask texts the SMS provider accepted in the month;
- introductions: referrals first recorded in the month (self-referrals blocked at the desk
  and referrals an owner rejected as fraud are not counted);
- booked / attended: referrals whose friend booked / came to a first visit in the month;
- cohort booked / attended: of the month's introductions, how many have booked / attended
  so far (the honest conversion rate; it grows as friends come in);
- rewards issued: credits put on the ledger in the month (count and value); redeemed: used
  at checkout; outstanding credit: issued and not yet used, expired or reversed, at the
  end of the month — the clinic's liability;
- referred revenue: what referred patients paid in the month, on their first visit and
  every visit since;
- ROI: referred revenue ÷ (rewards redeemed + SMS cost) in the same period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class MonthFigures:
    month: str  # 2026-11
    label: str  # November 2026
    short_label: str  # Nov 26
    asks_sent: int
    introductions: int
    booked: int
    attended: int
    cohort_booked: int
    cohort_attended: int
    rewards_issued: int
    rewards_issued_minor: int
    rewards_redeemed_minor: int
    outstanding_credit_minor: int
    sms_messages: int
    sms_cost_minor: int
    sms_cost_estimated: bool  # some messages had no provider price yet: segments × setting
    referred_revenue_minor: int
    referred_visits: int
    intro_to_booked: float | None
    intro_to_attended: float | None
    ask_to_intro: float | None
    roi: float | None


@dataclass(frozen=True)
class TopReferrer:
    patient_id: int
    name: str
    code: str | None
    introductions: int  # in the month
    attended: int  # in the month
    rewards_minor: int  # credit issued to them in the month
    lifetime_attended: int


@dataclass(frozen=True)
class BreakdownRow:
    """One line of a breakdown; columns that do not apply to a breakdown are None."""

    key: str
    asks: int | None
    introductions: int | None
    booked: int | None
    attended: int | None
    visits: int | None
    revenue_minor: int | None


@dataclass(frozen=True)
class MonthlyReport:
    clinic_name: str
    currency: str
    timezone: str
    month: str
    label: str
    generated_at: datetime
    period_start: datetime
    period_end: datetime
    is_partial: bool  # the month is not over yet: figures are month to date
    this: MonthFigures
    last: MonthFigures
    # What "this" is compared with: last month to the same point while this month is still
    # running (1-25 Oct against 1-25 Nov), else all of last month.
    comparison: MonthFigures
    comparison_label: str  # "1–25 Oct" or "Oct"
    trend: tuple[MonthFigures, ...]  # twelve months ending with this one, oldest first
    top_referrers: tuple[TopReferrer, ...]
    by_visit_type: tuple[BreakdownRow, ...]
    by_template: tuple[BreakdownRow, ...]
    by_poster: tuple[BreakdownRow, ...]
    roi_12_months: float | None
    revenue_12_months_minor: int
    cost_12_months_minor: int
