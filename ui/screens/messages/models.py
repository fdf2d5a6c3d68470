"""Table models for the outbox and the inbox, filled with the services' frozen rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from frontdesk.domain.clinic_time import when_text
from frontdesk.services.messaging.messages import InboxRow, OutboxRow
from frontdesk.ui.widgets.row_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel

__all__ = ["ROW_ROLE", "SORT_ROLE", "InboxModel", "OutboxModel"]

STATE_COLOURS = {
    "failed": "#B42318",
    "undelivered": "#B54708",
    "delivered": "#067647",
    "cancelled": "#475467",
}


def stamp(at: datetime | None) -> float:
    return at.timestamp() if at else 0.0


def _column(
    title: str,
    text: Callable[[Any], str],
    sort: Callable[[Any], Any] | None = None,
    colour: Callable[[Any], str | None] | None = None,
) -> Column[Any]:
    """A message column: long texts are cut in the table, so the tooltip shows them whole."""
    return Column(title, text, sort=sort, tooltip=text, colour=colour)


def _state_colour(row: OutboxRow) -> str | None:
    return STATE_COLOURS.get(row.status)


class OutboxModel(RowTableModel[OutboxRow]):
    def __init__(self, timezone: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            _column("State", lambda r: r.state, colour=_state_colour),
            _column("To", lambda r: f"{r.patient_name} ({r.to})"),
            _column("Message", lambda r: r.kind_label),
            _column("Parts", lambda r: f"{r.segments} · {r.encoding}", sort=lambda r: r.segments),
            _column(
                "Created",
                lambda r: when_text(r.created_at, timezone),
                sort=lambda r: stamp(r.created_at),
            ),
            _column(
                "Next attempt",
                lambda r: when_text(r.next_attempt_at, timezone),
                sort=lambda r: stamp(r.next_attempt_at),
            ),
            _column("Problem", lambda r: r.error or "", colour=_state_colour),
        )


def _intent(row: InboxRow) -> str:
    if row.rating is not None:
        return f"Rated {row.rating}/5"
    return {"opt_out": "Opted out", "opt_in": "Opted in", "keyword": "Poster keyword"}.get(
        row.intent, "Message"
    )


class InboxModel(RowTableModel[InboxRow]):
    def __init__(self, timezone: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            _column(
                "Received",
                lambda r: when_text(r.received_at, timezone),
                sort=lambda r: stamp(r.received_at),
            ),
            _column("From", lambda r: f"{r.patient_name} ({r.from_})"),
            _column("Reply", lambda r: r.body),
            _column("Kind", _intent),
            _column(
                "Handled",
                lambda r: when_text(r.handled_at, timezone) if r.handled_at else "—",
                sort=lambda r: stamp(r.handled_at),
            ),
        )
