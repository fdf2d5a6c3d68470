"""The pieces of the Reports screen: headline tiles and the QtCharts funnel and trend."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from frontdesk.domain.report_periods import change
from frontdesk.services.reports.dto import MonthFigures

TEAL = QColor("#0E7C86")
TEAL_LIGHT = QColor("#9FD3D7")
GREEN = "#067647"
RED = "#B42318"
MUTED = "#667085"
TILE_STYLE = """
KpiTile { background: palette(base); border: 1px solid palette(mid); border-radius: 10px; }
KpiTile:hover { border: 1px solid #0E7C86; }
KpiTile:focus { border: 2px solid #0E7C86; }
QLabel#kpiTitle { color: #667085; font-size: 8.5pt; font-weight: 600; }
QLabel#kpiValue { font-size: 20pt; font-weight: 700; }
QLabel#kpiNote { color: #667085; font-size: 8.5pt; }
"""


class KpiTile(QFrame):
    """One headline figure: its value this month and how it moved against last month.
    Clicking it (or Enter when focused) opens the rows behind it."""

    clicked = Signal(str)

    def __init__(self, figure: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.setObjectName(f"{figure}Tile")
        self.setStyleSheet(TILE_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(112)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        self.title = QLabel(title.upper(), self)
        self.title.setObjectName("kpiTitle")
        self.value = QLabel("…", self)
        self.value.setObjectName("kpiValue")
        self.delta = QLabel("", self)
        self.delta.setObjectName("kpiDelta")
        self.note = QLabel("", self)
        self.note.setObjectName("kpiNote")
        for label in (self.title, self.value, self.delta, self.note):
            layout.addWidget(label)
        layout.addStretch(1)
        self.setAccessibleName(title)

    def show_figure(
        self,
        value: str,
        now: float | int | None,
        before: float | int | None,
        versus: str,
        note: str = "",
        *,
        up_is_good: bool = True,
    ) -> None:
        self.value.setText(value)
        moved = change(now, before)
        if moved is None:
            text, colour = f"no comparison with {versus}", MUTED
        else:
            if round(abs(moved) * 100) == 0:
                moved = 0.0  # "▲ 0%" reads as a contradiction
            arrow = "▲" if moved > 0 else "▼" if moved < 0 else "="
            text = f"{arrow} {abs(moved) * 100:.0f}% vs {versus}"
            neutral = moved == 0 or not up_is_good
            colour = MUTED if neutral else GREEN if moved > 0 else RED
        self.delta.setText(text)
        self.delta.setStyleSheet(f"color: {colour}; font-size: 9pt;")
        self.note.setText(note)
        self.setToolTip(f"{self.title.text().title()}: {value} ({text}). Click to see the rows.")
        self.setAccessibleDescription(f"{value}, {text}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.figure)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.figure)
            return
        super().keyPressEvent(event)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setPointSizeF(11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setBackgroundVisible(False)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _view(chart: QChart, name: str, parent: QWidget | None) -> QChartView:
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setStyleSheet("background: transparent;")
    return view


class FunnelChart(QWidget):
    """This month's funnel against the comparison period, as horizontal bars."""

    STEPS = (("Asks sent", "asks_sent"), ("Introductions", "introductions"),
             ("Booked", "booked"), ("Attended", "attended"))  # fmt: skip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = _chart("Funnel this month")
        self.view = _view(self.chart, "funnelChart", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.values: dict[str, tuple[int, int]] = {}

    def show_funnel(self, this: MonthFigures, before: MonthFigures, versus: str) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        now_set, then_set = QBarSet(this.short_label.split(" ")[0]), QBarSet(versus)
        now_set.setColor(TEAL)
        then_set.setColor(TEAL_LIGHT)
        for bar_set in (now_set, then_set):
            bar_set.setLabelColor(QColor("#101828"))
        labels = []
        # Bottom to top in a horizontal chart, so the funnel reads downwards.
        for label, attribute in reversed(self.STEPS):
            now, then = getattr(this, attribute), getattr(before, attribute)
            now_set.append(now)
            then_set.append(then)
            labels.append(label)
            self.values[attribute] = (now, then)
        series = QHorizontalBarSeries()
        series.append(then_set)
        series.append(now_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(labels)
        values = QValueAxis()
        values.setLabelFormat("%d")
        top = max([*now_set_values(now_set), *now_set_values(then_set), 1])
        values.setRange(0, top * 1.2)
        values.setGridLineVisible(False)
        values.setLabelsVisible(False)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)


def now_set_values(bar_set: QBarSet) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]


class TrendChart(QWidget):
    """Introductions and attended new patients, month by month for a year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = _chart("12-month trend")
        self.view = _view(self.chart, "trendChart", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.months: list[str] = []

    def show_trend(self, months: Sequence[MonthFigures]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        intros, attended = QBarSet("Introductions"), QBarSet("Attended")
        intros.setColor(TEAL_LIGHT)
        attended.setColor(TEAL)
        self.months = [m.short_label for m in months]
        for month in months:
            intros.append(month.introductions)
            attended.append(month.attended)
        series = QBarSeries()
        series.append(intros)
        series.append(attended)
        self.chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([m.short_label.split(" ")[0] for m in months])
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        top = max([m.introductions for m in months] + [1])
        axis_y.setRange(0, top)
        axis_y.applyNiceNumbers()
        axis_y.setGridLineColor(QColor("#EAECF0"))
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
