"""Shared set-up for the check-in service tests: services with an event recorder."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.patients.dto import AddedPatient, NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.records.effects import (
    EffectHandlers,
    ReferralAttached,
    VisitAttended,
    VisitReversed,
)
from frontdesk.store.engine import Database
from frontdesk.store.models import Referral, Visit


@dataclass
class Recorder:
    """Records every event the services fire, with what the database held at that moment."""

    visits: list[VisitAttended] = field(default_factory=list)
    referrals: list[ReferralAttached] = field(default_factory=list)
    visit_rows_seen: list[str] = field(default_factory=list)
    referral_rows_seen: list[str] = field(default_factory=list)
    reversals: list[VisitReversed] = field(default_factory=list)

    def on_visit(self, event: VisitAttended) -> list[str]:
        self.visits.append(event)
        visit = event.session.get(Visit, event.visit_id)
        assert visit is not None
        self.visit_rows_seen.append(visit.status)
        return [f"handler saw visit {event.visit_id}"]

    def on_referral(self, event: ReferralAttached) -> list[str]:
        self.referrals.append(event)
        referral = event.session.get(Referral, event.referral_id)
        assert referral is not None
        self.referral_rows_seen.append(referral.status)
        return [f"handler saw referral {event.referral_id}"]

    def on_reversed(self, event: VisitReversed) -> list[str]:
        self.reversals.append(event)
        visit = event.session.get(Visit, event.visit_id)
        assert visit is not None and visit.status == "cancelled"
        return ["handler saw the reversal"]

    def handlers(self) -> EffectHandlers:
        return EffectHandlers(
            on_visit_attended=(self.on_visit,),
            on_referral_attached=(self.on_referral,),
            on_visit_reversed=(self.on_reversed,),
        )


def desk_services(database: Database, clock: FixedClock, recorder: Recorder) -> Services:
    built = build_services(
        ServiceContext(db=database, clock=clock),
        extra_effects=recorder.handlers(),
        rng=random.Random(11),
    )
    built.clinic.init(
        SOLE_OWNER,
        name="Harbour Physio",
        country="GB",
        booking_url="https://harbourphysio.example/book",
    )
    return built


def add(
    services: Services,
    first: str,
    last: str,
    phone: str | None,
    email: str | None = None,
    **kwargs: object,
) -> AddedPatient:
    return services.patients.add(
        SOLE_OWNER,
        NewPatientForm(first_name=first, last_name=last, phone=phone, email=email),
        **kwargs,  # type: ignore[arg-type]
    )
