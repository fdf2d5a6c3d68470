"""The patient card: who this is, what matters right now, and the check-in bar.

Facts appear only when they are true (credit, an open offer, a referral this visit
completes, a flag), so the card stays short and the important line is never buried.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_time import calendar_text, day_text
from frontdesk.domain.money import format_money, from_minor
from frontdesk.services.patients.dto import PatientCard, ReferralLine
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.widgets.status_pill import StatusPill

MADE_SHOWN = 3
UNDO_SHOWN_MS = 60_000


def _plain(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class FactRow(QFrame):
    """An icon, a sentence, an optional stage pill and an optional button."""

    def __init__(self, name: str, icon: str, colour: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 3, 0, 3)
        row.setSpacing(10)
        self.icon = QLabel(self)
        self.icon.setPixmap(qta.icon(icon, color=colour).pixmap(22, 22))
        self.icon.setFixedWidth(26)
        self.text = _plain("", self, f"{name}Text")
        self.pill = StatusPill("", self)
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        row.addWidget(self.pill)
        self.row = row

    def set(self, text: str | None, status: str = "") -> None:
        self.setVisible(bool(text))
        self.text.setText(text or "")
        self.pill.set_status(status if text else "")


class PatientCardView(QFrame):
    check_in_requested = Signal(str, str, bool)  # visit type, amount typed, happy
    attach_requested = Signal()
    undo_requested = Signal(int)  # visit id

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientCard")
        self._timezone = timezone  # the clinic's: days shown are on its calendar
        self.card: PatientCard | None = None

        self.name = _plain("", self, "cardName")
        self.code = QLabel(self)
        self.code.setObjectName("cardCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = QToolButton(self)
        copy.setObjectName("copyCodeButton")
        copy.setIcon(qta.icon("mdi6.content-copy", color="#475467"))
        copy.setToolTip("Copy the code and referral link")
        copy.setAccessibleName("Copy code")
        copy.clicked.connect(self._copy)
        self.contact = _plain("", self, "cardContact")
        self.history = _plain("", self, "cardHistory")
        head = QHBoxLayout()
        head.addWidget(self.name, 1)
        head.addWidget(self.code)
        head.addWidget(copy)

        self.credit = FactRow("cardCredit", "mdi6.cash-multiple", "#067647", self)
        self.welcome = FactRow("cardWelcome", "mdi6.gift-outline", "#0E7C86", self)
        self.completes = FactRow("cardCompletes", "mdi6.check-decagram-outline", "#067647", self)
        self.referred_by = FactRow(
            "cardReferredBy", "mdi6.account-arrow-left-outline", "#475467", self
        )
        self.made = FactRow("cardReferrals", "mdi6.account-multiple-plus-outline", "#475467", self)
        self.flag = FactRow("cardFlag", "mdi6.flag-outline", "#6941C6", self)
        self.attach = FactRow("cardLateAttach", "mdi6.calendar-clock", "#B54708", self)
        self.attach_button = QPushButton("Attach referrer…", self.attach)
        self.attach_button.setObjectName("lateAttachButton")
        self.attach_button.setToolTip("The friend who sent them forgot to give a code")
        self.attach_button.clicked.connect(self.attach_requested.emit)
        self.attach.row.addWidget(self.attach_button)

        self.attach_slot = QVBoxLayout()  # the late-attach panel goes here when open

        self.visit_type = QComboBox(self)
        self.visit_type.setObjectName("visitTypeField")
        self.visit_type.setAccessibleName("Visit type")
        self.visit_type.setMinimumWidth(170)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("amountField")
        self.amount.setAccessibleName("Amount paid")
        self.amount.setPlaceholderText("0.00")
        self.amount.setMaximumWidth(110)
        self.amount.setMaxLength(20)
        self.happy = QPushButton(qta.icon("mdi6.emoticon-happy-outline"), "Happy", self)
        self.happy.setObjectName("happyToggle")
        self.happy.setCheckable(True)
        self.happy.setToolTip("They left happy (Ctrl+H): may trigger a referral ask")
        self.check_in = QPushButton(qta.icon("mdi6.check-circle-outline", color="white"), "", self)
        self.check_in.setObjectName("checkInButton")
        self.check_in.setText("Check in  ⏎")
        self.check_in.setDefault(True)
        self.check_in.clicked.connect(self._request)
        self.amount.returnPressed.connect(self._request)
        self.visit_type.installEventFilter(self)
        self.happy.installEventFilter(self)
        self.amount_error = _plain("", self, "amountError")
        self.amount_error.setProperty("role", "fieldError")
        self.amount_error.hide()
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(QLabel("Visit type", self))
        bar.addWidget(self.visit_type)
        bar.addSpacing(8)
        bar.addWidget(QLabel("Amount", self))
        bar.addWidget(self.amount)
        bar.addWidget(self.happy)
        bar.addStretch(1)
        bar.addWidget(self.check_in)

        self.confirmation = _plain("", self, "checkinConfirmation")
        self.confirmation.hide()
        self.undo = QPushButton(qta.icon("mdi6.undo"), "Undo", self)
        self.undo.setObjectName("undoCheckinButton")
        self.undo.setToolTip("Take back this check-in (for a minute)")
        self.undo.hide()
        self._undo_visit: int | None = None
        self.undo.clicked.connect(self._undo)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SHOWN_MS)
        self._undo_timer.timeout.connect(self.undo.hide)
        self.failure = _plain("", self, "checkinError")
        self.failure.setProperty("role", "fieldError")
        self.failure.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.contact)
        layout.addWidget(self.history)
        layout.addWidget(self._rule())
        for row in (
            self.completes,
            self.credit,
            self.welcome,
            self.flag,
            self.referred_by,
            self.made,
            self.attach,
        ):
            layout.addWidget(row)
        layout.addLayout(self.attach_slot)
        layout.addWidget(self._rule())
        layout.addLayout(bar)
        layout.addWidget(self.amount_error)
        layout.addWidget(self.failure)
        done = QHBoxLayout()
        done.addWidget(self.confirmation, 1)
        done.addWidget(self.undo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(done)
        layout.addStretch(1)

        QShortcut(QKeySequence("Ctrl+H"), self, activated=self.happy.toggle).setContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )

    def _rule(self) -> QFrame:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("cardRule")
        return line

    # -- showing --------------------------------------------------------------------------
    def show_card(self, card: PatientCard, visit_types: list[str], suggested: str) -> None:
        same_patient = self.card is not None and self.card.patient.id == card.patient.id
        self.card = card
        self.name.setText(card.patient.name)
        self.code.setText(card.patient.code or "")
        contact = [card.masked_phone, card.masked_email or "", card.sms_status]
        self.contact.setText("  ·  ".join(part for part in contact if part))
        self.history.setText(_history(card, self._timezone))
        money = format_money(card.credit_minor, card.currency)
        self.amount.setPlaceholderText(str(from_minor(0, card.currency)))  # "0.00", yen "0"
        self.credit.set(f"{money} credit available to redeem" if card.credit_minor else None)
        self.welcome.set(f"Welcome offer: {card.welcome_offer}" if card.welcome_offer else None)
        self.completes.set(card.completes_referral)
        line = card.referred_by
        self.referred_by.set(
            f"Referred by {line.other} on {day_text(line.at, self._timezone)}" if line else None,
            line.status if line else "",
        )
        self.made.set(_made(card.referrals_made))
        self.flag.set(f"Flagged for the owner: {card.flag}" if card.flag else None)
        self._show_attach(card)
        self.visit_type.clear()
        self.visit_type.addItems(visit_types)
        self.visit_type.setCurrentText(suggested)
        if not same_patient:
            self.amount.clear()
            self.happy.setChecked(False)
            self.confirmation.hide()
            self.undo.hide()
        self.amount_error.hide()
        self.failure.hide()
        self.set_busy(False)

    def _show_attach(self, card: PatientCard) -> None:
        if card.can_attach_referrer and card.visits:
            until = (
                f" until {calendar_text(card.late_attach_until)}" if card.late_attach_until else ""
            )
            self.attach.set(f"No referrer on file. A forgotten one can be attached{until}.")
            self.attach_button.setEnabled(True)
        elif card.can_attach_referrer:
            self.attach.set("No referrer on file.")
            self.attach_button.setEnabled(True)
        else:
            self.attach.set(None)

    def show_confirmation(self, notes: tuple[str, ...], undo_visit: int | None = None) -> None:
        self.failure.hide()
        self.confirmation.setText("\n".join(f"✓ {note}" for note in notes))
        self.confirmation.show()
        self._undo_visit = undo_visit
        self.undo.setVisible(undo_visit is not None)
        if undo_visit is not None:
            self._undo_timer.start()

    def _undo(self) -> None:
        if self._undo_visit is not None:
            self.undo.hide()
            self.undo_requested.emit(self._undo_visit)
            self._undo_visit = None

    def show_failure(self, message: str) -> None:
        self.failure.setText(message)
        self.failure.show()
        self.set_busy(False)

    def show_amount_error(self, message: str) -> None:
        self.amount_error.setText(message)
        self.amount_error.show()
        self.amount.setFocus()
        self.amount.selectAll()

    def set_busy(self, busy: bool) -> None:
        self.check_in.setEnabled(not busy and self.card is not None)
        self.check_in.setText("Checking in…" if busy else "Check in  ⏎")

    def ready(self) -> None:
        """Put the keyboard where the next key press is most likely: the Check in button."""
        self.check_in.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions --------------------------------------------------------------------------
    def _request(self) -> None:
        if self.card is None or not self.check_in.isEnabled():
            return
        self.amount_error.hide()
        self.check_in_requested.emit(
            self.visit_type.currentText(), self.amount.text(), self.happy.isChecked()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on the visit type or the happy toggle checks in, like on the button itself.
        # (Only these: Enter in the late-attach panel's fields must never check anyone in.)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._request()
            return True
        return super().eventFilter(watched, event)

    def _copy(self) -> None:
        if self.card and self.card.patient.code:
            text = self.card.patient.code
            if self.card.link:
                text += f"  {self.card.link}"
            QGuiApplication.clipboard().setText(text)


def _history(card: PatientCard, zone: str) -> str:
    parts = []
    if card.visits:
        parts.append(f"{card.visits} visit{'s' if card.visits != 1 else ''}")
        if card.last_visit:
            parts.append(f"last {day_text(card.last_visit, zone)}")
    else:
        parts.append("First visit today" if not card.checked_in_today else "")
    if card.birth_year:
        parts.append(f"born {card.birth_year}")
    if card.checked_in_today:
        parts.append("checked in today")
    return "  ·  ".join(p for p in parts if p)


def _made(lines: tuple[ReferralLine, ...]) -> str | None:
    if not lines:
        return None
    names = ", ".join(f"{line.other} ({line.status})" for line in lines[:MADE_SHOWN])
    more = f" and {len(lines) - MADE_SHOWN} more" if len(lines) > MADE_SHOWN else ""
    count = f"{len(lines)} friend{'s' if len(lines) != 1 else ''}"
    return f"Referred {count}: {names}{more}"
