"""New patients with their referral, the self-referral and known-person refusals."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import (
    InvalidInputError,
    InvalidPhoneError,
    KnownPersonError,
    NotFoundError,
    PermissionDeniedError,
    SelfReferralError,
    UnknownCodeError,
)
from frontdesk.domain.referral_code import is_valid, split_code
from frontdesk.services.bundle import Services
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.services.records.effects import EffectHandlers, ReferralAttached
from frontdesk.store.engine import Database
from frontdesk.store.models import (
    AuditEvent,
    ConsentEvent,
    Patient,
    Referral,
    ReferralCode,
    ReferralEvent,
)
from tests.services.checkin_helpers import Recorder, add, desk_services

ANNA = Actor(name="Anna", role="receptionist")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def desk(database: Database, clock: FixedClock, recorder: Recorder) -> Services:
    return desk_services(database, clock, recorder)


def counts(services: Services) -> tuple[int, int, int, int]:
    with services.ctx.db.read() as s:
        return (
            s.scalar(select(func.count(Patient.id))) or 0,
            s.scalar(select(func.count(Referral.id))) or 0,
            s.scalar(select(func.count(ReferralCode.id))) or 0,
            s.scalar(select(func.count(AuditEvent.id))) or 0,
        )


def test_a_new_patient_is_stored_normalised_with_a_valid_personal_code(desk: Services) -> None:
    added = desk.patients.add(
        ANNA,
        NewPatientForm(
            first_name="  Zoë ",
            last_name="O'Brien",
            phone="07400 123123",
            email="  Zoe.OBrien@Example.ORG ",
            sms_consent=True,
        ),
    )
    assert added.patient.name == "Zoë O'Brien"
    assert added.patient.phone == "+447400123123"
    assert added.patient.email == "zoe.obrien@example.org"
    assert added.patient.code is not None and added.patient.code.startswith("ZOE-")
    name, suffix = split_code(added.patient.code) or ("", "")
    assert is_valid(name, suffix)
    assert added.referral_id is None
    assert added.notes[0] == f"Zoë O'Brien is saved. Their code is {added.patient.code}."
    with desk.ctx.db.read() as s:
        patient = s.get_one(Patient, added.patient.id)
        assert patient.name_norm == "zoe obrien" and patient.first_key
        assert patient.phone_rev == "321321004744"
        consent = s.scalars(select(ConsentEvent)).one()
        assert (consent.patient_id, consent.kind, consent.channel) == (
            patient.id,
            "granted",
            "desk",
        )
        entry = s.scalars(select(AuditEvent).where(AuditEvent.action == "patient.add")).one()
        assert entry.actor_name == "Anna"
        assert "7400123123" not in (entry.after_json or "")  # phones are masked in the audit


def test_referral_by_code_is_written_with_the_patient_and_fires_its_event(
    desk: Services, recorder: Recorder
) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah@example.org")
    code = sarah.patient.code or ""
    typed = code.lower().replace("-", " ")
    tom = add(desk, "Tom", "Baker", "07400 123789", referred_by=typed)
    assert tom.referrer is not None and tom.referrer.id == sarah.patient.id
    assert "Referred by Sarah Connolly." in tom.notes
    assert f"handler saw referral {tom.referral_id}" in tom.notes
    assert recorder.referral_rows_seen == ["introduced"]
    with desk.ctx.db.read() as s:
        referral = s.get_one(Referral, tom.referral_id)
        assert (referral.referrer_id, referral.referee_id) == (sarah.patient.id, tom.patient.id)
        assert referral.status == "introduced" and referral.code_used == code
        history = s.scalars(select(ReferralEvent)).all()
        assert [(h.from_status, h.to_status) for h in history] == [(None, "introduced")]
        assert s.get_one(Patient, tom.patient.id).source_kind == "patient"


@pytest.mark.parametrize(
    "query", ["+44 7400 123456", "07400123456", "sarah@EXAMPLE.org", "Sarah Connolly"]
)
def test_referrer_can_be_named_by_phone_email_or_full_name(desk: Services, query: str) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah@example.org")
    tom = add(desk, "Tom", "Baker", "07400 123789", referred_by=query)
    assert tom.referrer == sarah.patient
    assert tom.referral_id is not None


def test_a_mistyped_referrer_code_names_the_real_one_and_saves_nothing(desk: Services) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    code = sarah.patient.code or ""
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    before = counts(desk)
    with pytest.raises(UnknownCodeError) as refused:
        add(desk, "Tom", "Baker", "07400 123789", referred_by=wrong)
    assert refused.value.suggestions == (code,)
    assert f"Did you mean {code}?" in str(refused.value)
    assert counts(desk) == before


def test_an_ambiguous_referrer_name_lists_who_matched(desk: Services) -> None:
    add(desk, "Margaret", "Hill", "07400 123111")
    add(desk, "Margaret", "Hill", "07400 123222")
    before = counts(desk)
    with pytest.raises(InvalidInputError, match="matches 2 people") as refused:
        add(desk, "Tom", "Baker", "07400 123789", referred_by="margaret hill")
    assert "•111" in str(refused.value) and "•222" in str(refused.value)
    assert counts(desk) == before


def test_an_unknown_referrer_is_refused(desk: Services) -> None:
    with pytest.raises(NotFoundError, match="No one on file matches"):
        add(desk, "Tom", "Baker", "07400 123789", referred_by="Nobody Atall")


@pytest.mark.parametrize(
    ("phone", "email", "field"),
    [
        ("+44 7400 123456", None, "phone"),
        ("07400 123999", " SARAH@example.org ", "email"),
    ],
)
def test_self_referral_is_refused_with_a_reason_and_writes_nothing(
    desk: Services, recorder: Recorder, phone: str, email: str | None, field: str
) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah@example.org")
    before = counts(desk)
    with pytest.raises(SelfReferralError) as refused:
        add(desk, "Sara", "Conolly", phone, email, referred_by=sarah.patient.code)
    message = str(refused.value)
    assert f"same {field} as Sarah Connolly" in message
    assert "Only an owner" in message
    assert refused.value.exit_code == 3
    assert counts(desk) == before
    assert recorder.referrals == []


def test_only_an_owner_can_override_a_self_referral(desk: Services) -> None:
    mum = add(desk, "Helen", "Carter", "07400 123456")
    before = counts(desk)
    with pytest.raises(PermissionDeniedError, match="Only an owner"):
        desk.patients.add(
            ANNA,
            NewPatientForm("Lily", "Carter", phone="07400 123456"),
            referrer_id=mum.patient.id,
            override_reason="Daughter uses her mother's phone",
        )
    assert counts(desk) == before


def test_an_owner_override_is_saved_with_its_reason_and_audited(
    desk: Services, recorder: Recorder
) -> None:
    mum = add(desk, "Helen", "Carter", "07400 123456")
    lily = desk.patients.add(
        SOLE_OWNER,
        NewPatientForm("Lily", "Carter", phone="07400 123456"),
        referrer_id=mum.patient.id,
        override_reason="  Daughter (14) uses her mother's phone ",
    )
    assert lily.overridden and lily.referral_id is not None
    with desk.ctx.db.read() as s:
        referral = s.get_one(Referral, lily.referral_id)
        assert referral.override_reason == "Daughter (14) uses her mother's phone"
        entry = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "referral.self_referral_override")
        ).one()
        assert entry.reason == "Daughter (14) uses her mother's phone"
        assert entry.actor_name == "Owner"
        assert json.loads(entry.after_json or "{}")["referee_id"] == lily.patient.id
    assert len(recorder.referrals) == 1


def test_an_override_without_a_written_reason_is_still_refused(desk: Services) -> None:
    mum = add(desk, "Helen", "Carter", "07400 123456")
    with pytest.raises(SelfReferralError):
        desk.patients.add(
            SOLE_OWNER,
            NewPatientForm("Lily", "Carter", phone="07400 123456"),
            referrer_id=mum.patient.id,
            override_reason="   ",
        )


@pytest.mark.parametrize(
    ("phone", "email", "field"),
    [("07400 123456", None, "phone number"), ("07400 123999", "Sarah@Example.org", "email")],
)
def test_a_known_person_is_not_created_twice(
    desk: Services, phone: str, email: str | None, field: str
) -> None:
    sarah = add(desk, "Sarah", "Connolly", "07400 123456", "sarah@example.org")
    tom = add(desk, "Tom", "Baker", "07400 123789")
    before = counts(desk)
    with pytest.raises(KnownPersonError) as refused:
        add(desk, "Sarah", "Connolly", phone, email, referred_by=tom.patient.code)
    assert refused.value.existing_patient_id == sarah.patient.id
    assert f"That {field} is already on file for Sarah Connolly" in str(refused.value)
    assert "no referral reward" in str(refused.value)
    assert counts(desk) == before


BAD_INPUT = [
    ("", "Baker", "07400 123789", None, "Please enter the patient's first name."),
    ("   ", "Baker", "07400 123789", None, "Please enter the patient's first name."),
    ("T" * 101, "Baker", "07400 123789", None, "101 characters long"),
    ("😀", "Baker", "07400 123789", None, "needs letters"),
    ("Tom😀", "Baker", "07400 123789", None, "can't contain emoji or symbols like “😀”"),
    ("Tom2", "Baker", "07400 123789", None, "has no digits"),
    ("Robert'); DROP TABLE patient;--", "", "07400 123789", None, "not “)”"),
    ("Tоm", "Baker", "07400 123789", None, "mixes alphabets (Cyrillic and Latin)"),
    ("Tom\u202e", "Baker", "07400 123789", None, "invisible control character (U+202E)"),
    ("Tom", "Baker", "", None, "mobile number or an email"),
    ("Tom", "Baker", "0770", None, "too short"),
    ("Tom", "Baker", "call me", None, "has letters in it"),
    ("Tom", "Baker", "1" * 60, None, "far too long"),
    ("Tom", "Baker", "07400 123789", "tom.example.org", "has no @"),
    ("Tom", "Baker", "07400 123789", "tom@@example.org", "more than one @"),
    ("Tom", "Baker", "07400 123789", "tom@example", "missing the end of its domain"),
    ("Tom", "Baker", "07400 123789", "tom baker@example.org", "has no spaces"),
    ("Tom", "Baker", "07400 123789", "x" * 250 + "@example.org", "at most 254"),
    ("Tom", "Baker", "07400 123789", "tom'--@exa mple.org", "has no spaces"),
]


def test_bad_input_gets_a_specific_message_and_changes_nothing(desk: Services) -> None:
    for first, last, phone, email, message in BAD_INPUT:
        before = counts(desk)
        with pytest.raises(InvalidInputError) as refused:
            add(desk, first, last, phone, email)
        assert message in str(refused.value), (first, phone, email, str(refused.value))
        assert refused.value.exit_code == 2
        assert counts(desk) == before


def test_bad_phone_is_an_invalid_phone_error(desk: Services) -> None:
    with pytest.raises(InvalidPhoneError, match="too short for GB"):
        add(desk, "Tom", "Baker", "07400 1231")


REAL_NAMES = [
    ("محمد", "الأحمد", "محمد الأحمد"),
    ("שרה", "כהן", "שרה כהן"),
    ("美咲", "佐藤", "美咲 佐藤"),
    ("Anne-Marie", "D'Arcy", "Anne-Marie D'Arcy"),
    ("José", "Núñez", "José Núñez"),
    ("Zoë", "Ivanova Иванова", "Zoë Ivanova Иванова"),
]


def test_real_names_in_any_script_are_welcome(desk: Services) -> None:
    for index, (first, last, stored) in enumerate(REAL_NAMES):
        added = add(desk, first, last, f"07400 12378{index}")
        assert added.patient.name == stored
        name_part = (added.patient.code or "").split("-")[0]
        assert name_part.isascii() and name_part.isalpha()


def test_a_failing_effect_handler_leaves_nothing_half_written(
    database: Database, clock: FixedClock
) -> None:
    def broken(_event: ReferralAttached) -> list[str]:
        raise RuntimeError("reward module crashed")

    recorder = Recorder()
    desk = desk_services(database, clock, recorder)
    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import ServiceContext

    failing = build_services(
        ServiceContext(db=database, clock=clock),
        extra_effects=EffectHandlers(on_referral_attached=(broken,)),
    )
    before = counts(desk)
    with pytest.raises(RuntimeError):
        add(failing, "Tom", "Baker", "07400 123789", referred_by=sarah.patient.code)
    assert counts(desk) == before


def test_codes_are_never_reused_even_when_the_generator_repeats(
    database: Database, clock: FixedClock
) -> None:
    import random

    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import ServiceContext

    class Stuck(random.Random):
        """Gives the same symbols twice, then moves on: the second patient must retry."""

        def __init__(self) -> None:
            super().__init__(1)
            self.calls = 0

        def choice(self, seq):  # type: ignore[no-untyped-def, override]
            self.calls += 1
            return seq[0] if self.calls <= 6 else super().choice(seq)

    built = build_services(ServiceContext(db=database, clock=clock), rng=Stuck())
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    first = add(built, "Sam", "One", "07400 123001")
    second = add(built, "Sam", "Two", "07400 123002")
    assert first.patient.code == "SAM-000" + first.patient.code[-1]  # type: ignore[index]
    assert second.patient.code != first.patient.code


def test_a_code_taken_by_another_desk_in_the_meantime_is_retried(
    desk: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between our "is it free?" and our insert another desk saves the same code: the
    unique constraint catches it and a fresh code is drawn, in the same transaction."""
    from frontdesk.services.records import patients as patient_records

    sarah = add(desk, "Sarah", "Connolly", "07400 123456")
    taken = sarah.patient.code or ""
    real = patient_records.unique_code
    calls: list[str] = []

    def racing(session, first_name, rng, tried):  # type: ignore[no-untyped-def]
        code = taken if not calls else real(session, first_name, rng, tried)
        calls.append(code)
        return code

    monkeypatch.setattr(patient_records, "unique_code", racing)
    tom = add(desk, "Sarah", "Baker", "07400 123789")
    assert calls[0] == taken and tom.patient.code == calls[1] != taken
    assert counts(desk)[2] == 2  # two codes, no half-written third
