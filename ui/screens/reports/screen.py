"""Reports: this month against last, the funnel and its year, who and what brought
referrals, and ROI. Everything loads off the GUI thread; every tile opens its rows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import in_words
from frontdesk.domain.money import format_money
from frontdesk.domain.report_periods import Month
from frontdesk.services.bundle import Services
from frontdesk.services.reports.csv_export import report_csv
from frontdesk.services.reports.dto import MonthlyReport
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.screens.reports.drilldown import DrillDownDialog
from frontdesk.ui.screens.reports.models import BreakdownModel, TopReferrersModel
from frontdesk.ui.screens.reports.widgets import FunnelChart, KpiTile, TrendChart
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import SORT_ROLE, RowTableModel

log = logging.getLogger(__name__)
MONTHS_OFFERED = 24
# (figure, title, up is good news)
TILES = (
    ("introductions", "Introductions", True),
    ("attended", "New patients attended", True),
    ("booked", "Booked", True),
    ("asks_sent", "Asks sent", True),
    ("rewards_issued", "Rewards issued", False),
    ("outstanding_credit", "Outstanding credit", False),
    ("referred_revenue", "Referred revenue", True),
    ("roi", "ROI", True),
)
CLICKABLE = {
    "introductions",
    "attended",
    "booked",
    "asks_sent",
    "rewards_issued",
    "referred_revenue",
}


class ReportsScreen(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.report: MonthlyReport | None = None
        self._latest = LatestAnswer()
        self._stale = True
        self._dialogs: list[DrillDownDialog] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("reportsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(28, 22, 28, 28)
        layout.setSpacing(16)

        layout.addLayout(self._header(body))
        self.status = QLabel("", body)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        layout.addWidget(self.status)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.tiles: dict[str, KpiTile] = {}
        for index, (figure, title, _good) in enumerate(TILES):
            tile = KpiTile(figure, title, body)
            if figure in CLICKABLE:
                tile.clicked.connect(self.open_rows)
            else:
                tile.setCursor(Qt.CursorShape.ArrowCursor)
            self.tiles[figure] = tile
            grid.addWidget(tile, index // 4, index % 4)
        layout.addLayout(grid)

        charts = QHBoxLayout()
        charts.setSpacing(12)
        self.funnel = FunnelChart(body)
        self.trend = TrendChart(body)
        charts.addWidget(self._card(self.funnel, body), 1)
        charts.addWidget(self._card(self.trend, body), 1)
        layout.addLayout(charts)

        self.roi = QLabel("", body)
        self.roi.setObjectName("roiSummary")
        self.roi.setWordWrap(True)
        self.roi.setStyleSheet("font-size: 10.5pt; padding: 4px 2px;")
        layout.addWidget(self.roi)

        self.top_model = TopReferrersModel(self)
        self.template_model = BreakdownModel(
            "Ask wording", ("asks", "introductions", "booked", "attended"), self
        )
        self.poster_model = BreakdownModel("Poster", ("introductions", "booked", "attended"), self)
        self.visit_model = BreakdownModel(
            "Visit type", ("visits", "attended", "revenue_minor"), self
        )
        layout.addWidget(self._section("Top referrers", "topReferrersTable", self.top_model, body))
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self._section("By ask wording", "byTemplateTable", self.template_model, body))
        row.addWidget(self._section("By poster", "byPosterTable", self.poster_model, body))
        layout.addLayout(row)
        layout.addWidget(
            self._section(
                "Referred patients by visit type", "byVisitTypeTable", self.visit_model, body
            )
        )
        layout.addStretch(1)

        for signal in (
            events.referrals_changed,
            events.rewards_changed,
            events.messages_changed,
            events.patients_changed,
        ):
            signal.connect(self._changed)

    # -- layout -----------------------------------------------------------------------------
    def _header(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        titles = QVBoxLayout()
        title = QLabel("Reports", parent)
        title.setObjectName("screenTitle")
        self.subtitle = QLabel("", parent)
        self.subtitle.setObjectName("reportSubtitle")
        self.subtitle.setStyleSheet("color: palette(dark); font-size: 10.5pt;")
        titles.addWidget(title)
        titles.addWidget(self.subtitle)
        row.addLayout(titles)
        row.addStretch(1)
        self.month = QComboBox(parent)
        self.month.setObjectName("reportMonth")
        self.month.setAccessibleName("Month")
        self.month.setMinimumWidth(170)
        self.month.activated.connect(lambda _i: self.load())
        self.refresh_button = self._button("mdi6.refresh", "", "refreshReport", parent)
        self.refresh_button.setToolTip("Refresh the figures")
        self.refresh_button.setAccessibleName("Refresh")
        self.refresh_button.clicked.connect(lambda: self.load())
        self.csv_button = self._button(
            "mdi6.file-delimited-outline", "Export CSV…", "exportReportCsv", parent
        )
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button = self._button("mdi6.file-pdf-box", "Save PDF…", "saveReportPdf", parent)
        self.pdf_button.clicked.connect(self.save_pdf)
        for widget in (self.month, self.refresh_button, self.csv_button, self.pdf_button):
            row.addWidget(widget)
        return row

    @staticmethod
    def _button(icon: str, text: str, name: str, parent: QWidget) -> QPushButton:
        button = QPushButton(qta.icon(icon, color="#344054"), text, parent)
        button.setObjectName(name)
        return button

    @staticmethod
    def _card(content: QWidget, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("reportCard")
        card.setStyleSheet(
            "QFrame#reportCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; }"
        )
        layout = QVBoxLayout(card)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(content)
        return card

    def _section(self, title: str, name: str, model: RowTableModel[Any], parent: QWidget) -> QFrame:
        box = QWidget(parent)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 4, 8, 8)
        heading = QLabel(title, box)
        heading.setStyleSheet("font-size: 11pt; font-weight: 600;")
        proxy = QSortFilterProxyModel(box)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        table = QTableView(box)
        table.setObjectName(name)
        table.setAccessibleName(title)
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(190)
        layout.addWidget(heading)
        layout.addWidget(table)
        return self._card(box, parent)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- loading ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.load()

    def selected_month(self) -> str | None:
        value = self.month.currentData()
        return str(value) if value else None

    def load(self, month: str | None = None) -> None:
        """Fetch the report for ``month`` (default: the one picked, else this month)."""
        self._stale = False
        ticket = self._latest.ask()
        wanted = month or self.selected_month()
        self._say("Loading the figures…")
        self._set_busy(True)
        self.tasks.read(
            lambda: self.services.reports.monthly(wanted),
            ticket(self._loaded),
            ticket(self._failed),
        )

    def _set_busy(self, busy: bool) -> None:
        for button in (self.csv_button, self.pdf_button, self.refresh_button):
            button.setEnabled(not busy)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._say(in_words(error, "The report could not be loaded. Please try again."))

    def _loaded(self, report: MonthlyReport) -> None:
        self.report = report
        self._set_busy(False)
        self._fill_months(report.month)
        this, before, versus = report.this, report.comparison, report.comparison_label
        to_date = (
            f"month to date, compared with {versus}"
            if report.is_partial
            else f"compared with {versus}"
        )
        self.subtitle.setText(f"{report.label} · {to_date}")
        quiet = not any(m.introductions or m.asks_sent for m in report.trend)
        self._say(
            "No referrals in the last twelve months yet: the figures fill in as the desk "
            "records introductions."
            if quiet
            else ""
        )
        values = _tile_values(report)
        for figure, _title, good in TILES:
            text, now, then, note = values[figure]
            self.tiles[figure].show_figure(text, now, then, versus, note, up_is_good=good)
        self.funnel.show_funnel(this, before, versus)
        self.trend.show_trend(report.trend)
        cost = this.rewards_redeemed_minor + this.sms_cost_minor
        roi = _times
        twelve = roi(report.roi_12_months)
        self.roi.setText(
            f"<b>ROI {roi(this.roi)}</b> — referred patients paid "
            f"{format_money(this.referred_revenue_minor, report.currency)} this month; the "
            f"program cost {format_money(cost, report.currency)} (rewards redeemed "
            f"{format_money(this.rewards_redeemed_minor, report.currency)}, texts "
            f"{format_money(this.sms_cost_minor, report.currency)}"
            f"{', partly estimated' if this.sms_cost_estimated else ''}). "
            f"Last 12 months: <b>{twelve}</b>."
        )
        self.top_model.fill(report.top_referrers, report.currency)
        self.template_model.fill(report.by_template, report.currency)
        self.poster_model.fill(report.by_poster, report.currency)
        self.visit_model.fill(report.by_visit_type, report.currency)

    def _fill_months(self, current: str) -> None:
        if self.month.count() == 0:
            latest = Month.parse(current)  # the first report shown is this month
            for back in range(MONTHS_OFFERED):
                month = latest.shifted(-back)
                label = month.label + (" (to date)" if back == 0 else "")
                self.month.addItem(label, str(month))
        index = self.month.findData(current)
        if index >= 0:
            self.month.setCurrentIndex(index)

    # -- drill-down and exports ------------------------------------------------------------
    def open_rows(self, figure: str) -> None:
        if self.report is None:
            return
        month = self.report.month
        dialog = DrillDownDialog(
            lambda: self.services.report_rows.rows(month, figure),
            self.tasks,
            self.tiles[figure].title.text().title(),
            self,
        )
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        dialog.open()

    def export_csv(self) -> None:
        self._save("CSV files (*.csv)", ".csv", lambda report, path: _write_csv(report, path))

    def save_pdf(self) -> None:
        from frontdesk.ui.render.report_pdf import write_report_pdf

        self._save("PDF files (*.pdf)", ".pdf", write_report_pdf)

    def _save(
        self, kinds: str, suffix: str, write: Callable[[MonthlyReport, Path], object]
    ) -> None:
        report = self.report
        if report is None:
            return
        name = f"referral-report-{report.month}{suffix}"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the report", str(Path.home() / name), kinds
        )
        if path:
            self.save_to(Path(path) if path.endswith(suffix) else Path(path + suffix), write)

    def save_to(self, path: Path, write: Callable[[MonthlyReport, Path], object]) -> None:
        report = self.report
        if report is None:
            return
        self._say(f"Saving {path.name}…")
        self.tasks.read(
            lambda: write(report, path),
            lambda _r: self._say(f"Saved {path}."),
            lambda error: self._say(in_words(error, f"Could not save {path.name}.")),
        )


Tile = tuple[str, float | int | None, float | int | None, str]


def _tile_values(report: MonthlyReport) -> dict[str, Tile]:
    """figure → (shown value, this period, comparison period, note under it)."""
    now, then = report.this, report.comparison

    def whole(value: int) -> str:
        return format_money(value, report.currency, whole=True)

    def pair(attribute: str) -> tuple[float | int | None, float | int | None]:
        return getattr(now, attribute), getattr(then, attribute)

    return {
        "introductions": (
            f"{now.introductions:,}",
            *pair("introductions"),
            _rate("booked", now.intro_to_booked),
        ),
        "attended": (
            f"{now.attended:,}",
            *pair("attended"),
            _rate("of introductions", now.intro_to_attended),
        ),
        "booked": (f"{now.booked:,}", *pair("booked"), ""),
        "asks_sent": (f"{now.asks_sent:,}", *pair("asks_sent"), ""),
        "rewards_issued": (
            whole(now.rewards_issued_minor),
            *pair("rewards_issued_minor"),
            f"{now.rewards_issued:,} rewards",
        ),
        "outstanding_credit": (
            whole(now.outstanding_credit_minor),
            *pair("outstanding_credit_minor"),
            "owed as credit",
        ),
        "referred_revenue": (
            whole(now.referred_revenue_minor),
            *pair("referred_revenue_minor"),
            f"{now.referred_visits:,} visits",
        ),
        "roi": (_times(now.roi), *pair("roi"), f"revenue per {whole(100)} spent"),
    }


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}×"


def _rate(what: str, value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}% {what}"


def _write_csv(report: MonthlyReport, path: Path) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(report_csv(report), encoding="utf-8-sig")
    partial.replace(path)
    return path
