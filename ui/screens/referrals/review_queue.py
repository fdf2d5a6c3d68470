"""The review queue: one flag at a time, the two people side by side with what they share
highlighted, and the owner's Approve / Reject with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clinic_time import day_text
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.rewards.dto import FlagDecision, FlagView, PersonCard
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.tasks import TaskRunner

FIELDS = (
    ("name", "Name"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("code", "Code"),
    ("on_file_since", "On file since"),
    ("first_visit_at", "First visit"),
)
# Dark text on a pale amber: 4.5:1 and more, and the word "shared" says it without colour.
SHARED_STYLE = "background:#FEF0C7; color:#7A2E0E; border-radius:4px; padding:1px 4px;"


def _shared(field: str, highlight: tuple[str, ...]) -> str | None:
    """What the two people share in this field, in words (None: nothing)."""
    if field == "name":
        return "same surname" if "last_name" in highlight else None
    if field == "email":
        if "email" in highlight:
            return "same email"
        return "same email domain" if "email_domain" in highlight else None
    return f"same {field}" if field in highlight else None


class PersonColumn(QFrame):
    """One person's details; shared ones are highlighted and marked in words."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        heading = QLabel(title, self)
        heading.setObjectName("sectionLabel")
        grid.addWidget(heading, 0, 0, 1, 2)
        self.values: dict[str, QLabel] = {}
        for row, (field, label) in enumerate(FIELDS, start=1):
            caption = QLabel(label, self)
            caption.setObjectName("fieldCaption")
            value = QLabel("", self)
            value.setObjectName(f"{name}:{field}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.values[field] = value
        grid.setColumnStretch(1, 1)

    def show_person(
        self, card: PersonCard | None, fallback: str, highlight: tuple[str, ...], timezone: str
    ) -> None:
        for field, label in self.values.items():
            if card is None:
                label.setText(fallback if field == "name" else "—")
                label.setStyleSheet("")
                continue
            raw = getattr(card, field)
            text = day_text(raw, timezone) if field in ("on_file_since", "first_visit_at") else raw
            shared = _shared(field, highlight)
            label.setText(f"{text or '—'}  ● {shared}" if shared else (text or "—"))
            label.setStyleSheet(SHARED_STYLE if shared else "")
            label.setProperty("shared", bool(shared))


class ReviewQueue(QWidget):
    counted = Signal(int)

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
        self.setObjectName("reviewQueue")
        self._timezone = timezone  # the clinic's: days shown are on its calendar
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self.ids: list[int] = []  # open flags, oldest first
        self.position = 0
        self.flag: FlagView | None = None  # the one on screen
        self._latest = LatestAnswer()
        self.stack = QStackedWidget(self)
        empty = QLabel(
            "Nothing to review. A referral lands here when it looks unusual (the same phone "
            "under two codes, many referrals in a day, one household, or an existing patient).",
            self,
        )
        empty.setObjectName("queueEmpty")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(empty)
        self.stack.addWidget(self._flag_view())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.addWidget(self.stack, 1)
        self.message = QLabel("", self)
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        events.flags_changed.connect(self.reload)
        events.referrals_changed.connect(self.reload)
        self.reload()

    def _flag_view(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        self.where = QLabel("", page)
        self.where.setObjectName("queuePosition")
        self.previous = QPushButton(qta.icon("mdi6.chevron-left"), "", page)
        self.previous.setObjectName("previousFlag")
        self.previous.setToolTip("Previous flag")
        self.previous.setAccessibleName("Previous flag")
        self.next = QPushButton(qta.icon("mdi6.chevron-right"), "", page)
        self.next.setObjectName("nextFlag")
        self.next.setToolTip("Next flag")
        self.next.setAccessibleName("Next flag")
        top.addWidget(self.where, 1)
        top.addWidget(self.previous)
        top.addWidget(self.next)
        layout.addLayout(top)
        self.title = QLabel("", page)
        self.title.setObjectName("flagTitle")
        self.explanation = QLabel("", page)
        self.explanation.setObjectName("flagExplanation")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        sides = QHBoxLayout()
        self.referrer = PersonColumn("Referrer", "referrerCard", page)
        self.referee = PersonColumn("New patient", "refereeCard", page)
        sides.addWidget(self.referrer, 1)
        sides.addWidget(self.referee, 1)
        layout.addLayout(sides)
        self.held = QLabel("", page)
        self.held.setObjectName("heldRewards")
        self.held.setWordWrap(True)
        layout.addWidget(self.held)
        decide = QHBoxLayout()
        self.reason = QLineEdit(page)
        self.reason.setObjectName("decisionReason")
        self.reason.setAccessibleName("Reason for the decision")
        self.reason.setPlaceholderText("Reason (needed to reject), e.g. 'brother, genuine'")
        self.approve = QPushButton(qta.icon("mdi6.check"), "Approve", page)
        self.approve.setObjectName("approveFlag")
        self.reject = QPushButton(qta.icon("mdi6.close"), "Reject", page)
        self.reject.setObjectName("rejectFlag")
        decide.addWidget(self.reason, 1)
        decide.addWidget(self.approve)
        decide.addWidget(self.reject)
        if not self._actor.is_owner:
            lock = QLabel(page)
            lock.setPixmap(qta.icon("mdi6.lock-outline", color="#475467").pixmap(16, 16))
            decide.addWidget(lock)
            decide.addWidget(QLabel("Owner only", page))
            for button in (self.approve, self.reject):
                button.setEnabled(False)
                button.setToolTip("Only an owner can decide flagged referrals.")
        layout.addLayout(decide)
        layout.addStretch(1)
        self.previous.clicked.connect(lambda: self._move(-1))
        self.next.clicked.connect(lambda: self._move(1))
        self.approve.clicked.connect(lambda: self._decide(approve=True))
        self.reject.clicked.connect(lambda: self._decide(approve=False))
        return page

    # -- showing -----------------------------------------------------------------------------
    def reload(self) -> None:
        self._tasks.read(self._services.fraud.queue_ids, self._loaded)

    def _loaded(self, ids: list[int]) -> None:
        current = self.ids[self.position] if self.ids else None
        self.ids = ids
        self.position = ids.index(current) if current in ids else min(self.position, len(ids) - 1)
        self.position = max(self.position, 0)
        self.counted.emit(len(ids))
        self._fetch()

    def _move(self, step: int) -> None:
        if self.ids:
            self.position = (self.position + step) % len(self.ids)
            self.reason.clear()
            self._fetch()

    def _fetch(self) -> None:
        """Only the flag on screen is loaded, with its evidence (a queue may be long)."""
        if not self.ids:
            self.flag = None
            self.stack.setCurrentIndex(0)
            return
        ticket, flag_id = self._latest.ask(), self.ids[self.position]
        self._tasks.read(
            lambda: self._services.fraud.get(flag_id), ticket(self._show), ticket(self._failed)
        )

    def _show(self, flag: FlagView) -> None:
        self.flag = flag
        self.stack.setCurrentIndex(1)
        raised = day_text(flag.created_at, self._timezone)
        self.where.setText(f"Flag {self.position + 1} of {len(self.ids)} · {raised}")
        self.title.setText(flag.title)
        self.explanation.setText(flag.explanation)
        self.referrer.show_person(flag.referrer, "—", flag.highlight, self._timezone)
        self.referee.show_person(
            flag.referee,
            f"{flag.prospect_name or 'A friend'} (not a patient yet)",
            flag.highlight,
            self._timezone,
        )
        held = f"Held until you decide: {flag.held_rewards}." if flag.held_rewards else ""
        self.held.setText(held or f"Referral stage: {flag.referral_status}.")
        multi = len(self.ids) > 1
        self.previous.setEnabled(multi)
        self.next.setEnabled(multi)

    # -- deciding ----------------------------------------------------------------------------
    def _decide(self, *, approve: bool) -> None:
        if self.flag is None:
            return
        flag_id, actor, reason = self.flag.id, self._actor, self.reason.text()
        fraud = self._services.fraud
        work = (
            (lambda: fraud.approve(actor, flag_id, reason or None))
            if approve
            else (lambda: fraud.reject(actor, flag_id, reason))
        )
        self.approve.setEnabled(False)
        self.reject.setEnabled(False)
        self._tasks.write(work, self._decided, self._failed)

    def _decided(self, decision: FlagDecision) -> None:
        self.reason.clear()
        self._enable()
        self._say(decision.message, ok=True)

    def _failed(self, error: BaseException) -> None:
        # The reason typed stays in its field so it can be corrected.
        self._enable()
        self._say(in_words(error), ok=False)

    def _enable(self) -> None:
        if self._actor.is_owner:
            self.approve.setEnabled(True)
            self.reject.setEnabled(True)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else "color: #B42318;")
        self.message.setText(text)
