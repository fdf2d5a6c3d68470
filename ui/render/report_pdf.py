"""The monthly report as a one-page A4 PDF, drawn with QPainter on a QPdfWriter (vector
text and charts, so it prints sharp). Used by the Reports screen and by
``frontdesk report --format pdf``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from frontdesk.domain.clinic_time import day_text, when_text
from frontdesk.domain.money import format_money
from frontdesk.domain.report_periods import change
from frontdesk.services.reports.dto import BreakdownRow, MonthFigures, MonthlyReport
from frontdesk.ui.render.offscreen import ensure_gui_application

DPI = 300
INK = QColor("#101828")
MUTED = QColor("#667085")
LINE = QColor("#EAECF0")
TILE = QColor("#F6F8FA")
TEAL = QColor("#0E7C86")
TEAL_LIGHT = QColor("#9FD3D7")
GREEN = QColor("#027A48")
RED = QColor("#B42318")
FAMILIES = ["Inter", "Segoe UI", "Helvetica Neue", "DejaVu Sans", "Arial"]


def mm(value: float) -> float:
    return value * DPI / 25.4


def write_report_pdf(report: MonthlyReport, path: Path | str) -> Path:
    """Draw the report to ``path`` (written beside it first, then renamed into place)."""
    ensure_gui_application()
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    writer = QPdfWriter(str(partial))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(DPI)
    writer.setTitle(f"{report.clinic_name} — referral report, {report.label}")
    writer.setCreator("Frontdesk")
    painter = QPainter(writer)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _Page(painter, report).draw()
    except BaseException:
        painter.end()
        partial.unlink(missing_ok=True)
        raise
    painter.end()
    del writer  # flushes and closes the file
    os.replace(partial, target)
    return target


class _Page:
    def __init__(self, painter: QPainter, report: MonthlyReport) -> None:
        self.p = painter
        self.r = report
        self.money: Callable[[int], str] = lambda v: format_money(v, report.currency)
        self.whole: Callable[[int], str] = lambda v: format_money(v, report.currency, whole=True)

    # -- drawing helpers (all positions in millimetres) -------------------------------------
    def font(self, size: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(FAMILIES)
        font.setPointSizeF(size)
        font.setBold(bold)
        return font

    def text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        value: str,
        size: float = 8,
        *,
        bold: bool = False,
        color: QColor = INK,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> None:
        font = self.font(size, bold)
        self.p.setFont(font)
        self.p.setPen(color)
        shown = QFontMetricsF(font).elidedText(value, Qt.TextElideMode.ElideRight, mm(w))
        self.p.drawText(
            QRectF(mm(x), mm(y), mm(w), mm(h)), align | Qt.AlignmentFlag.AlignVCenter, shown
        )

    def box(self, x: float, y: float, w: float, h: float, fill: QColor, radius: float = 2) -> None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(mm(x), mm(y), mm(w), mm(h)), mm(radius), mm(radius))
        self.p.fillPath(path, fill)

    def rule(self, x: float, y: float, w: float, color: QColor = LINE, width: float = 0.3) -> None:
        self.p.setPen(QPen(color, mm(width)))
        self.p.drawLine(QPointF(mm(x), mm(y)), QPointF(mm(x + w), mm(y)))

    # -- the page ---------------------------------------------------------------------------
    def draw(self) -> None:
        r = self.r
        self.text(14, 12, 130, 10, r.clinic_name, 18, bold=True)
        self.text(14, 21, 130, 7, f"Referral report · {r.label}", 12, color=TEAL, bold=True)
        day = day_text(r.generated_at, r.timezone)
        when = f"Month to date, {day}" if r.is_partial else f"Generated {day}"
        self.text(140, 21, 56, 7, when, 8, color=MUTED, align=Qt.AlignmentFlag.AlignRight)
        self.rule(14, 31, 182, TEAL, 0.6)
        self.tiles(36)
        self.funnel(14, 98, 88, 58)
        self.trend(108, 98, 88, 58)
        self.referrers(14, 162, 88)
        self.breakdown(
            108, 162, 88, "By ask wording", r.by_template, ("asks", "introductions", "attended")
        )
        self.breakdown(
            108, 204, 88, "By poster", r.by_poster, ("introductions", "booked", "attended")
        )
        self.breakdown(
            14,
            222,
            88,
            "By visit type (referred patients)",
            r.by_visit_type,
            ("visits", "attended", "revenue_minor"),
        )
        self.footer()

    def tiles(self, top: float) -> None:
        this, last = self.r.this, self.r.comparison
        prev = self.r.comparison_label
        roi = lambda v: "—" if v is None else f"{v:.1f}×"  # noqa: E731
        tiles: list[tuple[str, float | int | None, float | int | None, Callable, str, bool]] = [
            ("Introductions", this.introductions, last.introductions, str, "", True),
            ("New patients attended", this.attended, last.attended, str, "", True),
            ("Booked", this.booked, last.booked, str, "", True),
            ("Asks sent", this.asks_sent, last.asks_sent, str, "", True),
            (
                "Rewards issued",
                this.rewards_issued_minor,
                last.rewards_issued_minor,
                self.whole,
                f"{this.rewards_issued} rewards",
                False,
            ),
            (
                "Outstanding credit",
                this.outstanding_credit_minor,
                last.outstanding_credit_minor,
                self.whole,
                "owed as credit",
                False,
            ),
            (
                "Referred revenue",
                this.referred_revenue_minor,
                last.referred_revenue_minor,
                self.whole,
                f"{this.referred_visits} visits",
                True,
            ),
            ("ROI", this.roi, last.roi, roi, f"revenue per {self.whole(100)} spent", True),
        ]
        width, height, gap = 43.25, 26, 3.0
        for index, (label, value, before, show, note, up_is_good) in enumerate(tiles):
            x = 14 + (index % 4) * (width + gap)
            y = top + (index // 4) * (height + gap)
            self.box(x, y, width, height, TILE)
            self.text(x + 3, y + 2.5, width - 6, 5, label.upper(), 6.5, bold=True, color=MUTED)
            self.text(x + 3, y + 7.5, width - 6, 9, show(value), 17, bold=True)
            moved = change(value, before)
            if moved is None:
                delta, color = f"vs {prev}: —", MUTED
            else:
                if round(abs(moved) * 100) == 0:
                    moved = 0.0  # "▲ 0%" reads as a contradiction
                arrow = "▲" if moved > 0 else "▼" if moved < 0 else "="
                delta = f"{arrow} {abs(moved) * 100:.0f}% vs {prev}"
                # More credit owed or issued is neither good nor bad news: grey.
                neutral = moved == 0 or not up_is_good
                color = MUTED if neutral else GREEN if moved > 0 else RED
            self.text(x + 3, y + 17, width - 6, 4, delta, 7, color=color)
            if note:
                self.text(x + 3, y + 21, width - 6, 4, note, 6.5, color=MUTED)

    def funnel(self, x: float, y: float, w: float, h: float) -> None:
        this = self.r.this
        self.text(x, y, w, 6, "This month's funnel", 10, bold=True)
        steps = [
            ("Asks sent", this.asks_sent),
            ("Introductions", this.introductions),
            ("Booked", this.booked),
            ("Attended", this.attended),
        ]
        top = max([v for _, v in steps] + [1])
        bar_left, bar_width = x + 24, w - 24 - 14
        for index, (label, value) in enumerate(steps):
            row_y = y + 9 + index * 11
            self.text(x, row_y, 23, 7, label, 7.5, color=MUTED)
            self.box(bar_left, row_y + 0.8, bar_width, 5.4, TILE, 1)
            filled = bar_width * value / top
            if filled > 0:
                self.box(
                    bar_left, row_y + 0.8, max(filled, 1.2), 5.4, TEAL if index else TEAL_LIGHT, 1
                )
            self.text(bar_left + bar_width + 1.5, row_y, 12, 7, f"{value:,}", 8, bold=True)
        rates = (
            f"Introduced → booked {_pct(this.intro_to_booked)}   ·   "
            f"→ attended {_pct(this.intro_to_attended)}"
        )
        self.text(x, y + 53, w, 5, rates, 7, color=MUTED)

    def trend(self, x: float, y: float, w: float, h: float) -> None:
        months = self.r.trend
        self.text(x, y, w, 6, "12-month trend", 10, bold=True)
        chart_top, chart_h = y + 10, h - 22
        top = max([m.introductions for m in months] + [m.attended for m in months] + [1])
        slot = (w - 4) / len(months)
        base = chart_top + chart_h
        self.rule(x, base, w, LINE)
        for index, month in enumerate(months):
            left = x + 2 + index * slot
            for offset, value, color in (
                (0.12, month.introductions, TEAL_LIGHT),
                (0.5, month.attended, TEAL),
            ):
                bar_h = chart_h * value / top
                if bar_h > 0:
                    self.box(left + slot * offset, base - bar_h, slot * 0.36, bar_h, color, 0.5)
            self.text(
                left - 1,
                base + 0.5,
                slot + 2,
                4,
                month.short_label.split(" ")[0],
                5.5,
                color=MUTED,
                align=Qt.AlignmentFlag.AlignHCenter,
            )
        legend_y = y + h - 6
        for offset, label, color in ((0, "Introductions", TEAL_LIGHT), (30, "Attended", TEAL)):
            self.box(x + offset, legend_y + 1.3, 3, 3, color, 0.5)
            self.text(x + offset + 4, legend_y, 25, 5.5, label, 7, color=MUTED)
        self.text(
            x + 55,
            legend_y,
            w - 55,
            5.5,
            f"Peak {top:,}",
            7,
            color=MUTED,
            align=Qt.AlignmentFlag.AlignRight,
        )

    def referrers(self, x: float, y: float, w: float) -> None:
        self.text(x, y, w, 6, "Top referrers", 10, bold=True)
        stops = (0, 30, 52, 62, 75)
        self.header_row(x, y + 7, w, ("Name", "Code", "Intro.", "Attended", "Earned"), stops)
        people = self.r.top_referrers[:8]
        if not people:
            self.text(x, y + 13, w, 6, "No referrals this month yet.", 7.5, color=MUTED)
        for index, person in enumerate(people):
            row_y = y + 12.5 + index * 5.4
            values = (
                person.name,
                person.code or "",
                str(person.introductions),
                str(person.attended),
                self.whole(person.rewards_minor),
            )
            self.table_row(x, row_y, w, values, stops)

    def breakdown(
        self,
        x: float,
        y: float,
        w: float,
        title: str,
        rows: Sequence[BreakdownRow],
        columns: Sequence[str],
    ) -> None:
        names = {
            "asks": "Asks",
            "introductions": "Intro.",
            "booked": "Booked",
            "attended": "Attended",
            "visits": "Visits",
            "revenue_minor": "Revenue",
        }
        if title.startswith("By visit type"):
            names["attended"] = "First"
        self.text(x, y, w, 6, title, 10, bold=True)
        stops = (0, *(w - (len(columns) - i) * 14 for i in range(len(columns))))
        self.header_row(x, y + 7, w, ("", *(names[c] for c in columns)), stops)
        shown = list(rows[:5])
        if not shown:
            self.text(x, y + 13, w, 5, "Nothing this month.", 7.5, color=MUTED)
        for index, row in enumerate(shown):
            values = [row.key]
            for column in columns:
                value = getattr(row, column)
                if value is None:
                    values.append("—")
                elif column == "revenue_minor":
                    values.append(self.whole(value))
                else:
                    values.append(f"{value:,}")
            self.table_row(x, y + 12.5 + index * 5.4, w, values, stops)

    def header_row(
        self, x: float, y: float, w: float, labels: Sequence[str], stops: Sequence[float]
    ) -> None:
        for index, (label, stop) in enumerate(zip(labels, stops, strict=True)):
            width = (stops[index + 1] if index + 1 < len(stops) else w) - stop
            align = (
                Qt.AlignmentFlag.AlignLeft
                if index < 2 and stop < 40
                else Qt.AlignmentFlag.AlignRight
            )
            self.text(x + stop, y, width - 1, 5, label, 6.5, bold=True, color=MUTED, align=align)
        self.rule(x, y + 5.2, w)

    def table_row(
        self, x: float, y: float, w: float, values: Sequence[str], stops: Sequence[float]
    ) -> None:
        for index, (value, stop) in enumerate(zip(values, stops, strict=True)):
            width = (stops[index + 1] if index + 1 < len(stops) else w) - stop
            align = (
                Qt.AlignmentFlag.AlignLeft
                if index < 2 and stop < 40
                else Qt.AlignmentFlag.AlignRight
            )
            self.text(x + stop, y, width - 1, 5, value, 7.5, align=align)
        self.rule(x, y + 5.2, w)

    def paragraph(self, x: float, y: float, w: float, h: float, value: str, size: float) -> None:
        self.p.setFont(self.font(size))
        self.p.setPen(MUTED)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        self.p.drawText(QRectF(mm(x), mm(y), mm(w), mm(h)), int(flags), value)

    def footer(self) -> None:
        r = self.r
        twelve = "—" if r.roi_12_months is None else f"{r.roi_12_months:.1f}×"
        self.rule(14, 266, 182)
        self.text(
            14,
            267.5,
            182,
            5,
            f"Last 12 months: referred patients paid {self.whole(r.revenue_12_months_minor)}; "
            f"rewards redeemed and texts cost {self.whole(r.cost_12_months_minor)}; "
            f"ROI {twelve}.",
            7,
            bold=True,
            color=MUTED,
        )
        estimated = " SMS cost is partly estimated from the price per segment." * bool(
            r.this.sms_cost_estimated
        )
        compared = (
            f" This month so far is compared with {r.comparison_label}." if r.is_partial else ""
        )
        self.paragraph(
            14,
            273,
            182,
            10,
            "Introductions: referrals recorded in the month (blocked self-referrals and rejected "
            "ones left out). Attended: friends' first visits. Outstanding credit: rewards issued "
            "and not yet used, at the end of the period. ROI: what referred patients paid (first "
            "visit and every visit since) ÷ (rewards redeemed + SMS cost)." + estimated + compared,
            6.3,
        )
        self.text(
            14,
            285,
            182,
            4,
            f"Frontdesk · {r.clinic_name} · generated {when_text(r.generated_at, r.timezone)}",
            6,
            color=MUTED,
        )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


__all__ = ["MonthFigures", "write_report_pdf"]
