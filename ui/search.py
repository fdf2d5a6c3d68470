"""The global search: one box for code, phone, name or email, answers as you type.

Each keystroke restarts a short debounce; each query carries a sequence number so an
older, slower answer never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.errors import in_words
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.badge import paint_badge
from frontdesk.ui.widgets.row_model import ROW_ROLE, Column, RowTableModel

if TYPE_CHECKING:
    from frontdesk.services.records.dto import LookupResult, SearchHit

DEBOUNCE_MS = 60
AnyIndex = QModelIndex | QPersistentModelIndex


def _spoken(hit: SearchHit) -> str:
    parts = [hit.patient.name, hit.masked_phone, hit.patient.code or "", hit.fact or ""]
    return ", ".join(p for p in parts if p)


class SearchResultsModel(RowTableModel["SearchHit"]):
    """One column (a list view shows it); the delegate paints the rest of the hit."""

    columns = (
        Column(
            "Patient",
            lambda hit: hit.patient.name,
            tooltip=lambda hit: f"Matched on {hit.matched_on}",
            accessible=_spoken,
        ),
    )

    timezone: str | None = None  # the clinic's, once it is open: days are on its calendar

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.set_rows(hits)

    def hit(self, row: int) -> SearchHit:
        return self.row_at(row)


def hit_details(hit: SearchHit, timezone: str | None) -> list[str]:
    """The second line of a hit: what tells two people apart (the last visit's day on the
    clinic's calendar, shown once the clinic, and so its zone, is open)."""
    details = [hit.masked_phone]
    if hit.birth_year:
        details.append(f"born {hit.birth_year}")
    if hit.last_visit and timezone:
        details.append(f"last visit {day_text(hit.last_visit, timezone)}")
    if hit.fact:
        details.append(hit.fact)
    return details


class SearchHitDelegate(QStyledItemDelegate):
    """Name and code on the first line; masked phone, birth year / last visit, fact below."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(option.rect.width(), int(option.fontMetrics.height() * 2.6))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        hit: SearchHit = index.data(ROW_ROLE)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(text_colour)
        muted.setAlpha(170)
        rect = option.rect.adjusted(12, 4, -12, -4)
        line = option.fontMetrics.height()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        top = QRect(rect.left(), rect.top(), rect.width(), line + 2)
        painter.drawText(
            top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, hit.patient.name
        )
        right = float(rect.right())
        if hit.badge:
            right = paint_badge(painter, right, top.center().y(), hit.badge) - 8
        if hit.patient.code:
            painter.setFont(QFont("monospace", option.font.pointSize()))
            painter.drawText(
                QRect(rect.left(), top.top(), int(right) - rect.left(), top.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                hit.patient.code,
            )
        painter.setFont(option.font)
        painter.setPen(muted)
        details = hit_details(hit, getattr(index.model(), "timezone", None))
        bottom = QRect(rect.left(), top.bottom() + 2, rect.width(), line + 2)
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "  ·  ".join(d for d in details if d),
        )
        painter.restore()


class SearchBar(QWidget):
    """``searchBox`` plus a drop-down ``searchResults`` list shown under it."""

    patient_chosen = Signal(int)
    hit_chosen = Signal(object)  # the SearchHit, for fields that show who was picked

    def __init__(
        self,
        lookup: Callable[[str], LookupResult],
        tasks: TaskRunner,
        overlay_parent: QWidget,
        parent: QWidget | None = None,
        *,
        name: str = "search",
    ) -> None:
        super().__init__(parent)
        self._lookup = lookup
        self._tasks = tasks
        self._sequence = 0
        self._shown_sequence = 0
        self._choose_on_answer = 0  # Enter came before the answer: pick its top hit

        self.box = QLineEdit(self)
        self.box.setObjectName(f"{name}Box")
        self.box.setPlaceholderText("Search code, phone, name or email…   Ctrl+K")
        self.box.setAccessibleName("Search patients")
        self.box.setClearButtonEnabled(True)
        self.box.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)

        self.popup = QFrame(overlay_parent)
        self.popup.setObjectName(f"{name}Popup")
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        popup_layout = QVBoxLayout(self.popup)
        popup_layout.setContentsMargins(4, 4, 4, 4)
        self.message = QLabel(self.popup)
        self.message.setObjectName(f"{name}Message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.model = SearchResultsModel(self)
        self.results = QListView(self.popup)
        self.results.setObjectName(f"{name}Results")
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(SearchHitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.activated.connect(self._choose)
        popup_layout.addWidget(self.message)
        popup_layout.addWidget(self.results)
        self.popup.hide()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_query)
        self.box.textEdited.connect(lambda _text: self._debounce.start())
        self.box.returnPressed.connect(self._enter)
        self.box.installEventFilter(self)

    # -- typing and answers -------------------------------------------------------------
    def _run_query(self) -> None:
        query = self.box.text().strip()
        self._sequence += 1
        sequence = self._sequence
        if not query:
            self._show(_empty_result(""), sequence)
            return
        self._tasks.read(
            lambda: self._lookup(query),
            lambda result: self._show(result, sequence),
            lambda error: self._show_error(error, sequence),
        )

    def _show(self, result: LookupResult, sequence: int) -> None:
        if sequence < self._shown_sequence:
            return  # a newer answer is already on screen
        self._shown_sequence = sequence
        self.model.set_hits(list(result.hits))
        text = result.message or ""
        if result.suggestions:
            text = (text + " " if text else "") + "Did you mean " + ", ".join(result.suggestions)
        if not result.hits and result.query and not text:
            text = f"No one matches “{result.query}”."
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.results.setVisible(bool(result.hits))
        if result.hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
        self._place_popup(bool(result.query))
        if self._choose_on_answer and sequence == self._choose_on_answer:
            self._choose_on_answer = 0
            # Never on a "did you mean": a mistyped code is shown, not silently accepted.
            if result.hits and result.hits[0].matched_on != "did you mean":
                self._choose(self.model.index(0, 0))

    def _show_error(self, error: BaseException, sequence: int) -> None:
        self._show(
            _empty_result(
                self.box.text(),
                in_words(error, "Search isn't working right now. Please try again."),
            ),
            sequence,
        )

    def _place_popup(self, visible: bool) -> None:
        if not visible:
            self.popup.hide()
            return
        parent = self.popup.parentWidget()
        origin = self.box.mapTo(parent, self.box.rect().bottomLeft())
        rows = min(self.model.rowCount(), 8)
        row_height = self.results.sizeHintForRow(0) if rows else 0
        height = (
            rows * row_height
            + (self.message.sizeHint().height() if self.message.isVisible() else 0)
            + 16
        )
        self.popup.setGeometry(origin.x(), origin.y() + 4, max(self.box.width(), 480), height)
        self.popup.show()
        self.popup.raise_()

    # -- keyboard -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            key = QKeyEvent(event).key() if not isinstance(event, QKeyEvent) else event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(
                    0, min(self.model.rowCount() - 1, self.results.currentIndex().row() + step)
                )
                self.results.setCurrentIndex(self.model.index(row, 0))
                return True
            if key == Qt.Key.Key_Escape:
                self.popup.hide()
                return True
        return super().eventFilter(watched, event)

    def _enter(self) -> None:
        if self._debounce.isActive():
            # Enter pressed before the answer came: ask now and choose the top hit.
            self._debounce.stop()
            self._run_query()
            self._choose_on_answer = self._sequence
            return
        if self.model.rowCount():
            self._choose(self.results.currentIndex())

    def _choose(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.popup.hide()
        hit = self.model.hit(index.row())
        self.patient_chosen.emit(hit.patient.id)
        self.hit_chosen.emit(hit)

    def set_timezone(self, timezone: str) -> None:
        """The clinic is open: its days are the ones the hits show."""
        self.model.timezone = timezone

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()


def _empty_result(query: str, message: str | None = None) -> LookupResult:
    # Imported here: the search box is built before the data layer's modules are loaded.
    from frontdesk.services.records.dto import LookupResult

    return LookupResult(query=query, hits=(), message=message)
