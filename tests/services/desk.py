"""A stand-in for the check-in desk in tests: writes patients, referrals and visits the way
the check-in service does, and fires the same events through ``services.effects``."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from frontdesk.domain.names import normalize_email
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.services.records.effects import ReferralAttached, VisitAttended, VisitReversed
from frontdesk.services.records.patients import NewPatient, add_patient
from frontdesk.store.models import Referral, ReferralEvent, Visit

_PHONES = iter(range(900100, 999999))


@dataclass
class Desk:
    services: Services
    actor: Actor = SOLE_OWNER
    rng: random.Random = random.Random(4)  # noqa: RUF009  (one stream per test module is fine)

    @property
    def now(self) -> datetime:
        return self.services.ctx.clock.now()

    def patient(
        self,
        first: str,
        last: str = "Tester",
        *,
        phone: str | None = "auto",
        email: str | None = None,
        address: str | None = None,
        postcode: str | None = None,
        payer_type: str | None = None,
        birth_year: int | None = None,
        created_at: datetime | None = None,
    ) -> int:
        if phone == "auto":
            phone = f"+447700{next(_PHONES)}"
        with self.services.ctx.db.begin() as session:
            patient, _code = add_patient(
                session,
                NewPatient(
                    first_name=first,
                    last_name=last,
                    phone_e164=phone,
                    email=email,
                    email_norm=normalize_email(email),
                    sms_consent=True,
                    address=address,
                    postcode=postcode,
                    payer_type=payer_type,
                    birth_year=birth_year,
                ),
                created_at or self.now,
                self.rng,
            )
            return patient.id

    def refer(
        self,
        referrer_id: int | None,
        friend_id: int | None,
        *,
        status: str = "introduced",
        prospect_phone: str | None = None,
        prospect_name: str | None = None,
        created_at: datetime | None = None,
    ) -> tuple[int, list[str]]:
        """Write a referral and fire ReferralAttached in the same transaction."""
        at = created_at or self.now
        with self.services.ctx.db.begin() as session:
            referral = Referral(
                referrer_id=referrer_id,
                referee_id=friend_id,
                prospect_name=prospect_name,
                prospect_phone=prospect_phone,
                status=status,
                channel="desk",
                created_at=at,
                booked_at=at if status == "booked" else None,
            )
            session.add(referral)
            session.flush()
            session.add(
                ReferralEvent(referral_id=referral.id, from_status=None, to_status=status, at=at)
            )
            notes = self.services.effects.referral_attached(
                ReferralAttached(
                    session=session, now=self.now, actor=self.actor, referral_id=referral.id
                )
            )
            return referral.id, notes

    def attend(
        self, patient_id: int, *, at: datetime | None = None, first: bool = True
    ) -> tuple[int, list[str]]:
        """Check a patient in: an attended visit and its effects, in one transaction."""
        with self.services.ctx.db.begin() as session:
            visit = Visit(
                patient_id=patient_id,
                visit_type="Initial assessment",
                status="attended",
                at=at or self.now,
                amount_minor=5500,
                created_at=self.now,
            )
            session.add(visit)
            session.flush()
            notes = self.services.effects.visit_attended(
                VisitAttended(
                    session=session,
                    now=self.now,
                    actor=self.actor,
                    patient_id=patient_id,
                    visit_id=visit.id,
                    visit_type=visit.visit_type,
                    happy=False,
                    first_attended=first,
                )
            )
            return visit.id, notes

    def reverse(self, patient_id: int, visit_id: int, reason: str = "refunded") -> list[str]:
        with self.services.ctx.db.begin() as session:
            visit = session.get_one(Visit, visit_id)
            visit.status = "refunded"
            return self.services.effects.visit_reversed(
                VisitReversed(
                    session=session,
                    now=self.now,
                    actor=self.actor,
                    patient_id=patient_id,
                    visit_id=visit_id,
                    reason=reason,
                )
            )
