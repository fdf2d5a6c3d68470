"""The monthly report as one CSV a spreadsheet opens cleanly: titled blocks separated by a
blank row (headline figures this month vs last, the 12-month trend, top referrers and
each breakdown). Amounts are plain decimal numbers so the owner can add them up."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.csv_safety import safe_cell
from frontdesk.domain.money import from_minor, symbol
from frontdesk.domain.report_periods import change
from frontdesk.services.reports.dto import BreakdownRow, MonthFigures, MonthlyReport

# (label, attribute, kind): kind is count, money or rate.
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("Asks sent", "asks_sent", "count"),
    ("Introductions", "introductions", "count"),
    ("Booked", "booked", "count"),
    ("Attended (new patients)", "attended", "count"),
    ("Introduced → booked", "intro_to_booked", "rate"),
    ("Introduced → attended", "intro_to_attended", "rate"),
    ("Introductions per ask", "ask_to_intro", "ratio"),
    ("Rewards issued", "rewards_issued", "count"),
    ("Rewards issued (value)", "rewards_issued_minor", "money"),
    ("Rewards redeemed (value)", "rewards_redeemed_minor", "money"),
    ("Outstanding credit (liability)", "outstanding_credit_minor", "money"),
    ("SMS sent", "sms_messages", "count"),
    ("SMS cost", "sms_cost_minor", "money"),
    ("Referred patients' revenue", "referred_revenue_minor", "money"),
    ("ROI (revenue per 1 spent)", "roi", "ratio"),
)


def report_csv(report: MonthlyReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows(report):
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def _value(figures: MonthFigures, attribute: str, kind: str, currency: str) -> Any:
    value = getattr(figures, attribute)
    if value is None:
        return ""
    if kind == "money":
        return from_minor(value, currency)
    if kind == "rate":
        return round(value * 100, 1)
    return value


def _rows(report: MonthlyReport) -> Iterator[list[Any]]:
    cur = report.currency
    title = f"{report.clinic_name} — referral report, {report.label}"
    if report.is_partial:
        title += f" (month to date, {day_text(report.generated_at, report.timezone)})"
    yield [title]
    yield [f"Amounts in {cur} ({symbol(cur)}); rates in %."]
    yield []
    partial = report.is_partial
    header = [
        "Figure",
        report.this.label + (" (to date)" if partial else ""),
        report.comparison_label,
    ]
    yield [*header, "Change %", *([report.last.label] if partial else [])]
    for label, attribute, kind in HEADLINES:
        this = getattr(report.this, attribute)
        before = getattr(report.comparison, attribute)
        moved = change(this, before)
        if attribute == "sms_cost_minor" and _estimated(report):
            label += " (estimated)"
        yield [
            label,
            _value(report.this, attribute, kind, cur),
            _value(report.comparison, attribute, kind, cur),
            "" if moved is None else round(moved * 100, 1),
            *([_value(report.last, attribute, kind, cur)] if partial else []),
        ]
    yield ["ROI, last 12 months", report.roi_12_months if report.roi_12_months else ""]
    yield []
    yield ["12-month funnel"]
    yield ["Month", "Asks sent", "Introductions", "Booked", "Attended", "Rewards issued",
           "Rewards value", "Revenue", "ROI"]  # fmt: skip
    for month in report.trend:
        yield [
            month.month,
            month.asks_sent,
            month.introductions,
            month.booked,
            month.attended,
            month.rewards_issued,
            from_minor(month.rewards_issued_minor, cur),
            from_minor(month.referred_revenue_minor, cur),
            month.roi if month.roi is not None else "",
        ]
    yield []
    yield ["Top referrers"]
    yield ["Name", "Code", "Introductions", "Attended", "Rewards earned", "Attended, all time"]
    for person in report.top_referrers:
        yield [
            person.name,
            person.code or "",
            person.introductions,
            person.attended,
            from_minor(person.rewards_minor, cur),
            person.lifetime_attended,
        ]
    yield from _breakdown("By visit type (referred patients)", report.by_visit_type, cur)
    yield from _breakdown("By ask wording", report.by_template, cur)
    yield from _breakdown("By poster", report.by_poster, cur)


def _estimated(report: MonthlyReport) -> bool:
    return report.this.sms_cost_estimated or report.comparison.sms_cost_estimated


_COLUMNS = (
    ("Asks sent", "asks"),
    ("Introductions", "introductions"),
    ("Booked", "booked"),
    ("Attended", "attended"),
    ("Visits", "visits"),
    ("Revenue", "revenue_minor"),
)


def _breakdown(title: str, rows: tuple[BreakdownRow, ...], currency: str) -> Iterator[list[Any]]:
    yield []
    yield [title]
    if not rows:
        yield ["(none this month)"]
        return
    used = [
        (label, attr) for label, attr in _COLUMNS if any(getattr(r, attr) is not None for r in rows)
    ]
    if title.startswith("By visit type"):
        used = [("First visits" if attr == "attended" else name, attr) for name, attr in used]
    yield ["", *(label for label, _ in used)]
    for row in rows:
        values = []
        for _label, attribute in used:
            value = getattr(row, attribute)
            if attribute == "revenue_minor" and value is not None:
                value = from_minor(value, currency)
            values.append("" if value is None else value)
        yield [row.key, *values]
