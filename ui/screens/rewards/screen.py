"""Rewards: everyone's balance, one patient's rewards and ledger with redeem-at-checkout, and
the owner's approval queue (owner-only actions are marked as such)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.rewards.dto import Balance, RewardView
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.screens.rewards.patient_panel import PatientRewardsPanel
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel
from frontdesk.ui.widgets.tables import make_table

AnyIndex = QModelIndex | QPersistentModelIndex
SWEEP_MS = 30 * 60 * 1000
SEARCH_DEBOUNCE_MS = 200
SEARCH_HITS = 50
FIRST_SWEEP_MS = 3000


class BalanceTableModel(RowTableModel[Balance]):
    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Patient", lambda b: b.patient.name),
            Column("Code", lambda b: b.patient.code or ""),
            Column(
                "Available",
                lambda b: b.available,
                sort=lambda b: b.available_minor,
                align_right=True,
            ),
            Column(
                "On hold",
                lambda b: b.on_hold if b.on_hold_minor else "",
                sort=lambda b: b.on_hold_minor,
                align_right=True,
            ),
            Column("Offers", lambda b: ", ".join(o.amount for o in b.offers)),
            Column(
                "Next expiry",
                lambda b: day_text(b.next_expiry, timezone),
                sort=lambda b: b.next_expiry.isoformat() if b.next_expiry else "9999",
            ),
        )


class PendingTableModel(RowTableModel[RewardView]):
    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Patient", lambda r: r.patient.name),
            Column("For", lambda r: {"new_patient": "new patient"}.get(r.role, r.role)),
            Column("Reward", lambda r: r.amount),
            Column("Referral", lambda r: f"#{r.referral_id}" if r.referral_id else ""),
            Column("Earned", lambda r: day_text(r.issued_at, timezone), sort=lambda r: r.issued_at),
        )


class BalanceSort(QSortFilterProxyModel):
    """Sorts by the real values behind the text (amounts, dates)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)


