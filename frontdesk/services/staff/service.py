"""Staff accounts and who is acting: the single owner until accounts exist, then a PIN."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.domain.errors import ConflictError, InvalidInputError, PermissionDeniedError
from frontdesk.domain.pin import hash_pin, lockout_delay, validate_pin, verify_pin
from frontdesk.services.records import audit
from frontdesk.services.records.context import (
    OWNER,
    RECEPTIONIST,
    SOLE_OWNER,
    Actor,
    ServiceContext,
)
from frontdesk.store.models import Staff


class StaffService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def has_accounts(self) -> bool:
        with self._ctx.db.read() as session:
            return bool(session.scalar(select(func.count(Staff.id)).where(Staff.active)))

    def add(self, actor: Actor, name: str, role: str, pin: str) -> Actor:
        actor.require_owner("add staff accounts")
        if role not in (OWNER, RECEPTIONIST):
            raise InvalidInputError("A staff member is a receptionist or an owner.")
        cleaned = " ".join(name.split())
        if not cleaned or len(cleaned) > 80:
            raise InvalidInputError("A staff name is 1 to 80 characters.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            if session.scalar(select(Staff.id).where(Staff.name == cleaned)):
                raise ConflictError(f"There is already a staff member called {cleaned}.")
            staff = Staff(
                name=cleaned,
                role=role,
                pin_hash=hash_pin(validate_pin(pin)),
                failed_attempts=0,
                active=True,
                created_at=now,
            )
            session.add(staff)
            session.flush()
            audit.record(
                session,
                actor,
                "staff.add",
                "staff",
                staff.id,
                at=now,
                after={"name": cleaned, "role": role},
            )
            return Actor(name=cleaned, role=role, staff_id=staff.id)

    def sign_in(self, name: str | None, pin: str | None) -> Actor:
        """The acting staff member; with no accounts yet, the clinic's sole owner.

        A right PIN is checked on a read transaction, so signing in to look something up
        never waits behind another desk's write; only a wrong PIN (or clearing an earlier
        one) writes."""
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            count = session.scalar(select(func.count(Staff.id)).where(Staff.active))
            if not count:
                return SOLE_OWNER
            if not name:
                raise InvalidInputError("Say who you are (--staff NAME) and give your PIN.")
            staff = session.scalar(select(Staff).where(Staff.name == name, Staff.active))
            if staff is None:
                raise InvalidInputError(f"There is no staff member called {name}.")
            if staff.locked_until and staff.locked_until > now:
                wait = int((staff.locked_until - now).total_seconds()) + 1
                raise PermissionDeniedError(f"Too many wrong PINs. Try again in {wait} s.")
            wrong = not pin or not staff.pin_hash or not verify_pin(pin, staff.pin_hash)
            staff_id, clean = staff.id, not staff.failed_attempts and staff.locked_until is None
            actor = Actor(name=staff.name, role=staff.role, staff_id=staff.id)
        if wrong or not clean:
            with self._ctx.db.begin() as session:
                row = session.get(Staff, staff_id)
                assert row is not None
                if wrong:
                    row.failed_attempts += 1
                    row.locked_until = now + lockout_delay(row.failed_attempts)
                else:
                    row.failed_attempts = 0
                    row.locked_until = None
        if wrong:
            raise PermissionDeniedError("That PIN is not right.")
        return actor
