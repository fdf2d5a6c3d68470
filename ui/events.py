"""Changes are announced, not polled: services report what changed, screens refresh that."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


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

    def announce(self, *topics: str) -> None:
        """Emit ``<topic>_changed`` for each topic a service reported as touched."""
        for topic in topics:
            getattr(self, f"{topic}_changed").emit()
