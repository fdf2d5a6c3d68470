"""SMS fixtures: a clinic with a Twilio number, patients, the local Twilio server, a gateway."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.referral_code import generate_code
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.messaging.sync import SyncEngine
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.records.patients import NewPatient, build_patient
from frontdesk.sms.credentials import CredentialStore, TwilioCredentials
from frontdesk.sms.twilio_gateway import TwilioGateway
from frontdesk.store.engine import Database
from frontdesk.store.models import Patient, ReferralCode
from tests.keyrings import MemoryKeyring
from tests.sms.twilio_server import ACCOUNT_SID, AUTH_TOKEN, TwilioTestServer

CLINIC_NUMBER = "+447911123001"
CREDENTIALS = TwilioCredentials(ACCOUNT_SID, AUTH_TOKEN)


@pytest.fixture
def twilio(clock: FixedClock) -> Iterator[TwilioTestServer]:
    server = TwilioTestServer(clock=clock.now).start()
    yield server
    server.stop()


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def sms(
    database: Database, clock: FixedClock, twilio: TwilioTestServer, keyring_backend: MemoryKeyring
) -> Services:
    """Services with Twilio connected to the local server (SQLite and PostgreSQL)."""
    store = CredentialStore(keyring_backend)
    store.save(CREDENTIALS)
    built = build_services(
        ServiceContext(db=database, clock=clock),
        credentials=store,
        gateway_factory=lambda c: TwilioGateway(c, api_url=twilio.url, timeout=1.0),
    )
    built.clinic.init(
        SOLE_OWNER,
        name="Harbour Physio",
        country="GB",
        booking_url="https://harbourphysio.example/book",
    )
    built.clinic.set_setting(SOLE_OWNER, "clinic.sms_number", CLINIC_NUMBER)
    built.clinic.set_setting(SOLE_OWNER, "sms.segments_per_second", "100")
    return built


AddPatient = Callable[..., int]


@pytest.fixture
def add_patient(sms: Services) -> AddPatient:
    counter = iter(range(100, 999))

    def add(first: str = "Sarah", phone: str | None = None, consent: bool = True) -> int:
        number = phone or f"+447911123{next(counter)}"
        now = sms.ctx.clock.now()
        with sms.ctx.db.begin() as session:
            patient = build_patient(
                NewPatient(first, "Connolly", number, None, None, sms_consent=consent), now
            )
            session.add(patient)
            session.flush()
            session.add(
                ReferralCode(
                    patient_id=patient.id,
                    code=generate_code(first, random.Random(patient.id)),
                    active=True,
                    created_at=now,
                )
            )
            return patient.id

    return add


def engine(sms: Services, **options: object) -> SyncEngine:
    return sms.sms.engine(rng=random.Random(7), sleep=lambda _s: None, **options)


def patient(sms: Services, patient_id: int) -> Patient:
    with sms.ctx.db.read() as session:
        row = session.get(Patient, patient_id)
        assert row is not None
        session.expunge(row)
        return row
