"""Staff accounts and who is acting: the single owner until accounts exist, then a PIN.

Accounts are never deleted (the audit log keeps their names); they are disabled. The last
active owner can be neither disabled nor demoted, so a clinic can never lock itself out.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
from frontdesk.services.staff.dto import StaffMember
from frontdesk.store.models import Staff

ROLES = (OWNER, RECEPTIONIST)
# One answer for an unknown name and a wrong PIN, so nobody can guess which names exist.
NO_MATCH = "That name and PIN do not match. Check both and try again."
# Compared against when the name is unknown, so both answers take the same time.
_DUMMY_HASH = hash_pin("0000", salt=b"frontdesk-dummy!")


def wait_words(seconds: int) -> str:
    """'30 seconds', '2 minutes': how long the desk must wait after too many wrong PINs."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class LockedOutError(PermissionDeniedError):
    """Too many wrong PINs: ``seconds`` to wait before the next try."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"Too many wrong PINs. Try again in {wait_words(seconds)}.")
        self.seconds = seconds


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 80:
        raise InvalidInputError("A staff name is 1 to 80 characters.")
    return cleaned


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInputError("A staff member is a receptionist or an owner.")
    return role


def _member(staff: Staff) -> StaffMember:
    return StaffMember(
        id=staff.id,
        name=staff.name,
        role=staff.role,
        active=staff.active,
        locked_until=staff.locked_until,
        created_at=staff.created_at,
    )


class StaffService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def has_accounts(self) -> bool:
        with self._ctx.db.read() as session:
            return bool(session.scalar(select(func.count(Staff.id)).where(Staff.active)))

    def list(self, include_disabled: bool = True) -> tuple[StaffMember, ...]:
        """Everyone at the desk, owners first, then by name (names are not secret on the
        sign-in screen, which lists them)."""
        query = select(Staff).order_by(Staff.role != OWNER, Staff.name)
        if not include_disabled:
            query = query.where(Staff.active)
        with self._ctx.db.read() as session:
            return tuple(_member(s) for s in session.scalars(query))

    def add(self, actor: Actor, name: str, role: str, pin: str) -> Actor:
        actor.require_owner("add staff accounts")
        _check_role(role)
        cleaned = _clean_name(name)
        pin_hash = hash_pin(validate_pin(pin))
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            if not self._active_count(session) and role != OWNER:
                raise InvalidInputError(
                    "The first staff account must be an owner, or nobody could change "
                    "settings once accounts exist."
                )
            if session.scalar(select(Staff.id).where(Staff.name == cleaned)):
                raise ConflictError(f"There is already a staff member called {cleaned}.")
            staff = Staff(
                name=cleaned,
                role=role,
                pin_hash=pin_hash,
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

    def rename(self, actor: Actor, name: str, new_name: str) -> StaffMember:
        actor.require_owner("rename staff accounts")
        cleaned = _clean_name(new_name)
        with self._ctx.db.begin() as session:
            staff = self._find(session, name)
            if cleaned != staff.name and session.scalar(
                select(Staff.id).where(Staff.name == cleaned)
            ):
                raise ConflictError(f"There is already a staff member called {cleaned}.")
            before = staff.name
            staff.name = cleaned
            self._audit(session, actor, "staff.rename", staff, {"name": before}, {"name": cleaned})
            return _member(staff)

    def set_role(self, actor: Actor, name: str, role: str) -> StaffMember:
        actor.require_owner("change staff roles")
        _check_role(role)
        with self._ctx.db.begin() as session:
            staff = self._find(session, name)
            if staff.role == role:
                return _member(staff)
            if staff.role == OWNER and staff.active:
                self._keep_an_owner(session, staff, "made a receptionist")
            before = staff.role
            staff.role = role
            self._audit(session, actor, "staff.role", staff, {"role": before}, {"role": role})
            return _member(staff)

    def set_pin(self, actor: Actor, name: str, pin: str) -> StaffMember:
        """An owner resets anyone's PIN; anyone may change their own."""
        with self._ctx.db.begin() as session:
            staff = self._find(session, name)
            if staff.id != actor.staff_id:
                actor.require_owner("reset another person's PIN")
            staff.pin_hash = hash_pin(validate_pin(pin))
            staff.failed_attempts = 0
            staff.locked_until = None
            # The PIN itself is never written anywhere but as its hash.
            self._audit(session, actor, "staff.set_pin", staff, None, {"pin": "changed"})
            return _member(staff)

    def disable(self, actor: Actor, name: str) -> StaffMember:
        actor.require_owner("disable staff accounts")
        with self._ctx.db.begin() as session:
            staff = self._find(session, name)
            if not staff.active:
                return _member(staff)
            if staff.role == OWNER:
                self._keep_an_owner(session, staff, "disabled")
            staff.active = False
            self._audit(session, actor, "staff.disable", staff, {"active": True}, {"active": False})
            return _member(staff)

    def enable(self, actor: Actor, name: str) -> StaffMember:
        actor.require_owner("enable staff accounts")
        with self._ctx.db.begin() as session:
            staff = self._find(session, name)
            if not staff.active:
                staff.active = True
                self._audit(
                    session, actor, "staff.enable", staff, {"active": False}, {"active": True}
                )
            return _member(staff)

    def sign_in(self, name: str | None, pin: str | None) -> Actor:
        """The acting staff member; with no accounts yet, the clinic's sole owner.

        Wrong PINs lock the account for a growing delay kept in the database (so a restart
        does not reset it); every failure is audited under the name that was typed. A clinic
        with no accounts yet answers from a read transaction, so a lookup never waits on
        another desk's write; with accounts, the attempt counter needs a write.
        """
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            if not self._active_count(session):
                return SOLE_OWNER
        with self._ctx.db.begin() as session:
            if not name:
                raise InvalidInputError(
                    "Say who you are: add --staff NAME (your PIN from FRONTDESK_PIN)."
                )
            typed = " ".join(name.split())[:80]
            staff = session.scalar(select(Staff).where(Staff.name == typed, Staff.active))
            error = self._check_pin(session, typed, staff, pin, now)
            if error is None and staff is not None:
                return Actor(name=staff.name, role=staff.role, staff_id=staff.id)
        # Raised once the transaction has committed, so the failure and the count are kept.
        raise error or PermissionDeniedError(NO_MATCH)

    def _check_pin(
        self, session: Session, typed: str, staff: Staff | None, pin: str | None, now: datetime
    ) -> PermissionDeniedError | None:
        if staff is not None and staff.locked_until and staff.locked_until > now:
            # Not even compared: a locked account cannot be guessed at meanwhile.
            self._failed(session, typed, staff, now, "locked")
            return LockedOutError(math.ceil((staff.locked_until - now).total_seconds()))
        stored = staff.pin_hash if staff is not None and staff.pin_hash else _DUMMY_HASH
        if staff is not None and pin and verify_pin(pin, stored):
            staff.failed_attempts = 0
            staff.locked_until = None
            return None
        if staff is None:
            verify_pin(pin or "0000", stored)  # the same time as a wrong PIN
        else:
            staff.failed_attempts += 1
            delay = lockout_delay(staff.failed_attempts)
            staff.locked_until = now + delay if delay else None
        self._failed(session, typed, staff, now, "wrong PIN or name")
        return PermissionDeniedError(NO_MATCH)

    def authorise_owner(self, name: str, pin: str, on_behalf_of: Actor) -> Actor:
        """An owner enters their PIN at a receptionist's desk for one action: the owner acts,
        and the audit names the receptionist who asked."""
        owner = self.sign_in(name, pin)
        if not owner.is_owner:
            raise PermissionDeniedError(f"{owner.name} is not an owner. Ask the clinic owner.")
        return Actor(
            name=owner.name,
            role=owner.role,
            staff_id=owner.staff_id,
            requested_by=on_behalf_of.name if on_behalf_of.name != owner.name else None,
        )

    # -- inside a transaction -------------------------------------------------------------

    @staticmethod
    def _active_count(session: Session) -> int:
        return int(session.scalar(select(func.count(Staff.id)).where(Staff.active)) or 0)

    @staticmethod
    def _find(session: Session, name: str) -> Staff:
        staff = session.scalar(select(Staff).where(Staff.name == " ".join(name.split())))
        if staff is None:
            raise InvalidInputError(f"There is no staff member called {name}.")
        return staff

    @staticmethod
    def _keep_an_owner(session: Session, staff: Staff, becoming: str) -> None:
        others = session.scalar(
            select(func.count(Staff.id)).where(
                Staff.active, Staff.role == OWNER, Staff.id != staff.id
            )
        )
        if not others:
            raise ConflictError(
                f"{staff.name} is the last owner and cannot be {becoming}. "
                "Make someone else an owner first."
            )

    def _audit(
        self,
        session: Session,
        actor: Actor,
        action: str,
        staff: Staff,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
    ) -> None:
        audit.record(
            session,
            actor,
            action,
            "staff",
            staff.id,
            at=self._ctx.clock.now(),
            before=before,
            after=after,
        )

    @staticmethod
    def _failed(session: Session, typed: str, staff: Staff | None, now: datetime, why: str) -> None:
        who = Actor(name=typed or "?", role=RECEPTIONIST, staff_id=staff.id if staff else None)
        audit.record(
            session,
            who,
            "staff.sign_in_failed",
            "staff",
            staff.id if staff else None,
            at=now,
            reason=why,
        )
