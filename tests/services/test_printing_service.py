"""The print service on SQLite and PostgreSQL: who gets a card, what each code says, and
posters recorded so the introductions they bring are credited to them."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select, update

from frontdesk.domain.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from frontdesk.printing.documents import CardBackPage, CardFrontPage, PosterPage
from frontdesk.printing.geometry import Paper
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER, Actor
from frontdesk.services.records.patients import NewPatient, add_patient
from frontdesk.store.models import AuditEvent, Clinic, Patient, Poster, Visit
from tests.conftest import TEST_NOW

RECEPTIONIST = Actor(name="Anna", role="receptionist", staff_id=None)


def _add(
    services: Services, first: str, last: str, phone: str, *visits: tuple[str, datetime]
) -> tuple[int, str]:
    rng = random.Random(hash((first, last)) & 0xFFFF)
    with services.ctx.db.begin() as session:
        patient, code = add_patient(
            session,
            NewPatient(
                first_name=first, last_name=last, phone_e164=phone, email=None, email_norm=None
            ),
            TEST_NOW - timedelta(days=30),
            rng,
        )
        for status, at in visits:
            session.add(
                Visit(
                    patient_id=patient.id,
                    visit_type="Follow-up",
                    status=status,
                    at=at,
                    created_at=at,
                )
            )
        return patient.id, code


def test_todays_patients_are_those_who_attended_today_clinic_time(services: Services) -> None:
    today_late = _add(services, "Tom", "Baker", "+447700900001", ("attended", TEST_NOW))
    today_early = _add(
        services,
        "Sarah",
        "Connolly",
        "+447700900002",
        ("attended", datetime.fromisoformat("2026-11-25T00:30+00:00")),
    )
    _add(
        services,
        "Ann",
        "Yesterday",
        "+447700900003",
        ("attended", datetime.fromisoformat("2026-11-24T23:59+00:00")),
    )
    _add(services, "Ben", "Booked", "+447700900004", ("booked", TEST_NOW))
    twice = _add(
        services,
        "Cara",
        "Twice",
        "+447700900005",
        ("attended", TEST_NOW - timedelta(hours=2)),
        ("attended", TEST_NOW),
    )
    erased = _add(services, "Dee", "Gone", "+447700900006", ("attended", TEST_NOW))
    with services.ctx.db.begin() as session:
        session.get_one(Patient, erased[0]).erased_at = TEST_NOW

    people = services.printing.todays_patients()

    assert [p.id for p in people] == [today_early[0], twice[0], today_late[0]]
    assert people[0].code == today_early[1]


def test_a_card_carries_the_personal_link_for_each_chosen_patient(services: Services) -> None:
    tom = _add(services, "Tom", "Baker", "+447700900001")
    zoe = _add(services, "Zoë", "Ng", "+447700900002")
    document = services.printing.card_document([zoe[0], tom[0]], Paper.LETTER)
    assert document.paper is Paper.LETTER
    assert document.payloads == (
        f"https://harbourphysio.example/book?ref={zoe[1]}",
        f"https://harbourphysio.example/book?ref={tom[1]}",
    )
    (page,) = document.pages
    assert isinstance(page, CardFrontPage)
    assert [face.person.first_name for face in page.faces] == ["Zoë", "Tom"]
    assert page.offer == "£10 off your first appointment"


def test_eleven_people_take_two_sheets_and_backs_follow_each_sheet(services: Services) -> None:
    ids = [_add(services, f"P{i}", "X", f"+4477009001{i:02d}")[0] for i in range(11)]
    document = services.printing.card_document(ids, Paper.A4, aftercare=True)
    kinds = [type(page) for page in document.pages]
    assert kinds == [CardFrontPage, CardBackPage, CardFrontPage, CardBackPage]
    assert len(document.pages[2].faces) == 1 and len(document.pages[3].slots) == 1  # type: ignore[union-attr]
    assert len(document.payloads) == 11


def test_without_a_website_cards_text_the_clinic_and_without_either_show_the_code(
    services: Services,
) -> None:
    tom = _add(services, "Tom", "Baker", "+447700900001")
    services.clinic.set_setting(SOLE_OWNER, "clinic.booking_url", "")
    services.clinic.set_setting(SOLE_OWNER, "clinic.sms_number", "07400 123456")
    (payload,) = services.printing.card_document([tom[0]]).payloads
    assert payload.startswith("sms:+447400123456?body=") and payload.endswith(tom[1])
    services.clinic.set_setting(SOLE_OWNER, "clinic.sms_number", "")
    document = services.printing.card_document([tom[0]])
    assert document.payloads == ()
    assert "without a QR code" in document.notes[0]


def test_unknown_or_too_many_patients_are_refused(services: Services) -> None:
    with pytest.raises(NotFoundError, match="no longer on file"):
        services.printing.card_document([987654])
    with pytest.raises(InvalidInputError, match="at least one patient"):
        services.printing.card_document([])
    with pytest.raises(InvalidInputError, match="at most 500"):
        services.printing.card_document(list(range(1, 502)))


def test_resolve_takes_codes_and_names_and_refuses_ambiguity(services: Services) -> None:
    sarah_o = _add(services, "Sarah", "O'Brien", "+447700900001")
    _add(services, "Sarah", "Haddad", "+447700900002")
    tom = _add(services, "Tom", "Baker", "+447700900003")
    found = services.printing.resolve([sarah_o[1].lower(), "Tom Baker", "07700 900003"])
    assert [p.id for p in found] == [sarah_o[0], tom[0]]  # Tom once, however he was named
    with pytest.raises(InvalidInputError, match="matches 2 patients") as ambiguous:
        services.printing.resolve(["sarah"])
    assert "Use their code" in str(ambiguous.value)
    with pytest.raises(NotFoundError, match="No patient matches 'zzqxw'"):
        services.printing.resolve(["zzqxw"])


def test_posters_are_recorded_with_their_tag_and_reprints_keep_it(services: Services) -> None:
    document = services.printing.print_posters(
        RECEPTIONIST, "physio", Paper.A4, ["Reception", "Treatment room 1", "reception"]
    )
    assert document.payloads == (
        "https://harbourphysio.example/book?src=reception",
        "https://harbourphysio.example/book?src=treatment-room-1",
    )
    assert all(isinstance(p, PosterPage) and p.qr.error_correction == "H" for p in document.pages)
    listed = services.printing.list_posters()
    assert [(p.name, p.source_tag, p.paper) for p in listed] == [
        ("Reception", "reception", "A4"),
        ("Treatment room 1", "treatment-room-1", "A4"),
    ]

    services.clinic.set_setting(SOLE_OWNER, "clinic.booking_url", "https://new.example/b")
    services.printing.print_posters(SOLE_OWNER, "massage", Paper.A5, ["Reception"])
    with services.ctx.db.read() as session:
        rows = session.scalars(select(Poster).order_by(Poster.id)).all()
        assert len(rows) == 2
        assert (rows[0].qr_payload, rows[0].template, rows[0].paper) == (
            "https://new.example/b?src=reception",
            "massage",
            "A5",
        )
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "poster")
        ).all()
    assert actions.count("poster.create") == 2 and actions.count("poster.update") == 1


def test_a_poster_preview_writes_nothing(services: Services) -> None:
    document = services.printing.poster_preview("medspa", Paper.LETTER, "Mirror")
    assert document.payloads == ("https://harbourphysio.example/book?src=mirror",)
    assert services.printing.list_posters() == ()


def test_poster_without_website_texts_the_keyword(services: Services) -> None:
    services.clinic.set_setting(SOLE_OWNER, "clinic.booking_url", "")
    services.clinic.set_setting(SOLE_OWNER, "clinic.sms_number", "07400 123456")
    services.clinic.set_setting(SOLE_OWNER, "sms.poster_keyword", "glow")
    (page,) = services.printing.poster_preview("physio", Paper.A4, "Mirror").pages
    assert isinstance(page, PosterPage)
    assert page.qr.payload == "sms:+447400123456?body=GLOW%20MIRROR"
    assert page.contact == "Text GLOW to 07400 123456"
    assert "reply with your own code" in page.instruction


def test_the_owners_words_replace_the_templates(services: Services) -> None:
    services.clinic.set_setting(SOLE_OWNER, "print.friend_offer", "A free 15-minute check-up")
    services.clinic.set_setting(SOLE_OWNER, "print.poster_headline", "Friends heal faster")
    (page,) = services.printing.poster_preview("physio", Paper.A4, "Reception").pages
    assert isinstance(page, PosterPage)
    assert (page.headline, page.offer) == ("Friends heal faster", "A free 15-minute check-up")
    tom = _add(services, "Tom", "Baker", "+447700900001")
    (card,) = services.printing.card_document([tom[0]]).pages
    assert card.offer == "A free 15-minute check-up"  # type: ignore[union-attr]


def _png(size: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), "#0E7C86").save(out, "PNG")
    return out.getvalue()


def test_the_owner_sets_a_logo_that_every_print_carries(services: Services) -> None:
    logo = services.printing.set_logo(SOLE_OWNER, _png())
    assert logo.format == "png"
    (page,) = services.printing.poster_preview("physio", Paper.A4, "Reception").pages
    assert page.clinic.logo == logo  # type: ignore[union-attr]
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>'
    assert services.printing.set_logo(SOLE_OWNER, svg).format == "svg"
    services.printing.clear_logo(SOLE_OWNER)
    assert services.printing.logo() is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a not a logo", "PNG, JPEG or SVG"),
        (b"<svg><unclosed></svg>", "not valid SVG"),
        (_png(20), "blurred"),
    ],
)
def test_unusable_logos_are_refused_and_nothing_is_stored(
    services: Services, data: bytes, reason: str
) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        services.printing.set_logo(SOLE_OWNER, data)
    assert services.printing.logo() is None


def test_only_an_owner_changes_the_logo(services: Services) -> None:
    with pytest.raises(PermissionDeniedError):
        services.printing.set_logo(RECEPTIONIST, _png())


def test_a_long_booking_address_enlarges_card_codes_and_says_so(services: Services) -> None:
    tom = _add(services, "Tom", "Baker", "+447700900001")
    services.clinic.set_setting(
        SOLE_OWNER, "clinic.booking_url", "https://harbourphysio.example/book/" + "a" * 190
    )
    document = services.printing.card_document([tom[0]])
    assert "enlarged" in document.notes[0] and "0.5 mm" in document.notes[0]
    face = document.pages[0].faces[0]  # type: ignore[union-attr]
    assert face.layout.qr.w / face.qr.total_modules >= 0.5


def test_an_address_too_long_for_a_card_is_refused_with_what_to_do(services: Services) -> None:
    tom = _add(services, "Tom", "Baker", "+447700900001")
    # Settings refuse such an address now; a clinic that saved one before still gets told.
    with services.ctx.db.begin() as session:
        session.execute(
            update(Clinic).values(booking_url="https://harbourphysio.example/book/" + "a" * 440)
        )
    with pytest.raises(InvalidInputError, match="link shortener"):
        services.printing.card_document([tom[0]])
