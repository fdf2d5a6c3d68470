"""The side panel of the referrals list: who, the stage, the full history (who did what,
when, why), the rewards, and the desk's actions (booked, cancelled)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.clinic_time import day_text, when_text
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.referrals.service import ReferralDetail
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.badge import BADGE_COLOURS

BOOKABLE = ("introduced", "cancelled")
CANCELLABLE = ("introduced", "booked")


class ReferralPanel(QFrame):
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
        self.setObjectName("referralPanel")
        self._timezone = timezone  # the clinic's: every day and time shown is on its clock
        self.setMinimumWidth(340)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._latest = LatestAnswer()
        self.referral_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        self.heading = QLabel("Choose a referral to see its history.", self)
        self.heading.setObjectName("panelHeading")
        self.heading.setWordWrap(True)
        self.stage = QLabel("", self)
        self.stage.setObjectName("panelStage")
        self.facts = QLabel("", self)
        self.facts.setObjectName("panelFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        history_label = QLabel("History", self)
        history_label.setObjectName("sectionLabel")
        self.history = QListWidget(self)
        self.history.setObjectName("referralHistory")
        self.history.setAccessibleName("History of this referral")
        self.history.setWordWrap(True)
        self.rewards = QLabel("", self)
        self.rewards.setObjectName("panelRewards")
        self.rewards.setWordWrap(True)
        self.rewards.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (self.heading, self.stage, self.facts, history_label):
            layout.addWidget(widget)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.rewards)
        layout.addLayout(self._actions())
        self.message = QLabel("", self)
        self.message.setObjectName("panelMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._set_enabled(None)

    def _actions(self) -> QVBoxLayout:
        box = QVBoxLayout()
        book_row = QHBoxLayout()
        self.book_date = QDateEdit(self)
        self.book_date.setObjectName("bookDate")
        self.book_date.setAccessibleName("Appointment date")
        self.book_date.setCalendarPopup(True)
        self.book_date.setDisplayFormat("d MMM yyyy")
        self.book_date.setDate(QDate.currentDate())
        self.book = QPushButton("Mark booked", self)
        self.book.setObjectName("bookReferral")
        self.book.setToolTip("The friend booked their first visit (for the date shown)")
        book_row.addWidget(QLabel("Friend booked for", self))
        book_row.addWidget(self.book_date)
        book_row.addWidget(self.book)
        cancel_row = QHBoxLayout()
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cancelReason")
        self.reason.setAccessibleName("Why it is cancelled")
        self.reason.setPlaceholderText("Why? e.g. friend cancelled")
        self.cancel = QPushButton("Cancel referral", self)
        self.cancel.setObjectName("cancelReferral")
        cancel_row.addWidget(self.reason, 1)
        cancel_row.addWidget(self.cancel)
        box.addLayout(book_row)
        box.addLayout(cancel_row)
        self.book.clicked.connect(self._book)
        self.cancel.clicked.connect(self._cancel)
        return box

    # -- showing -----------------------------------------------------------------------------
    def show_referral(self, referral_id: int) -> None:
        if referral_id != self.referral_id:
            self.message.clear()
        self.referral_id = referral_id
        ticket = self._latest.ask()
        self._tasks.read(
            lambda: self._services.referrals.detail(referral_id),
            ticket(self._show),
            ticket(self._failed),
        )

    def _show(self, detail: ReferralDetail) -> None:
        row = detail.referral
        self.heading.setText(f"{row.referrer_name} → {row.friend_name}")
        colour = BADGE_COLOURS.get(row.status, "#475467")
        held = f" (held at {row.held_status})" if row.held_status else ""
        self.stage.setText(
            f'<span style="background:{colour}; color:white; padding:2px 8px; '
            f'border-radius:8px; font-weight:600">&nbsp;{row.status}&nbsp;</span>{held}'
        )
        facts = [f"Introduced {day_text(row.created_at, self._timezone)} ({row.channel})"]
        if row.code_used:
            facts.append(f"Code used: {row.code_used}")
        if row.booked_for:
            facts.append(f"Booked for {day_text(row.booked_for, self._timezone)}")
        if row.attended_at:
            facts.append(f"First visit {day_text(row.attended_at, self._timezone)}")
        if row.open_flags:
            facts.append(f"{row.open_flags} flag(s) waiting in the review queue")
        self.facts.setText("\n".join(facts))
        self.history.clear()
        for event in detail.events:
            came = f"{event.from_status} → " if event.from_status else ""
            why = f"\n    {event.reason}" if event.reason else ""
            self.history.addItem(
                f"{when_text(event.at, self._timezone)}  {came}{event.to_status} · {event.by}{why}"
            )
        lines = [f"{r.patient.name}: {r.amount} — {r.state}" for r in detail.rewards]
        self.rewards.setText("Rewards\n" + "\n".join(lines) if lines else "No rewards yet.")
        self._set_enabled(row.status)

    def _set_enabled(self, status: str | None) -> None:
        self.book.setEnabled(status in BOOKABLE)
        self.book_date.setEnabled(status in BOOKABLE)
        self.cancel.setEnabled(status in CANCELLABLE)
        self.reason.setEnabled(status in CANCELLABLE)

    # -- acting ------------------------------------------------------------------------------
    def _book(self) -> None:
        if self.referral_id is None:
            return
        referral_id, actor, services = self.referral_id, self._actor, self._services
        day = self.book_date.date().toPython()

        def book() -> tuple[object, list[str]]:
            tz = ZoneInfo(services.clinic.info().timezone)  # read here: off the GUI thread
            when = datetime.combine(day, time(9, 0), tz).astimezone(UTC)
            return services.referrals.book(actor, referral_id, booked_for=when)

        self._tasks.write(
            book,
            lambda result: self._done(f"Booked for {day:%d %b}. " + " ".join(result[1])),
            self._failed,
        )

    def _cancel(self) -> None:
        if self.referral_id is None:
            return
        referral_id, actor, reason = self.referral_id, self._actor, self.reason.text()
        self._tasks.write(
            lambda: self._services.referrals.cancel(actor, referral_id, reason),
            lambda _row: self._done("Cancelled."),
            self._failed,
        )

    def _done(self, text: str) -> None:
        self.reason.clear()
        self._say(text.strip(), ok=True)
        self._events.announce(Changes.of(Topic.REFERRALS, Topic.REWARDS))

    def _failed(self, error: BaseException) -> None:
        self._say(in_words(error), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else "color: #B42318;")
        self.message.setText(text)
