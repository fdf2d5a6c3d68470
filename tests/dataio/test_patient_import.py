"""The CSV import end to end on SQLite and PostgreSQL: preview, duplicates, all or nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from frontdesk.domain.errors import InvalidInputError, PermissionDeniedError
from frontdesk.domain.referral_code import is_valid, split_code
from frontdesk.services.bundle import Services
from frontdesk.services.dataio import patient_import
from frontdesk.services.dataio.patient_import import PATIENT_COLUMNS, ImportCancelled
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.services.records.patients import NewPatient, add_patient, build_patient
from frontdesk.store import bulk
from frontdesk.store.models import AuditEvent, ConsentEvent, Patient, ReferralCode
from tests.conftest import TEST_NOW

GOOD = (
    "First Name,Last Name,Mobile,Email,DOB,SMS Consent\n"
    "Sarah,Connolly,07400 123456,sarah@example.org,12/03/1985,yes\n"
    "Tom,Baker,+44 7400 123457,,1990,no\n"
    "ZOË,O'BRIEN,(07400) 123-458,zoe@example.org,,Y\n"
)
BAD = (
    "First Name,Last Name,Mobile,Email\n"
    "Sarah,Connolly,07400 123456,sarah@example.org\n"  # 2 good
    ",Baker,07400 123457,\n"  # 3 no first name
    "Anna,Smith,0740012,\n"  # 4 phone too short
    "Ben,Jones,07400 123459,ben@example\n"  # 5 bad email
    "Sarah,Connolly,+44 7400 123456,\n"  # 6 line 2 again: merged into it
    "Cara,Doyle,07400 123460,SARAH@example.org\n"  # 7 another person with line 2's email
    ",,,\n"
    "Dan,Reid,07400 123461,dan@example.org\n"  # 9 good
)


def _csv(tmp_path: Path, content: str, name: str = "patients.csv") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _count(services: Services, model: type) -> int:
    with services.ctx.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_imported_patients_are_searchable_and_have_codes(
    services: Services, tmp_path: Path
) -> None:
    result = services.imports.run(SOLE_OWNER, _csv(tmp_path, GOOD))
    assert (result.created, result.merged, result.skipped_problems) == (3, 0, 0)
    for query, name in (
        ("07400 123456", "Sarah Connolly"),
        ("connolly", "Sarah Connolly"),
        ("zoe@example.org", "Zoë O'Brien"),
        ("123457", "Tom Baker"),
    ):
        hits = services.lookup.lookup(query).hits
        assert hits and hits[0].patient.name == name, query
        code = hits[0].patient.code
        assert code is not None
        parts = split_code(code)
        assert parts is not None and is_valid(*parts)
    zoe = services.lookup.lookup("zoe@example.org").hits[0].patient
    assert services.lookup.lookup(zoe.code or "").hits[0].patient.id == zoe.id
    with services.ctx.db.read() as session:
        sarah = session.scalar(select(Patient).where(Patient.last_name == "Connolly"))
        assert sarah is not None
        assert sarah.source_kind == "import" and sarah.source_detail == "Imported from patients.csv"
        assert sarah.birth_year == 1985 and sarah.sms_consent
        assert sarah.created_at == TEST_NOW
        consents = session.execute(select(ConsentEvent.kind, ConsentEvent.channel)).all()
        assert sorted(consents) == [("granted", "import"), ("granted", "import")]
        audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "patients.import"))
        assert audit is not None and '"created": 3' in (audit.after_json or "")


def test_imported_rows_match_what_the_desk_would_write(services: Services, tmp_path: Path) -> None:
    """The bulk path fills exactly the columns ``build_patient`` fills, the same way."""
    assert {f for f in NewPatient.__dataclass_fields__} <= set(PATIENT_COLUMNS)
    services.imports.run(SOLE_OWNER, _csv(tmp_path, GOOD))
    with services.ctx.db.read() as session:
        for patient in session.scalars(select(Patient)):
            desk = build_patient(
                NewPatient(
                    first_name=patient.first_name,
                    last_name=patient.last_name,
                    phone_e164=patient.phone_e164,
                    email=patient.email,
                    email_norm=patient.email_norm,
                ),
                TEST_NOW,
            )
            for column in ("name_norm", "last_norm", "first_key", "last_key", "phone_rev"):
                assert getattr(patient, column) == getattr(desk, column), column


def test_preview_lists_every_bad_row_and_writes_nothing(services: Services, tmp_path: Path) -> None:
    preview = services.imports.preview(_csv(tmp_path, BAD))
    assert preview.new_patients == 3 and preview.blank_rows == 1
    problems = {issue.line: issue.reasons for issue in preview.problems}
    assert problems == {
        3: ("No first name (last name 'Baker').",),
        4: (
            "Phone: 0740012 is too short for GB: 6 digits where a GB mobile has 10 "
            "(not counting a leading 0).",
        ),
        5: ("Email 'ben@example' has no dot in 'example' after the @.",),
    }
    assert [(m.line, m.reasons) for m in preview.merged_in_file] == [
        (6, ("Same person as line 2 (same phone): merged.",))
    ]
    assert [(w.line, w.reasons) for w in preview.warnings] == [
        (
            7,
            (
                "Same email as line 2 (Sarah Connolly): the email stays with Sarah Connolly; "
                "this patient was imported without it — check at the desk.",
            ),
        )
    ]
    assert [row.name for row in preview.sample] == ["Sarah Connolly", "Cara Doyle", "Dan Reid"]
    assert preview.sample[1].email is None
    assert _count(services, Patient) == 0


def test_problems_stop_the_import_unless_skipped(services: Services, tmp_path: Path) -> None:
    path = _csv(tmp_path, BAD)
    with pytest.raises(InvalidInputError) as caught:
        services.imports.run(SOLE_OWNER, path)
    assert caught.value.message.startswith(
        "3 rows have problems, so nothing was imported. First: line 3: No first name"
    )
    assert _count(services, Patient) == 0
    result = services.imports.run(SOLE_OWNER, path, skip_problems=True)
    assert (result.created, result.skipped_problems) == (3, 3)
    assert _count(services, Patient) == 3


def _existing(services: Services, first: str, last: str, phone: str, email: str | None) -> int:
    with services.ctx.db.begin() as session:
        patient, _code = add_patient(
            session,
            NewPatient(first, last, phone, email, email.lower() if email else None),
            TEST_NOW,
            random.Random(1),
        )
        return patient.id


def test_people_already_on_file_are_reported_and_left_alone(
    services: Services, tmp_path: Path
) -> None:
    sarah = _existing(services, "Sarah", "Connolly", "+447400123456", None)
    result = services.imports.run(SOLE_OWNER, _csv(tmp_path, GOOD))
    assert (result.created, result.skipped_duplicates) == (2, 1)
    [match] = result.preview.duplicates
    assert (match.line, match.existing_id, match.matched_on, match.action) == (
        2,
        sarah,
        "phone",
        "skip",
    )
    assert match.detail == "Already on file (same phone); left as it is."
    with services.ctx.db.read() as session:
        assert session.get_one(Patient, sarah).email is None


def test_merge_fills_in_what_is_missing_and_never_overwrites(
    services: Services, tmp_path: Path
) -> None:
    sarah = _existing(services, "Sarah", "Connolly", "+447400123456", None)
    tom = _existing(services, "Tom", "Baker", "+447400123999", "tom@example.org")
    anna = _existing(services, "Anna", "Baker", "+447400123460", None)
    content = (
        "First Name,Last Name,Mobile,Email,DOB,SMS Consent\n"
        "Sarah,Connolly,07400 123456,sarah@example.org,1985,yes\n"  # merge: email, year, consent
        "Tom,Baker,07400 123457,TOM@example.org,,\n"  # same email, has a phone: nothing to add
        "Ben,Baker,07400 123460,,,\n"  # Anna's phone, different name: conflict
    )
    result = services.imports.run(SOLE_OWNER, _csv(tmp_path, content), duplicates="merge")
    by_line = {d.line: d for d in result.preview.duplicates}
    assert by_line[2].action == "merge"
    assert by_line[2].detail == "Fills in email, year of birth, SMS consent."
    assert by_line[3].action == "unchanged" and by_line[3].existing_id == tom
    assert by_line[3].matched_on == "email"
    assert by_line[3].detail == "Already on file; nothing missing to fill in."
    assert by_line[4].action == "conflict" and by_line[4].existing_id == anna
    assert "different name: not merged" in by_line[4].detail
    assert result.created == 0 and result.merged == 1
    with services.ctx.db.read() as session:
        merged = session.get_one(Patient, sarah)
        assert merged.email == "sarah@example.org" and merged.email_norm == "sarah@example.org"
        assert merged.birth_year == 1985 and merged.sms_consent
        assert merged.first_name == "Sarah"
        assert session.get_one(Patient, tom).phone_e164 == "+447400123999"  # never overwritten
        assert session.get_one(Patient, anna).first_name == "Anna"
        audits = session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "patient.import_merge")
        ).all()
        assert sorted(audits) == sorted([sarah])
    assert services.lookup.lookup("sarah@example.org").hits[0].patient.id == sarah


def test_a_failure_mid_import_leaves_nothing_behind(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patients are written, then writing their codes fails: all of it is rolled back,
    indexes included."""
    real = bulk.insert_rows
    calls = {"n": 0}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "insert_rows", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        services.imports.run(SOLE_OWNER, _csv(tmp_path, GOOD))
    assert calls["n"] == 2
    for model in (Patient, ReferralCode, ConsentEvent, AuditEvent):
        if model is AuditEvent:
            continue
        assert _count(services, model) == 0, model
    assert _index_names(services) >= {"ix_patient_phone_e164", "ix_patient_name_norm"}
    monkeypatch.setattr(bulk, "insert_rows", real)
    assert services.imports.run(SOLE_OWNER, _csv(tmp_path, GOOD)).created == 3


