"""The Messages screen: tabs Outbox, Inbox (with a count), Templates and Ask rules."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.services.records.dto import DeskStatus
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.messages.ask_rules_tab import AskRulesTab
from frontdesk.ui.screens.messages.inbox_tab import InboxTab
from frontdesk.ui.screens.messages.outbox_tab import OutboxTab
from frontdesk.ui.screens.messages.templates_tab import TemplatesTab
from frontdesk.ui.sync_worker import SyncWorker
from frontdesk.ui.tasks import TaskRunner


class MessagesScreen(QWidget):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        sync: SyncWorker | None = None,
        *,
        timezone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        title = QLabel("Messages", self)
        title.setObjectName("screenTitle")
        self.banner = QLabel("", self)
        self.banner.setObjectName("smsBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#smsBanner { background: #FEF6E7; color: #7A2E0E; border-radius: 8px;"
            " padding: 8px 12px; }"
        )
        self.banner.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("messagesTabs")
        self.outbox = OutboxTab(services, tasks, events, actor, sync, timezone, self)
        self.inbox = InboxTab(services, tasks, events, actor, timezone, self)
        self.templates = TemplatesTab(services, tasks, events, actor, self)
        self.tabs.addTab(self.outbox, "Outbox")
        self.tabs.addTab(self.inbox, "Inbox")
        self.ask_rules = AskRulesTab(services, tasks, events, actor, self)
        self.tabs.addTab(self.templates, "Templates")
        self.tabs.addTab(self.ask_rules, "Ask rules")
        layout.addWidget(title)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def refresh(self) -> None:
        self.outbox.refresh()
        self.inbox.refresh()
        self.templates.refresh()
        self.ask_rules.refresh()

    def show_status(self, status: DeskStatus) -> None:
        """Called with each status-bar refresh: the Inbox count and the set-up banner."""
        count = status.unhandled_replies
        self.tabs.setTabText(1, f"Inbox ({count})" if count else "Inbox")
        if status.sms_configured:
            self.banner.hide()
        else:
            waiting = status.waiting_messages
            self.banner.setText(
                "SMS is not set up yet, so texts wait here "
                f"({waiting} waiting). Connect the clinic's Twilio account in Settings → SMS."
            )
            self.banner.show()
