"""After a demo clinic is generated, the desk keeps working: new patients, check-ins, referrals.

The demo writes its rows with explicit ids in bulk; on PostgreSQL that once left the id
sequences at 1, so the first patient added at the desk failed with a duplicate key.
"""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.services.bundle import Services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.models import Patient, Visit


def test_a_new_referred_patient_checks_in_after_the_demo(services: Services) -> None:
    DemoService(services.ctx).generate(SOLE_OWNER, patients=60, seed=5)
    with services.ctx.db.read() as session:
        before = session.scalar(select(func.max(Patient.id)))
        referrer = session.scalar(select(Patient).where(Patient.erased_at.is_(None)).limit(1))
        assert referrer is not None
        referrer_id = referrer.id

    added = services.patients.add(
        SOLE_OWNER,
        NewPatientForm(first_name="Tomasz", last_name="Nowak", phone="07400 555123"),
        referrer_id=referrer_id,
    )
    result = services.checkin.check_in(SOLE_OWNER, added.patient.id, "Initial assessment")

    assert added.patient.id > before
    assert added.referral_id is not None
    with services.ctx.db.read() as session:
        visits = session.scalar(
            select(func.count(Visit.id)).where(Visit.patient_id == added.patient.id)
        )
    assert visits == 1
    assert result is not None
