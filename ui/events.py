"""Changes are announced, not polled: services report what changed, screens refresh that."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from frontdesk.domain.changes import Changes


class AppEvents(QObject):
    patients_changed = Signal()
    referrals_changed = Signal()
    rewards_changed = Signal()
    messages_changed = Signal()
    flags_changed = Signal()
    settings_changed = Signal()
    sync_finished = Signal(object)  # a SyncReport (or None when sync had nothing to do)
    connectivity_changed = Signal(bool)
    patient_opened = Signal(int)  # someone asked to see this patient's card

    def announce(self, changes: Changes) -> None:
        """Emit ``<topic>_changed`` for each topic a write reported as changed."""
        for topic in sorted(changes.topics):
            getattr(self, f"{topic.value}_changed").emit()