class RewardsScreen(QWidget):
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
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._timezone = timezone  # the clinic's: every time shown is on its wall clock
        self._latest = LatestAnswer()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        title = QLabel("Rewards", self)
        title.setObjectName("screenTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("rewardTabs")
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._balances_tab(), "Balances")
        self.tabs.addTab(self._approvals_tab(), "Awaiting approval")
        for signal in (events.rewards_changed, events.flags_changed, events.settings_changed):
            signal.connect(self.reload)
        events.patient_opened.connect(self.panel.show_patient)
        # Holds end and credit expires with time: tidy up soon after start, then every half hour.
        self._sweeper = QTimer(self)
        self._sweeper.setInterval(SWEEP_MS)
        self._sweeper.timeout.connect(self.sweep)
        self._sweeper.start()
        QTimer.singleShot(FIRST_SWEEP_MS, self, self.sweep)
        self.reload()

    def sweep(self) -> None:
        services, actor = self._services, self._actor

        def work() -> int:
            report = services.rewards.sweep(actor)
            expired = services.referrals.expire_due(actor)
            return report.released_rewards + report.expired_rewards + expired

        self._tasks.write(work, self._swept)

    def _swept(self, changed: int) -> None:
        # The window may have closed while the sweep ran (it runs on its own timer).
        if changed and shiboken6.isValid(self._events):
            self._events.announce(Changes.of(Topic.REWARDS, Topic.REFERRALS))

    # -- balances ----------------------------------------------------------------------------
    def _balances_tab(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 8, 0, 0)
        self.filter = QLineEdit(page)
        self.filter.setObjectName("balanceFilter")
        self.filter.setAccessibleName("Find a patient")
        self.filter.setPlaceholderText("Find a patient by name or code")
        self.filter.setClearButtonEnabled(True)
        column.addWidget(self.filter)
        self.balances = BalanceTableModel(self._timezone, self)
        self.balance_proxy = BalanceSort(self)
        self.balance_proxy.setSourceModel(self.balances)
        self.balance_table = make_table(page, "balanceTable", "Reward balances")
        self.balance_table.setModel(self.balance_proxy)
        self.balance_table.setSortingEnabled(True)
        self.balance_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        for col, width in enumerate((170, 120, 80, 70, 90)):
            self.balance_table.setColumnWidth(col, width)
        self.panel = PatientRewardsPanel(
            self._services, self._tasks, self._events, self._actor, self._timezone, page
        )
        split = QSplitter(page)
        split.addWidget(self.balance_table)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 700])
        column.addWidget(split, 1)
        # Beyond the top of the list, anyone is found the way the search box finds them.
        self._search = QTimer(self)
        self._search.setSingleShot(True)
        self._search.setInterval(SEARCH_DEBOUNCE_MS)
        self._search.timeout.connect(self._load_balances)
        self.filter.textChanged.connect(self._search.start)
        self.balance_table.selectionModel().currentRowChanged.connect(self._balance_selected)
        return page

    def _balance_selected(self, current: AnyIndex, _previous: AnyIndex) -> None:
        if current.isValid():
            self.panel.show_patient(current.data(ROW_ROLE).patient.id)

    # -- approvals ---------------------------------------------------------------------------
    def _approvals_tab(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 8, 0, 0)
        hint = QLabel(
            "With manual delivery, each reward waits here for an owner. Approving makes it "
            "usable and texts the patient; declining cancels it.",
            page,
        )
        hint.setObjectName("fieldHelp")
        hint.setWordWrap(True)
        column.addWidget(hint)
        self.pending = PendingTableModel(self._timezone, self)
        self.pending_table = make_table(page, "approvalTable", "Rewards awaiting approval")
        self.pending_table.setModel(self.pending)
        column.addWidget(self.pending_table, 1)
        row = QHBoxLayout()
        self.decline_reason = QLineEdit(page)
        self.decline_reason.setObjectName("declineReason")
        self.decline_reason.setAccessibleName("Why the reward is declined")
        self.decline_reason.setPlaceholderText("Reason to decline")
        self.approve = QPushButton(qta.icon("mdi6.check"), "Approve", page)
        self.approve.setObjectName("approveReward")
        self.decline = QPushButton(qta.icon("mdi6.close"), "Decline", page)
        self.decline.setObjectName("declineReward")
        row.addWidget(self.decline_reason, 1)
        row.addWidget(self.approve)
        row.addWidget(self.decline)
        owner = QLabel(page)
        owner.setPixmap(qta.icon("mdi6.lock-outline", color="#475467").pixmap(16, 16))
        owner.setToolTip("Owner-only actions")
        row.addWidget(owner)
        row.addWidget(QLabel("Owner only", page))
        if not self._actor.is_owner:
            for button in (self.approve, self.decline):
                button.setEnabled(False)
                button.setToolTip("Only an owner can approve or decline rewards.")
        column.addLayout(row)
        self.approval_message = QLabel("", page)
        self.approval_message.setObjectName("approvalMessage")
        self.approval_message.setWordWrap(True)
        column.addWidget(self.approval_message)
        self.approve.clicked.connect(lambda: self._decide(approve=True))
        self.decline.clicked.connect(lambda: self._decide(approve=False))
        return page

    def _decide(self, *, approve: bool) -> None:
        index = self.pending_table.currentIndex()
        if not index.isValid():
            self._say("Choose a reward in the list first.", ok=False)
            return
        reward_id, actor, reason = index.data(ROW_ROLE).id, self._actor, self.decline_reason.text()
        rewards = self._services.rewards
        if approve:
            self._tasks.write(
                lambda: rewards.approve(actor, reward_id),
                lambda result: self._decided(result[1]),
                self._failed,
            )
        else:
            self._tasks.write(
                lambda: rewards.decline(actor, reward_id, reason),
                lambda view: self._decided(f"Declined {view.patient.name}'s {view.amount}."),
                self._failed,
            )

    def _decided(self, text: str) -> None:
        self.decline_reason.clear()
        self._say(text, ok=True)
        self._events.announce(Changes.of(Topic.REWARDS, Topic.REFERRALS))

    def _failed(self, error: BaseException) -> None:
        self._say(in_words(error), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.approval_message.setStyleSheet("color: #067647;" if ok else "color: #B42318;")
        self.approval_message.setText(text)

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        self._load_balances()
        self._tasks.read(self._services.rewards.pending_approvals, self._pending_loaded)
        self.panel.refresh()

    def _load_balances(self) -> None:
        ticket, text, services = self._latest.ask(), self.filter.text().strip(), self._services

        def load() -> list[Balance]:
            if not text:
                return services.rewards.balances()
            hits = services.lookup.lookup(text, limit=SEARCH_HITS).hits
            return services.rewards.balances([hit.patient.id for hit in hits])

        self._tasks.read(load, ticket(self.balances.set_rows))

    def _pending_loaded(self, rows: list[RewardView]) -> None:
        self.pending.set_rows(rows)
        count = len(rows)
        self.tabs.setTabText(1, f"Awaiting approval ({count})" if count else "Awaiting approval")
