"""Ask rules tab (owner): per visit type, a referral ask or a soft check-in, when, and whether
the visit must be marked happy — with the guardrails that always apply next to them and the
patients the "days after" rules would text this week."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.ask_rules import (
    ANY_VISIT,
    DAYS_AFTER,
    GOOD_RATING,
    HAPPY,
    NTH_VISIT,
    AskRule,
    rule_from_options,
)
from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.errors import FrontdeskError, in_words
from frontdesk.domain.templates import SOFT_CHECKIN
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.asks import Guardrails, UpcomingAsk
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.row_model import ROW_ROLE

WHEN_DAYS, WHEN_VISIT, WHEN_HAPPY = "days", "visit", "happy"
Loaded = tuple[tuple[AskRule, ...], list[str], Guardrails, list[UpcomingAsk], dict[str, list[str]]]


class AskRulesTab(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self._rules: tuple[AskRule, ...] = ()
        self._wordings: dict[str, list[str]] = {}
        row = QHBoxLayout(self)

        left = QVBoxLayout()
        left.addWidget(QLabel("Rules in force", self))
        self.rules = QListWidget(self)
        self.rules.setObjectName("askRules")
        self.rules.setAccessibleName("Ask rules")
        self.rules.currentItemChanged.connect(lambda *_: self._show_rule())
        left.addWidget(self.rules, 1)
        self.guardrails = QLabel("", self)
        self.guardrails.setObjectName("askGuardrails")
        self.guardrails.setWordWrap(True)
        left.addWidget(self.guardrails)
        row.addLayout(left, 3)

        right = QVBoxLayout()
        form = QFormLayout()
        self.visit_type = self._combo("askVisitType", "Visit type")
        self.action = self._combo("askAction", "What to send")
        self.action.addItem("Referral ask", "ask")
        self.action.addItem("Soft check-in (reply 1-5)", "soft_checkin")
        self.when = self._combo("askWhen", "When")
        self.when.addItem("days after the visit", WHEN_DAYS)
        self.when.addItem("at this attended visit number", WHEN_VISIT)
        self.when.addItem("at a visit marked happy", WHEN_HAPPY)
        self.when.currentIndexChanged.connect(self._when_changed)
        self.number = QSpinBox(self)
        self.number.setObjectName("askNumber")
        self.number.setAccessibleName("Days or visit number")
        self.number.setRange(1, 365)
        self.wording = self._combo("askWording", "Wording")
        self.action.currentIndexChanged.connect(self._offer_wordings)
        self.needs_happy = QCheckBox("Only if the desk marked the visit happy", self)
        self.needs_happy.setObjectName("askNeedsHappy")
        form.addRow("Visit type", self.visit_type)
        form.addRow("Send", self.action)
        form.addRow("When", self.when)
        form.addRow("Days / visit", self.number)
        form.addRow("", self.needs_happy)
        form.addRow("Wording", self.wording)
        right.addLayout(form)
        gate = QLabel(
            f"A reply of {GOOD_RATING}-5 to a soft check-in leads to a referral ask; "
            f"1-{GOOD_RATING - 1} goes to the desk's Inbox instead.",
            self,
        )
        gate.setObjectName("askRatingGate")
        gate.setWordWrap(True)
        right.addWidget(gate)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save rule", self)
        self.save_button.setObjectName("saveAskRuleButton")
        self.save_button.clicked.connect(self._save)
        self.remove_button = QPushButton("Remove the selected rule", self)
        self.remove_button.setObjectName("removeAskRuleButton")
        self.remove_button.clicked.connect(self._remove)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        self.message = QLabel("", self)
        self.message.setObjectName("askRuleMessage")
        self.message.setWordWrap(True)
        right.addWidget(self.message)
        right.addWidget(QLabel("Who the “days after” rules would text in the next 7 days", self))
        self.upcoming = QListWidget(self)
        self.upcoming.setObjectName("askUpcoming")
        self.upcoming.setAccessibleName("Who would be asked this week")
        right.addWidget(self.upcoming, 1)
        row.addLayout(right, 4)

        if not actor.is_owner:
            self.save_button.setEnabled(False)
            self.remove_button.setEnabled(False)
            self.message.setText("Only an owner can change the ask rules.")
        events.settings_changed.connect(self.refresh)
        events.messages_changed.connect(self.refresh)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        return combo

    # -- data ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._tasks.read(self._load, self._loaded)

    def _load(self) -> Loaded:
        asks = self._services.asks
        wordings = self._services.templates.names()
        return asks.rules(), asks.visit_types(), asks.guardrails(), asks.upcoming(7), wordings

    def _loaded(self, result: Loaded) -> None:
        rules, visit_types, limits, upcoming, self._wordings = result
        self._rules = rules
        self._offer_wordings()
        chosen = self.visit_type.currentData()
        self.visit_type.clear()
        self.visit_type.addItem("Any visit", ANY_VISIT)
        for kind in visit_types:
            self.visit_type.addItem(kind, kind)
        if chosen is not None:
            self.visit_type.setCurrentIndex(max(self.visit_type.findData(chosen), 0))
        self.rules.clear()
        for rule in rules:
            item = QListWidgetItem(rule.describe()[:1].upper() + rule.describe()[1:])
            item.setData(ROW_ROLE, rule)
            self.rules.addItem(item)
        self.guardrails.setText(
            "Always applied, whatever the rules say: only patients with SMS consent, never an "
            "opted-out number; one marketing text a day; quiet hours "
            f"{limits.quiet_start}-{limits.quiet_end} clinic time (the text waits); at least "
            f"{limits.min_gap_days} days between asks; at most {limits.lifetime_cap} asks per "
            "patient. Change these in Settings."
        )
        self.upcoming.clear()
        for ask in upcoming:
            what = "check-in" if ask.action == SOFT_CHECKIN else "ask"
            verdict = "would be texted" if ask.allowed else f"not texted: {ask.reason}"
            self.upcoming.addItem(f"{ask.due_at:%a %d %b} · {ask.name} · {what} · {verdict}")
        if not upcoming:
            self.upcoming.addItem("Nobody this week.")

    # -- the form -----------------------------------------------------------------------------
    def _show_rule(self) -> None:
        item = self.rules.currentItem()
        rule: AskRule | None = item.data(ROW_ROLE) if item else None
        if rule is None:
            return
        self.visit_type.setCurrentIndex(max(self.visit_type.findData(rule.visit_type), 0))
        self.action.setCurrentIndex(
            self.action.findData("soft_checkin" if rule.action == SOFT_CHECKIN else "ask")
        )
        when = {DAYS_AFTER: WHEN_DAYS, NTH_VISIT: WHEN_VISIT, HAPPY: WHEN_HAPPY}.get(
            rule.trigger, WHEN_HAPPY
        )
        self.when.setCurrentIndex(self.when.findData(when))
        self.number.setValue(rule.n or 1)
        self.needs_happy.setChecked(rule.needs_happy or rule.trigger == HAPPY)
        self.wording.setCurrentIndex(max(self.wording.findData(rule.template), 0))

    def _offer_wordings(self) -> None:
        kind = "soft_checkin" if self.action.currentData() == "soft_checkin" else "referral_ask"
        chosen = self.wording.currentData()
        self.wording.clear()
        self.wording.addItem("The default wording (Templates tab)", None)
        for name in self._wordings.get(kind, []):
            self.wording.addItem(f"“{name}”", name)
        self.wording.setCurrentIndex(max(self.wording.findData(chosen), 0))

    def _when_changed(self) -> None:
        happy_only = self.when.currentData() == WHEN_HAPPY
        self.number.setEnabled(not happy_only)
        self.needs_happy.setEnabled(not happy_only)

    def form_rule(self) -> AskRule:
        when = self.when.currentData()
        return rule_from_options(
            self.visit_type.currentData() or ANY_VISIT,
            self.action.currentData(),
            after_days=self.number.value() if when == WHEN_DAYS else None,
            after_visits=self.number.value() if when == WHEN_VISIT else None,
            needs_happy=when == WHEN_HAPPY or self.needs_happy.isChecked(),
            template=self.wording.currentData(),
        )

    def _save(self) -> None:
        try:
            rule = self.form_rule()
        except FrontdeskError as error:
            self.message.setText(error.message)
            return
        self._tasks.write(
            lambda: self._services.asks.set_rule(self._actor, rule),
            lambda _rules: self._changed(f"Saved: {rule.describe()}."),
            self._failed,
        )

    def _remove(self) -> None:
        item = self.rules.currentItem()
        rule: AskRule | None = item.data(ROW_ROLE) if item else None
        if rule is None:
            self.message.setText("Pick the rule to remove in the list.")
            return
        self._tasks.write(
            lambda: self._services.asks.remove_rules(self._actor, rule.visit_type, only=rule),
            lambda _rules: self._changed(f"Removed: {rule.describe()}."),
            self._failed,
        )

    def _changed(self, text: str) -> None:
        self.message.setText(text)
        self._events.announce(Changes.of(Topic.SETTINGS))

    def _failed(self, error: BaseException) -> None:
        self.message.setText(in_words(error))