def _index_names(services: Services) -> set[str]:
    with services.ctx.db.read() as session:
        if services.ctx.db.is_sqlite:
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'patient'"
        else:
            sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'patient'"
        return set(session.execute(text(sql)).scalars())


def test_cancel_while_writing_imports_nothing(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patient_import, "BATCH", 2)
    seen: list[tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))
        if stage == "writing" and done >= 2:
            raise ImportCancelled

    with pytest.raises(ImportCancelled, match="Nothing was imported"):
        services.imports.run(SOLE_OWNER, _csv(tmp_path, GOOD), progress=progress)
    assert ("writing", 2, 3) in seen and ("checking", 3, 3) in seen
    assert _count(services, Patient) == 0


def test_only_an_owner_imports(services: Services, tmp_path: Path) -> None:
    desk = Actor(name="Anna", role="receptionist", staff_id=None)
    with pytest.raises(PermissionDeniedError, match="Only an owner can import a patient list"):
        services.imports.run(desk, _csv(tmp_path, GOOD))
    assert services.imports.preview(_csv(tmp_path, GOOD)).new_patients == 3


def test_columns_can_be_remapped_by_name_or_number(services: Services, tmp_path: Path) -> None:
    path = _csv(tmp_path, "Who,Cell,Notes\nSarah Connolly,07400 123456,likes mornings\n")
    shape = services.imports.inspect(path)
    assert [c.field for c in shape.columns] == [None, "phone", None]
    assert shape.columns[1].samples == ("07400 123456",)
    with pytest.raises(InvalidInputError, match="No column is set to First name"):
        services.imports.preview(path, overrides={"Who": "ignore"})
    preview = services.imports.preview(path, overrides={"#2": "phone", "who": "full name"})
    assert preview.sample[0].phone == "+447400123456"
    assert preview.sample[0].name == "Sarah Connolly"
