"""One patient's rewards and ledger, and redeeming credit (or an offer) at checkout."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.clinic_time import day_text, when_text
from frontdesk.domain.errors import FrontdeskError, in_words
from frontdesk.domain.money import parse_amount
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.rewards.dto import LedgerLine, PatientRewards, RewardView
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import ROW_ROLE, Column, RowTableModel
from frontdesk.ui.widgets.tables import make_table


class RewardTableModel(RowTableModel[RewardView]):
    columns = (
        Column("Reward", lambda r: r.amount),
        Column(
            "For", lambda r: {"new_patient": "welcome", "bonus": "bonus"}.get(r.role, "referral")
        ),
        Column("Left", lambda r: r.remaining, sort=lambda r: r.remaining_minor, align_right=True),
        Column("State", lambda r: r.state, tooltip=lambda r: r.note),
    )


class LedgerTableModel(RowTableModel[LedgerLine]):
    def __init__(self, timezone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("When", lambda e: when_text(e.at, timezone), sort=lambda e: e.at),
            Column("Entry", lambda e: e.entry_type),
            Column("Amount", lambda e: e.amount, sort=lambda e: e.amount_minor, align_right=True),
            Column("Reward", lambda e: e.what),
            Column("By", lambda e: e.by),
            Column("Why", lambda e: e.reason or ""),
        )


class PatientRewardsPanel(QFrame):
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
        self.setObjectName("patientRewards")
        self._timezone = timezone  # the clinic's: every time shown is on its wall clock
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._latest = LatestAnswer()
        self.patient_id: int | None = None
        self.currency = "GBP"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        self.heading = QLabel("Choose a patient to see their rewards.", self)
        self.heading.setObjectName("panelHeading")
        self.summary = QLabel("", self)
        self.summary.setObjectName("balanceSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        self.rewards = RewardTableModel(self)
        self.reward_table = make_table(self, "patientRewardTable", "This patient's rewards")
        self.reward_table.setModel(self.rewards)
        self.ledger = LedgerTableModel(timezone, self)
        self.ledger_table = make_table(self, "ledgerTable", "Ledger")
        self.ledger_table.setModel(self.ledger)
        for col, width in enumerate((110, 70, 80, 120, 70)):
            self.ledger_table.setColumnWidth(col, width)
        for col, width in enumerate((220, 80, 80)):
            self.reward_table.setColumnWidth(col, width)
        layout.addWidget(self.reward_table, 2)
        ledger_label = QLabel("Ledger", self)
        ledger_label.setObjectName("sectionLabel")
        layout.addWidget(ledger_label)
        layout.addWidget(self.ledger_table, 3)
        layout.addLayout(self._checkout())
        self.message = QLabel("", self)
        self.message.setObjectName("redeemMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._enable(False)

    def _checkout(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.bill = QLineEdit(self)
        self.bill.setObjectName("billAmount")
        self.bill.setAccessibleName("Bill")
        self.bill.setPlaceholderText("Bill (optional)")
        self.amount = QLineEdit(self)
        self.amount.setObjectName("redeemAmount")
        self.amount.setAccessibleName("Credit to use")
        self.amount.setPlaceholderText("Credit to use, e.g. 12.50")
        self.redeem = QPushButton("Redeem credit", self)
        self.redeem.setObjectName("redeemButton")
        self.use_offer = QPushButton("Use selected offer", self)
        self.use_offer.setObjectName("useOffer")
        self.use_offer.setToolTip("Use the percentage, free item or voucher chosen above")
        for widget in (QLabel("Checkout:", self), self.bill, self.amount):
            row.addWidget(widget)
        row.addWidget(self.redeem)
        row.addWidget(self.use_offer)
        self.amount.returnPressed.connect(self._redeem)
        self.redeem.clicked.connect(self._redeem)
        self.use_offer.clicked.connect(self._use_offer)
        return row

    def _enable(self, on: bool) -> None:
        for widget in (self.bill, self.amount, self.redeem, self.use_offer):
            widget.setEnabled(on)

    # -- showing -----------------------------------------------------------------------------
    def show_patient(self, patient_id: int) -> None:
        if patient_id != self.patient_id:
            self.message.clear()
        self.patient_id = patient_id
        self.refresh()

    def refresh(self) -> None:
        if self.patient_id is None:
            return
        ticket, patient_id = self._latest.ask(), self.patient_id
        self._tasks.read(
            lambda: self._services.rewards.patient_rewards(patient_id),
            ticket(self._show),
            ticket(self._failed),
        )

    def _show(self, found: PatientRewards) -> None:
        balance = found.balance
        self.currency = balance.currency
        self.heading.setText(f"{balance.patient.name} · {balance.patient.code or ''}")
        parts = [f"{balance.available} credit available"]
        if balance.on_hold_minor:
            parts.append(f"{balance.on_hold} on hold")
        if balance.offers:
            parts.append("offers: " + ", ".join(o.amount for o in balance.offers))
        if balance.next_expiry:
            parts.append(f"next expiry {day_text(balance.next_expiry, self._timezone)}")
        self.summary.setText(" · ".join(parts))
        self.rewards.set_rows(found.rewards)
        self.ledger.set_rows(found.ledger)
        self._enable(True)

    # -- checkout ----------------------------------------------------------------------------
    def _redeem(self) -> None:
        if self.patient_id is None:
            return
        try:
            amount = parse_amount(self.amount.text(), self.currency, signed=True)
            bill_text = self.bill.text()
            bill = parse_amount(bill_text, self.currency) if bill_text.strip() else None
        except FrontdeskError as error:
            self._say(error.message, ok=False)
            return
        patient_id, actor, rewards = self.patient_id, self._actor, self._services.rewards
        self._tasks.write(
            lambda: rewards.redeem(actor, patient_id, amount, bill_minor=bill),
            lambda done: self._done(done.message),
            self._failed,
        )

    def _use_offer(self) -> None:
        index = self.reward_table.currentIndex()
        if not index.isValid():
            self._say("Choose the offer to use in the list above.", ok=False)
            return
        reward: RewardView = index.data(ROW_ROLE)
        actor, rewards = self._actor, self._services.rewards
        self._tasks.write(
            lambda: rewards.redeem_offer(actor, reward.id),
            lambda used: self._done(
                f"{used.patient.name} used {used.amount}.", Changes.of(Topic.REWARDS)
            ),
            self._failed,
        )

    def _done(self, text: str, not_reported: Changes | None = None) -> None:
        self.amount.clear()
        self.bill.clear()
        self._say(text, ok=True)
        if not_reported:  # a write whose result does not yet carry its changes
            self._events.announce(not_reported)

    def _failed(self, error: BaseException) -> None:
        # What was typed stays, so the desk can correct the amount.
        self._say(in_words(error), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else "color: #B42318;")
        self.message.setText(text)
