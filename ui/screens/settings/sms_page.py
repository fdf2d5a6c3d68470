"""Settings → SMS: connect the clinic's Twilio account, test it, see what is set up.

Keyring and network calls run through the task runner, never on the GUI thread. The token
field is never filled back in: the secret only goes one way, into the keyring.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.errors import in_words
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.sms_service import SmsSetup
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.settings.form import SettingsForm
from frontdesk.ui.tasks import TaskRunner

HELP = (
    "Texts are sent through the clinic's own Twilio account. In the Twilio console copy the "
    "Account SID and Auth Token (or create an API key), and the number texts go out from. "
    "The token is kept in this computer's keyring, never in the database."
)


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(dark);")
    return label


class SmsSettingsPage(QWidget):
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
        page = QVBoxLayout(self)
        page.setContentsMargins(32, 24, 32, 24)
        column = QWidget(self)
        column.setMaximumWidth(780)
        page.addWidget(column)
        page.addStretch(1)
        outer = QVBoxLayout(column)
        outer.setContentsMargins(0, 0, 0, 0)
        title = QLabel("SMS (Twilio)", self)
        title.setObjectName("screenTitle")
        outer.addWidget(title)
        outer.addWidget(_hint(HELP, self))
        self.state = QLabel("Checking…", self)
        self.state.setObjectName("smsSetupState")
        self.state.setWordWrap(True)
        outer.addWidget(self.state)

        # The page is open to everyone: only Save is the owner's (the service checks too).
        self.form = SettingsForm(self)
        self.account_sid = self.form.line(
            "account_sid",
            "Account SID",
            "Twilio console → Account info.",
            name="accountSid",
            placeholder="AC… (34 characters)",
        )
        self.use_api_key = self.form.check(
            "use_api_key",
            "Use an API key instead of the Auth Token",
            "",
            name="useApiKey",
        )
        self.api_key = self.form.line(
            "api_key_sid", "API key SID", "", name="apiKeySid", placeholder="SK…"
        )
        self.api_key.setEnabled(False)
        self.use_api_key.toggled.connect(self.api_key.setEnabled)
        self.secret = self.form.line(
            "secret",
            "Token or secret",
            "Kept in the operating system's keyring on this computer.",
            name="authToken",
            placeholder="paste the Auth Token (or the API key secret)",
            password=True,
        )
        self.from_number = self.form.line(
            "from_number",
            "Send from",
            "A Twilio number that can send SMS; replies come back to it.",
            name="fromNumber",
            placeholder="the clinic's Twilio number, e.g. 07700 900123",
        )
        outer.addLayout(self.form.layout)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save and test", self)
        self.save_button.setObjectName("saveSmsButton")
        self.save_button.clicked.connect(self._save)
        self.test_button = QPushButton("Test connection", self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self._test)
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.result = QLabel("", self)
        self.result.setObjectName("smsResult")
        self.result.setWordWrap(True)
        outer.addWidget(self.result)
        outer.addStretch(1)
        if not actor.is_owner:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Only an owner can connect the Twilio account.")
        self.refresh()

    def refresh(self) -> None:
        self._tasks.read(self._services.sms.setup, self._show_setup)

    def _show_setup(self, setup: SmsSetup) -> None:
        if setup.configured:
            kind = "API key" if setup.uses_api_key else "Auth Token"
            self.state.setText(
                f"● Connected: account {setup.account} ({kind}), sending from {setup.from_number}."
            )
        else:
            self.state.setText(f"○ Not set up: {setup.problem}")
        if setup.from_number and not self.from_number.text():
            self.from_number.setText(setup.from_number)
        self.test_button.setEnabled(setup.configured)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.save_button.setEnabled(not busy and self._actor.is_owner)
        self.test_button.setEnabled(not busy)
        if text:
            self.result.setStyleSheet("")
            self.result.setText(text)

    def _save(self) -> None:
        sid, secret = self.account_sid.text(), self.secret.text()
        key = self.api_key.text() if self.use_api_key.isChecked() else None
        number = self.from_number.text()
        self.form.clear_errors()
        self._busy(True, "Checking with Twilio…")
        self._tasks.write(
            lambda: self._services.sms.configure(
                self._actor, account_sid=sid, secret=secret, from_number=number, api_key_sid=key
            ),
            self._saved,
            self._failed,
        )

    def _saved(self, note: str) -> None:
        self.secret.clear()
        self._busy(False)
        self.result.setStyleSheet("color: #067647;")
        self.result.setText(note)
        self._events.announce(Changes.of(Topic.SETTINGS, Topic.MESSAGES))
        self.refresh()

    def _test(self) -> None:
        self._busy(True, "Checking with Twilio…")
        self._tasks.read(self._services.sms.test_connection, self._tested, self._failed)

    def _tested(self, note: str) -> None:
        self._busy(False)
        self.result.setStyleSheet("color: #067647;")
        self.result.setText(f"✓ {note}")

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        text = in_words(error)
        key = getattr(error, "key", None)
        if isinstance(key, str) and self.form.show_error(key, text):
            text = f"{self.form.fields[key].label}: {text} Nothing was saved."
        self.result.setStyleSheet("color: #B42318;")
        self.result.setText(text)
        self.refresh()
