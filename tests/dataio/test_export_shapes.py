"""A clinic's first import, from the exports it really has: Square, Vagaro, Google Contacts
(both layouts) and Outlook, with their mess — checked patient by patient, field by field,
on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from frontdesk.store.models import ConsentEvent, Patient
from tests.conftest import TEST_NOW
from tests.dataio import exports_shaped
from tests.dataio.exports_shaped import EXPECTED, WRITERS

LOOKS_LIKE = {
    "square": "Looks like a Square customers export.",
    "google": "Looks like a Google Contacts export.",
    "google_legacy": "Looks like a Google Contacts (older layout) export.",
    "vagaro": "Looks like a Vagaro customer list export.",
    "outlook": "Looks like an Outlook contacts export.",
}


def _patients(services: Services) -> dict[str, tuple[object, ...]]:
    with services.ctx.db.read() as session:
        return {
            f"{p.first_name} {p.last_name}": (
                p.phone_e164,
                p.email,
                p.address,
                p.postcode,
                p.birth_year,
                p.sms_consent,
                p.opted_out_at is not None,
            )
            for p in session.scalars(select(Patient))
        }


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_export_is_recognised_and_imported_field_by_field(
    services: Services, tmp_path: Path, kind: str
) -> None:
    path = WRITERS[kind](tmp_path / f"{kind}.csv")
    shape = services.imports.inspect(path)
    assert shape.preset == kind and shape.looks_like == LOOKS_LIKE[kind]
    preview = services.imports.preview(path)
    assert preview.problems == (), preview.problems
    result = services.imports.run(SOLE_OWNER, path)
    assert result.created == len(EXPECTED[kind])
    assert _patients(services) == EXPECTED[kind]


def test_square_title_totals_and_the_same_person_twice(services: Services, tmp_path: Path) -> None:
    path = exports_shaped.square(tmp_path / "customers.csv")
    preview = services.imports.preview(path)
    assert preview.shape.header_line == 2 and preview.shape.skipped_rows == 2  # title, total
    assert preview.shape.columns[7].header == "Street Address 1"
    assert preview.shape.columns[7].field == "address"
    assert [(m.line, m.name, m.reasons) for m in preview.merged_in_file] == [
        (
            5,
            "Ann Lee",
            ("Same person as line 3 (same phone): merged; adds year of birth.",),
        )
    ]
    assert preview.new_patients == 3 and preview.problems == ()


def test_unsubscribed_customers_stay_unsubscribed_in_the_consent_history(
    services: Services, tmp_path: Path
) -> None:
    services.imports.run(SOLE_OWNER, exports_shaped.square(tmp_path / "customers.csv"))
    with services.ctx.db.read() as session:
        events = session.execute(
            select(Patient.first_name, ConsentEvent.kind, ConsentEvent.channel, ConsentEvent.at)
            .join(Patient, Patient.id == ConsentEvent.patient_id)
            .order_by(Patient.first_name)
        ).all()
    assert [tuple(e) for e in events] == [
        ("Ann", "granted", "import", TEST_NOW),
        ("Bob", "opted_out", "import", TEST_NOW),
    ]
    bob = services.lookup.lookup("07400 111002").hits[0].patient
    assert bob.name == "Bob Ray"


def test_a_family_landline_goes_to_the_first_and_the_second_is_flagged(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "family.csv"
    path.write_text(
        "First Name,Last Name,Phone\n"
        "Ann,Lee,0113 496 0000\n"
        "Tom,Lee,0113 496 0000\n"
        "Ann,Lee,0113 4960000\n",
        encoding="utf-8",
    )
    preview = services.imports.preview(path)
    assert preview.new_patients == 2
    assert [w.line for w in preview.warnings] == [3]
    assert (
        preview.warnings[0]
        .reasons[0]
        .startswith("Same phone as line 2 (Ann Lee): a family number? The phone stays with Ann Lee")
    )
    assert [m.line for m in preview.merged_in_file] == [4]
    services.imports.run(SOLE_OWNER, path)
    assert {name: row[0] for name, row in _patients(services).items()} == {
        "Ann Lee": "+441134960000",
        "Tom Lee": None,
    }


def test_the_mobile_is_chosen_by_label_and_by_number_type(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(
        "First Name,Last Name,Home Phone,Work Phone,Phone\n"
        "Ann,Lee,0113 496 0000,---,07400 111001\n"  # landline first, mobile by type
        "Bob,Ray,N/A,0,0113 496 0001 ::: 07400 111002\n"  # two numbers in one cell
        "Cat,Moss,0113 496 0002,,\n",  # a landline only: kept, so the desk finds her
        encoding="utf-8",
    )
    services.imports.run(SOLE_OWNER, path)
    assert {name: row[0] for name, row in _patients(services).items()} == {
        "Ann Lee": "+447400111001",
        "Bob Ray": "+447400111002",
        "Cat Moss": "+441134960002",
    }


def test_hostile_rows_are_rejected_with_their_line(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(
        "First Name,Last Name,Mobile\n"
        '=HYPERLINK("http://x.example"),Lee,07400 111001\n'
        "Cat,Moss,07400 111004\n"
        '"Ann,Lee,07400 111005\n'
        "Bob,Ray,07400 111006\n"
        "Dan,Reid,07400 111007,oops\n"
        "Eve,Bell\x1b,07400 111008\n",
        encoding="utf-8",
    )
    preview = services.imports.preview(path)
    reasons = {issue.line: issue.reasons[0] for issue in preview.problems}
    assert sorted(reasons) == [2, 4, 6, 7]
    assert reasons[2] == (
        'A first name can\'t contain emoji or symbols like “=”: “=HYPERLINK("http://x.example")”.'
    )
    assert reasons[4].startswith('A quote (") opens a value on line 4 and is never closed')
    assert reasons[6].startswith("Has 4 values but the header has 3 columns")
    assert "control character (U+001B)" in reasons[7]
    assert [row.name for row in preview.sample] == ["Cat Moss", "Bob Ray"]
    result = services.imports.run(SOLE_OWNER, path, skip_problems=True)
    assert (result.created, result.skipped_problems) == (2, 4)


@pytest.mark.parametrize(
    ("encoding", "bom", "shown"),
    [
        ("utf-16-le", b"", "UTF-16 LE"),
        ("utf-16-be", b"", "UTF-16 BE"),
        ("cp1250", b"", "Windows-1250 (Central Europe)"),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 (with BOM)"),
    ],
)
def test_names_survive_every_encoding(
    services: Services, tmp_path: Path, encoding: str, bom: bytes, shown: str
) -> None:
    path = tmp_path / "list.txt"
    text = "First Name\tLast Name\tMobile\r\nŁukasz\tPiątek\t07400 111001\r\n"
    path.write_bytes(bom + text.encode(encoding))
    preview = services.imports.preview(path)
    assert preview.shape.encoding == shown and preview.shape.encoding_detected
    services.imports.run(SOLE_OWNER, path)
    assert list(_patients(services)) == ["Łukasz Piątek"]


def test_import_then_export_then_import_loses_nothing(
    services: Services, tmp_path: Path, clock: FixedClock
) -> None:
    for kind in ("square", "google", "vagaro"):
        services.imports.run(SOLE_OWNER, WRITERS[kind](tmp_path / f"{kind}.csv"))
    before = _patients(services)
    out = tmp_path / "export.csv"
    services.exports.export(SOLE_OWNER, "patients", out)
    db = open_database(str(tmp_path / "second.sqlite3"))
    upgrade(db)
    try:
        second = build_services(ServiceContext(db=db, clock=clock))
        second.clinic.init(SOLE_OWNER, name="Second Clinic", country="GB")
        result = second.imports.run(SOLE_OWNER, out)
        assert result.created == len(before)
        assert _patients(second) == before
    finally:
        db.dispose()


def test_a_mapping_the_clinic_corrected_is_used_for_the_next_file(
    services: Services, tmp_path: Path
) -> None:
    header = "First Name,Last Name,Cell 2,Notes\n"
    first = tmp_path / "october.csv"
    first.write_text(header + "Ann,Lee,07400 111001,likes mornings\n", encoding="utf-8")
    shape = services.imports.inspect(first)
    assert [c.field for c in shape.columns] == ["first_name", "last_name", None, None]
    assert not shape.mapping_remembered
    services.imports.run(SOLE_OWNER, first, overrides={"Cell 2": "phone"})
    second = tmp_path / "november.csv"
    second.write_text(header + "Bob,Ray,07400 111002,\n", encoding="utf-8")
    shape = services.imports.inspect(second)
    assert [c.field for c in shape.columns] == ["first_name", "last_name", "phone", None]
    assert shape.mapping_remembered
    services.imports.run(SOLE_OWNER, second)
    assert _patients(services)["Bob Ray"][0] == "+447400111002"
    # Going back to the guess forgets the correction.
    third = tmp_path / "december.csv"
    third.write_text(header + "Cat,Moss,07400 111003,\n", encoding="utf-8")
    services.imports.run(SOLE_OWNER, third, mapping=["first_name", "last_name", None, None])
    assert not services.imports.inspect(third).mapping_remembered


def test_fifty_thousand_google_contacts_with_their_mess(services: Services, tmp_path: Path) -> None:
    expected = exports_shaped.google_many(tmp_path / "contacts.csv", 50_000)
    result = services.imports.run(SOLE_OWNER, tmp_path / "contacts.csv")
    assert result.created == 50_000 and result.skipped_problems == 0
    assert len(result.preview.merged_in_file) == len(range(0, 50_000, 7))
    with services.ctx.db.read() as session:
        found = {
            f"{first} {last}": (phone, email)
            for first, last, phone, email in session.execute(
                select(Patient.first_name, Patient.last_name, Patient.phone_e164, Patient.email)
            )
        }
    assert found == expected
