"""Referrals: every referral with its stage badge, filters by stage, period and referrer, and a
side panel with the selected referral's history; the review queue sits in the next tab."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_time import day_text
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.rewards.dto import ReferralRow
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.screens.referrals.detail_panel import ReferralPanel
from frontdesk.ui.screens.referrals.review_queue import ReviewQueue
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.badge_delegate import BadgeDelegate
from frontdesk.ui.widgets.row_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
LIST_ROWS = 2000  # newest first; the filters ask the database for anything older
STAGES = (
    "introduced",
    "booked",
    "attended",
    "rewarded",
    "flagged",
    "blocked",
    "cancelled",
    "expired",
    "rejected",
)
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("Any time", None),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
)


class ReferralTableModel(RowTableModel[ReferralRow]):
    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Stage", lambda r: r.status, tooltip=lambda r: _stage_tip(r)),
            Column("Referrer", lambda r: r.referrer_name),
            Column("Friend", lambda r: r.friend_name),
            Column(
                "Introduced",
                lambda r: day_text(r.created_at, timezone),
                sort=lambda r: r.created_at,
            ),
            Column(
                "First visit",
                lambda r: day_text(r.attended_at, timezone),
                sort=lambda r: r.attended_at.isoformat() if r.attended_at else "",
            ),
            Column(
                "Rewards", lambda r: r.rewards.replace(" credit", ""), tooltip=lambda r: r.rewards
            ),
            Column(
                "Flags",
                lambda r: f"⚑ {r.open_flags} to review" if r.open_flags else "",
                sort=lambda r: r.open_flags,
            ),
        )


def _stage_tip(row: ReferralRow) -> str:
    if row.status == "flagged" and row.held_status:
        return f"Held for review at “{row.held_status}”"
    return row.status


class ReferralFilter(QSortFilterProxyModel):
    """Stage, period (by introduction date) and a referrer/friend text filter."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.stage: str | None = None
        self.days: int | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_filters(self, stage: str | None, days: int | None, text: str) -> None:
        modern = hasattr(self, "beginFilterChange")  # Qt 6.9+; older Qt re-filters on demand
        if modern:
            self.beginFilterChange()
        self.stage, self.days, self.text = stage, days, " ".join(text.lower().split())
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        row: ReferralRow = model.index(source_row, 0, source_parent).data(ROW_ROLE)
        if self.stage and row.status != self.stage:
            return False
        if self.days is not None:
            since = self._services.ctx.clock.now() - timedelta(days=self.days)
            if row.created_at < since:
                return False
        if self.text:
            people = [row.referrer_name, row.friend_name]
            people += [p.code or "" for p in (row.referrer, row.referee) if p]
            if not any(self.text in p.lower() for p in people):
                return False
        return True


class ReferralsScreen(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._tasks, self._events = services, tasks, events
        self._latest = LatestAnswer()
        self._requery = QTimer(self)
        self._requery.setSingleShot(True)
        self._requery.setInterval(250)
        self._requery.timeout.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = QLabel("Referrals", self)
        title.setObjectName("screenTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("referralTabs")
        layout.addWidget(self.tabs, 1)

        listing = QWidget(self)
        column = QVBoxLayout(listing)
        column.setContentsMargins(0, 8, 0, 0)
        column.addLayout(self._filters(listing))
        self.model = ReferralTableModel(timezone, self)
        self.proxy = ReferralFilter(services, self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(listing)
        self.table.setObjectName("referralTable")
        self.table.setAccessibleName("Referrals")
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(0, BadgeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((110, 160, 160, 95, 95, 130)):
            self.table.setColumnWidth(col, width)
        self.panel = ReferralPanel(services, tasks, events, actor, timezone, listing)
        split = QSplitter(listing)
        split.addWidget(self.table)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([880, 400])
        column.addWidget(split, 1)
        self.count = QLabel("", listing)
        self.count.setObjectName("referralCount")
        column.addWidget(self.count)
        self.tabs.addTab(listing, "All referrals")

        self.queue = ReviewQueue(services, tasks, events, actor, timezone, self)
        self.tabs.addTab(self.queue, "Review queue")
        self.queue.counted.connect(self._queue_counted)

        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.proxy.rowsInserted.connect(self._show_count)
        self.proxy.modelReset.connect(self._show_count)
        self.proxy.layoutChanged.connect(self._show_count)
        for signal in (events.referrals_changed, events.rewards_changed, events.flags_changed):
            signal.connect(self.reload)
        self.reload()

    def _filters(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.stage = QComboBox(parent)
        self.stage.setObjectName("stageFilter")
        self.stage.setAccessibleName("Stage")
        self.stage.addItem("Every stage", None)
        for stage in STAGES:
            self.stage.addItem(stage.capitalize(), stage)
        self.period = QComboBox(parent)
        self.period.setObjectName("periodFilter")
        self.period.setAccessibleName("Period")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        self.search = QLineEdit(parent)
        self.search.setObjectName("referrerFilter")
        self.search.setAccessibleName("Referrer or friend")
        self.search.setPlaceholderText("Referrer or friend: name or code")
        self.search.setClearButtonEnabled(True)
        for label, widget in (("Stage", self.stage), ("Introduced", self.period)):
            caption = QLabel(label, parent)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        row.addWidget(self.search, 1)
        self.stage.currentIndexChanged.connect(self._apply)
        self.period.currentIndexChanged.connect(self._apply)
        self.search.textChanged.connect(self._apply)
        return row

    def _apply(self) -> None:
        self.proxy.set_filters(
            self.stage.currentData(), self.period.currentData(), self.search.text()
        )
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            f"{shown} of {total} referrals" if shown != total else f"{total} referrals"
        )

    def reload(self) -> None:
        ticket, services = self._latest.ask(), self._services
        stage, days, text = self.stage.currentData(), self.period.currentData(), self.search.text()

        def load() -> list[ReferralRow]:
            since = services.ctx.clock.now() - timedelta(days=days) if days else None
            people = None
            if len(text.strip()) >= 2:
                people = [hit.patient.id for hit in services.lookup.lookup(text, limit=50).hits]
            return services.referrals.list(
                stage, since=since, patient_ids=people, prospect=text, limit=LIST_ROWS
            )

        self._tasks.read(load, ticket(self._loaded))

    def _loaded(self, rows: list[ReferralRow]) -> None:
        selected = self.panel.referral_id
        self.model.set_rows(rows)
        self._show_count()
        if selected is not None:
            self.select(selected)

    def select(self, referral_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ROW_ROLE).id == referral_id:
                self.table.setCurrentIndex(index)
                return

    def _selected(self, current: AnyIndex, _previous: AnyIndex) -> None:
        if current.isValid():
            self.panel.show_referral(current.data(ROW_ROLE).id)

    def _queue_counted(self, count: int) -> None:
        self.tabs.setTabText(1, f"Review queue ({count})" if count else "Review queue")
