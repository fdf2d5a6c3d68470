"""What the staff and audit services hand to the UI and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    role: str
    active: bool
    locked_until: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    action: str
    entity: str
    entity_id: int | None
    before: str | None
    after: str | None
    reason: str | None
