"""What every service needs, handed in by the composition root (ui/app.py, cli.py)."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.clock import Clock
from frontdesk.domain.errors import PermissionDeniedError
from frontdesk.store.engine import Database

OWNER = "owner"
RECEPTIONIST = "receptionist"


@dataclass(frozen=True)
class Actor:
    """The staff member acting. ``staff_id`` is None for the single owner of a clinic that
    has no staff accounts yet."""

    name: str
    role: str
    staff_id: int | None = None
    # An owner acting for one action at a receptionist's desk: the receptionist who asked.
    requested_by: str | None = None

    @property
    def audit_name(self) -> str:
        """Who the audit log names: both people when an owner stepped in."""
        if self.requested_by:
            return f"{self.name} (for {self.requested_by})"[:80]
        return self.name

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER

    def require_owner(self, action: str) -> None:
        if not self.is_owner:
            raise PermissionDeniedError(f"Only an owner can {action}. Ask the clinic owner.")


SOLE_OWNER = Actor(name="Owner", role=OWNER)


@dataclass(frozen=True)
class ServiceContext:
    db: Database
    clock: Clock
