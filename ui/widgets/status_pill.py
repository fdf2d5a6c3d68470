"""A referral stage as a pill label (same colours as the painted badges), for card layouts."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.ui.widgets.badge import BADGE_COLOURS

STAGE_WORDS = {
    "introduced": "introduced",
    "booked": "booked",
    "attended": "attended",
    "rewarded": "rewarded",
    "flagged": "flagged",
    "blocked": "blocked",
    "cancelled": "cancelled",
    "expired": "expired",
    "rejected": "rejected",
}


class StatusPill(QLabel):
    def __init__(self, status: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusPill")
        self.set_status(status)

    def set_status(self, status: str) -> None:
        colour = BADGE_COLOURS.get(status, "#475467")
        word = STAGE_WORDS.get(status, status.replace("_", " "))
        self.setText(word)
        self.setAccessibleName(f"status {word}")
        self.setVisible(bool(status))
        self.setStyleSheet(
            f"background: {colour}; color: white; border-radius: 8px; padding: 1px 8px;"
            "font-weight: 600; font-size: 8.5pt;"
        )
