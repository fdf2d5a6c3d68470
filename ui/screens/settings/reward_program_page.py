"""Settings → Rewards program: each part of the program with plain-language help under it.

What the owner types is read by the same parser as ``frontdesk rewards program set``; one
Save checks the whole program and stores it, or names every problem and stores nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError, in_words
from frontdesk.domain.reward_program import Delivery, NewPatientOffer, RewardProgram, Trigger
from frontdesk.domain.reward_program_fields import FIELDS, with_field
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.rewards.dto import ProgramView
from frontdesk.ui.events import AppEvents
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.screens.settings.form import SaveBar, SettingsForm
from frontdesk.ui.tasks import TaskRunner

CHOICES: dict[str, tuple[str, ...]] = {
    "trigger": tuple(t.value for t in Trigger),
    "delivery": tuple(d.value for d in Delivery),
    "new_patient_offer": tuple(o.value for o in NewPatientOffer),
    "credit_only": ("yes", "no"),
}
CHOICE_LABELS = {
    "attended": "First attended visit",
    "booked": "First booking",
    "automatic": "Automatic (credit + thank-you text)",
    "manual": "Manual (owner approves each)",
    "first_visit": "Applied at the first visit",
    "voucher": "Voucher code sent by text",
    "yes": "Yes",
    "no": "No",
}


class RewardProgramPage(QScrollArea):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rewardProgramPage")
        self.setWidgetResizable(True)
        self._services, self._tasks, self._events, self._actor = services, tasks, events, actor
        self.program: RewardProgram | None = None
        self._shown: dict[str, str] = {}
        body = QWidget(self)
        outer = QVBoxLayout(body)
        heading = QHBoxLayout()
        title = QLabel("Rewards program", body)
        title.setObjectName("screenTitle")
        heading.addWidget(title)
        heading.addStretch(1)
        if not actor.is_owner:
            lock = QLabel(body)
            lock.setPixmap(qta.icon("mdi6.lock-outline", color="#475467").pixmap(16, 16))
            heading.addWidget(lock)
            heading.addWidget(QLabel("Owner only: shown read-only", body))
        outer.addLayout(heading)
        self.form = SettingsForm(body, editable=actor.is_owner)
        for spec in FIELDS:
            name = f"program:{spec.key}"
            if spec.key in CHOICES:
                choices = [(v, CHOICE_LABELS.get(v, v)) for v in CHOICES[spec.key]]
                self.form.choice(spec.key, spec.label, spec.help, choices, name=name)
            else:
                self.form.line(spec.key, spec.label, spec.help, name=name)
        outer.addLayout(self.form.layout)
        bar = SaveBar(
            body,
            "Save program",
            name="saveProgram",
            message_name="programMessage",
            owner=actor.is_owner,
            what="the reward program",
        )
        self.message, self.save = bar.message, bar.button
        self.save.clicked.connect(self._save)
        outer.addLayout(bar.layout)
        outer.addStretch(1)
        self.setWidget(body)
        events.settings_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self._tasks.read(self._services.rewards.program, self._show)

    def _show(self, view: ProgramView) -> None:
        self.program = view.program
        self._shown = dict(view.fields)
        self.form.set_values(self._shown)
        saved = (
            f"Saved {view.saved_at:%d %b %Y} by {view.saved_by}."
            if view.saved_at
            else "The default program is in force: no owner has changed it yet."
        )
        self._say(saved, ok=True)

    def changes(self) -> dict[str, str]:
        return self.form.changes(self._shown)

    def _save(self) -> None:
        if self.program is None:
            return
        changes = self.changes()
        if not changes:
            self._say("Nothing to save.", ok=True)
            return
        program = self.program
        self.form.clear_errors()
        try:
            # The currency first: amounts typed alongside it are read in that currency.
            for key in sorted(changes, key=lambda k: k != "currency"):
                program = with_field(program, key, changes[key])
        except FrontdeskError as error:
            # What was typed stays to be corrected; the message goes under its own field.
            self.form.show_error(key, error.message)
            self._say(f"{self.form.fields[key].label}: {error.message}", ok=False)
            return
        actor, rewards = self._actor, self._services.rewards
        self.save.setEnabled(False)
        self._tasks.write(lambda: rewards.save_program(actor, program), self._saved, self._failed)

    def _saved(self, view: ProgramView) -> None:
        self.save.setEnabled(True)
        self._show(view)  # "Saved <day> by <who>." (the task runner announces the change)

    def _failed(self, error: BaseException) -> None:
        self.save.setEnabled(True)
        self._say(in_words(error, "The program could not be saved."), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else "color: #B42318;")
        self.message.setText(text)
