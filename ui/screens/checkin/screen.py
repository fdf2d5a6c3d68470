"""The check-in screen (home): today's list on the left, the patient card on the right.

Keyboard path: Ctrl+K, type, Enter opens the card, Enter checks in. Ctrl+N opens the
new-patient form in place of the card. Every service call runs through the task runner;
a card answer that arrives after another patient was opened is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, in_words
from frontdesk.domain.money import max_visit_minor, parse_amount
from frontdesk.services.bundle import Services
from frontdesk.services.patients.dto import (
    AddedPatient,
    AttachedReferral,
    CheckinResult,
    CheckinUndone,
    PatientCard,
)
from frontdesk.services.patients.dto import NewPatientForm as FormData
from frontdesk.services.records.context import Actor
from frontdesk.services.records.dto import ClinicInfo
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.screens.checkin.card import PatientCardView
from frontdesk.ui.screens.checkin.late_attach import LateAttachPanel
from frontdesk.ui.screens.checkin.new_patient import NewPatientPanel
from frontdesk.ui.screens.checkin.today_model import ROW_ROLE, TodayModel
from frontdesk.ui.tasks import TaskRunner

HINT, CARD, NEW = 0, 1, 2


@dataclass(frozen=True)
class CardBundle:
    card: PatientCard
    visit_types: list[str]
    suggested: str


class CheckinScreen(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        clinic: ClinicInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checkinScreen")
        self._services = services
        self._tasks = tasks
        self._events = events
        self._actor = actor
        self._card_request = LatestAnswer()  # another patient opened meanwhile: drop
        self.patient_id: int | None = None

        # -- left: today's list ----------------------------------------------------------
        left = QWidget(self)
        left.setObjectName("todayPanel")
        title = QLabel("Today", left)
        title.setObjectName("screenTitle")
        self.today_count = QLabel("", left)
        self.today_count.setObjectName("todayCount")
        new_button = QPushButton(qta.icon("mdi6.account-plus-outline"), "New patient", left)
        new_button.setObjectName("newPatientButton")
        new_button.setToolTip("Add a new patient (Ctrl+N)")
        new_button.clicked.connect(self.new_patient)
        self.today_model = TodayModel(clinic.timezone, self)
        self.today = QTableView(left)
        self.today.setObjectName("todayList")
        self.today.setAccessibleName("Today's patients")
        self.today.setModel(self.today_model)
        self.today.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.today.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.today.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.today.setShowGrid(False)
        self.today.verticalHeader().hide()
        self.today.setAlternatingRowColors(True)
        header = self.today.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Size columns from the rows in view and a sample, not all of a busy day's rows.
        header.setResizeContentsPrecision(60)
        header.setMinimumSectionSize(48)
        header.setHighlightSections(False)
        self.today.activated.connect(self._today_activated)
        self.today.clicked.connect(self._today_activated)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.today_count)
        head.addStretch(1)
        head.addWidget(new_button)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(24, 20, 12, 16)
        left_layout.addLayout(head)
        left_layout.addWidget(self.today, 1)

        # -- right: hint / card / new-patient form ---------------------------------------
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("checkinStack")
        hint = QLabel(
            "Find a patient with the search box (Ctrl+K), then press Enter to check them in.\n"
            "New here? Press Ctrl+N.",
            self.stack,
        )
        hint.setObjectName("checkinHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.card = PatientCardView(clinic.timezone, self.stack)
        scroll = QScrollArea(self.stack)
        scroll.setObjectName("cardScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.card)
        lookup = services.lookup.lookup
        self.form = NewPatientPanel(lookup, tasks, self, clinic.country, actor.is_owner, self.stack)
        self.attach_panel = LateAttachPanel(lookup, tasks, self, actor.is_owner, self.card)
        self.attach_panel.hide()
        self.card.attach_slot.addWidget(self.attach_panel)
        self.stack.addWidget(hint)
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.form)

        splitter = QSplitter(self)
        splitter.setObjectName("checkinSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 680])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        # -- wiring ------------------------------------------------------------------------
        self.card.check_in_requested.connect(self._check_in)
        self.card.undo_requested.connect(self._undo)
        self.card.attach_requested.connect(self._open_attach)
        self.attach_panel.attach.connect(self._attach)
        self.attach_panel.closed.connect(self._close_attach)
        self.form.save_requested.connect(self._save_new)
        self.form.cancelled.connect(self._close_form)
        self.form.open_existing.connect(self.open_patient)
        events.patient_opened.connect(self.open_patient)
        events.patients_changed.connect(self.refresh_today)
        events.referrals_changed.connect(self.refresh_today)
        shortcut = QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_patient)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.refresh_today()

    # -- today's list -----------------------------------------------------------------------
    def refresh_today(self) -> None:
        self._tasks.read(self._services.checkin.today, self._show_today, self._read_failed)

    def _show_today(self, rows: list) -> None:
        selected = self.patient_id
        self.today_model.set_rows(rows)
        done = sum(1 for row in rows if row.state == "checked_in")
        self.today_count.setText(f"{done} checked in · {len(rows) - done} to come or new")
        if selected is not None and (row := self.today_model.row_of(selected)) is not None:
            self.today.selectRow(row)

    def _today_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.open_patient(row.patient.id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_today()

    # -- the card ---------------------------------------------------------------------------
    def open_patient(
        self, patient_id: int, *, keep_confirmation: bool = False, focus: bool = True
    ) -> None:
        ticket = self._card_request.ask()
        self.patient_id = patient_id
        services = self._services

        def load() -> CardBundle:
            return CardBundle(
                card=services.cards.card(patient_id),
                visit_types=services.checkin.visit_types(),
                suggested=services.checkin.suggested_visit_type(patient_id),
            )

        def show(bundle: CardBundle) -> None:
            confirmation = self.card.confirmation.text() if keep_confirmation else None
            if not keep_confirmation:
                self.card.confirmation.hide()
                self._close_attach()
            self.card.show_card(bundle.card, bundle.visit_types, bundle.suggested)
            if self.attach_panel.isVisible():
                self.card.attach_button.setEnabled(False)
            if confirmation:
                self.card.confirmation.setText(confirmation)
                self.card.confirmation.show()
            self.stack.setCurrentIndex(CARD)
            if focus:
                self.card.ready()

        self._tasks.read(load, ticket(show), ticket(self._read_failed))

    def _read_failed(self, error: BaseException) -> None:
        self.card.show_failure(in_words(error, "This card could not be loaded. Please try again."))

    def _check_in(self, visit_type: str, amount_text: str, happy: bool) -> None:
        card = self.card.card
        if card is None:
            return
        amount = None
        if amount_text.strip():
            try:
                amount = parse_amount(
                    amount_text,
                    card.currency,
                    maximum=max_visit_minor(card.currency),
                    what="amount paid",
                )
            except FrontdeskError as error:
                self.card.show_amount_error(error.message)
                return
        self.card.set_busy(True)
        patient_id = card.patient.id
        self._tasks.write(
            lambda: self._services.checkin.check_in(
                self._actor, patient_id, visit_type, amount, happy
            ),
            self._checked_in,
            lambda error: self.card.show_failure(in_words(error)),
        )

    def _checked_in(self, result: CheckinResult) -> None:
        self.card.show_confirmation(result.notes, undo_visit=result.visit_id)
        self.open_patient(result.patient.id, keep_confirmation=True, focus=False)

    def _undo(self, visit_id: int) -> None:
        card = self.card.card
        self._tasks.write(
            lambda: self._services.checkin.undo(self._actor, visit_id),
            lambda undone: self._undone(undone, card.patient.id if card else None),
            lambda error: self.card.show_failure(in_words(error)),
        )

    def _undone(self, undone: CheckinUndone, patient_id: int | None) -> None:
        self.card.show_confirmation(undone.notes)
        if patient_id is not None:
            self.open_patient(patient_id, keep_confirmation=True)

    # -- late attach ------------------------------------------------------------------------
    def _open_attach(self) -> None:
        if self.card.card is not None:
            self.attach_panel.open_for(self.card.card.patient.name)
            self.card.attach_button.setEnabled(False)

    def _close_attach(self) -> None:
        self.attach_panel.hide()
        self.card.attach_button.setEnabled(True)

    def _attach(
        self, referrer_id: int | None, typed: str, reason: str, override: str | None
    ) -> None:
        card = self.card.card
        if card is None:
            return
        referee_id = card.patient.id
        owner = self.attach_panel.referrer.take_owner_credentials()

        def attach() -> AttachedReferral:
            return self._services.patients.attach_referrer(
                self._acting(owner),
                referee_id=referee_id,
                referrer_id=referrer_id,
                referrer=typed or None,
                reason=reason,
                override_reason=override,
            )

        self._tasks.write(attach, self._attached, self.attach_panel.show_failure)

    def _acting(self, owner: tuple[str, str] | None) -> Actor:
        """Who a save acts as (worker thread): the desk's member, or an owner who typed
        their name and PIN at this desk for this one save (the audit names both)."""
        if owner is None:
            return self._actor
        return self._services.staff.authorise_owner(*owner, on_behalf_of=self._actor)

    def _attached(self, result: AttachedReferral) -> None:
        self._close_attach()
        self.card.show_confirmation(result.notes)
        self.open_patient(result.referee.id, keep_confirmation=True, focus=False)

    # -- new patient ------------------------------------------------------------------------
    def new_patient(self) -> None:
        self.stack.setCurrentIndex(NEW)
        self.form.start()

    def _close_form(self) -> None:
        self.stack.setCurrentIndex(CARD if self.card.card is not None else HINT)

    def _save_new(
        self, form: FormData, referrer_id: int | None, typed: str, override: str | None
    ) -> None:
        owner = self.form.referrer.take_owner_credentials()

        def add() -> AddedPatient:
            return self._services.patients.add(
                self._acting(owner),
                form,
                referrer_id=referrer_id,
                referred_by=typed or None,
                override_reason=override,
            )

        self._tasks.write(add, self._saved, self.form.show_failure)

    def _saved(self, added: AddedPatient) -> None:
        self.form.reset()
        self.card.show_confirmation(added.notes)
        self.open_patient(added.patient.id, keep_confirmation=True)
