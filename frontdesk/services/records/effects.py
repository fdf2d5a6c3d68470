"""What a desk event sets in motion, each part owned by its own module.

The check-in service records the event and then calls every handler for it *in the same
transaction* (rule 2: effects travel with their cause). Handlers are plain functions handed
in by the composition root (``bundle.build_services``), so the referral, reward and
messaging modules plug in without the check-in code knowing them. Each returns short notes
for the desk ("Sarah earned £20 credit"), shown in the check-in confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.services.records.context import Actor


@dataclass(frozen=True)
class VisitAttended:
    """A patient was checked in: an attended visit now exists."""

    session: Session
    now: datetime
    actor: Actor
    patient_id: int
    visit_id: int
    visit_type: str
    happy: bool
    first_attended: bool  # this is the patient's first attended visit


@dataclass(frozen=True)
class ReferralAttached:
    """A referral was written (at check-in, new-patient save, late attach or by SMS)."""

    session: Session
    now: datetime
    actor: Actor
    referral_id: int


@dataclass(frozen=True)
class VisitReversed:
    """A visit was cancelled, marked no-show or refunded after the fact."""

    session: Session
    now: datetime
    actor: Actor
    patient_id: int
    visit_id: int
    reason: str


VisitHandler = Callable[[VisitAttended], Sequence[str]]
ReferralHandler = Callable[[ReferralAttached], Sequence[str]]
ReversalHandler = Callable[[VisitReversed], Sequence[str]]


@dataclass(frozen=True)
class EffectHandlers:
    on_visit_attended: tuple[VisitHandler, ...] = ()
    on_referral_attached: tuple[ReferralHandler, ...] = ()
    on_visit_reversed: tuple[ReversalHandler, ...] = ()

    def visit_attended(self, event: VisitAttended) -> list[str]:
        return [note for handler in self.on_visit_attended for note in handler(event)]

    def referral_attached(self, event: ReferralAttached) -> list[str]:
        return [note for handler in self.on_referral_attached for note in handler(event)]

    def visit_reversed(self, event: VisitReversed) -> list[str]:
        return [note for handler in self.on_visit_reversed for note in handler(event)]
