"""The demo clinic is deterministic and alive: every stage, every outbox state, real phones."""

from __future__ import annotations

import phonenumbers
from sqlalchemy import func, select

from frontdesk.services.bundle import Services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.models import (
    FraudFlag,
    LedgerEntry,
    OutboxMessage,
    Patient,
    Referral,
    ReferralCode,
    Visit,
)


def _snapshot(services: Services) -> list[tuple[str, str | None, str]]:
    with services.ctx.db.read() as session:
        rows = session.execute(
            select(Patient.first_name, Patient.phone_e164, ReferralCode.code)
            .join(ReferralCode, ReferralCode.patient_id == Patient.id)
            .order_by(Patient.id)
        ).all()
    return [tuple(row) for row in rows]


def test_same_seed_same_clinic(services: Services, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    DemoService(services.ctx).generate(SOLE_OWNER, patients=120, seed=11)
    first = _snapshot(services)
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import ServiceContext
    from frontdesk.store.engine import open_database
    from frontdesk.store.migrate import upgrade

    other_db = open_database(str(tmp_path_factory.mktemp("again") / "demo.sqlite3"))
    upgrade(other_db)
    other = build_services(ServiceContext(db=other_db, clock=services.ctx.clock))
    other.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    DemoService(other.ctx).generate(SOLE_OWNER, patients=120, seed=11)
    assert _snapshot(other) == first
    other_db.dispose()


def test_demo_has_every_stage_state_and_valid_mobiles(services: Services) -> None:
    report = DemoService(services.ctx).generate(SOLE_OWNER, patients=600, seed=7)
    assert report.patients == 600
    with services.ctx.db.read() as session:
        stages = set(session.scalars(select(Referral.status).distinct()))
        states = set(session.scalars(select(OutboxMessage.status).distinct()))
        phones = list(session.scalars(select(Patient.phone_e164)))
        visit_types = set(session.scalars(select(Visit.visit_type).distinct()))
        codes = session.scalar(select(func.count(func.distinct(ReferralCode.code))))
        flags = session.scalar(select(func.count(FraudFlag.id)))
        ledger = set(session.scalars(select(LedgerEntry.entry_type).distinct()))
    assert {
        "introduced",
        "booked",
        "attended",
        "rewarded",
        "flagged",
        "blocked",
        "cancelled",
        "expired",
    } <= stages
    assert {"pending", "sent", "delivered", "undelivered", "failed", "cancelled"} <= states
    assert len(set(phones)) == 600
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.region_code_for_number(number) == "GB"
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    assert len(visit_types) >= 3
    assert codes == 600
    assert flags and flags > 0
    assert {"issued", "redeemed"} <= ledger
