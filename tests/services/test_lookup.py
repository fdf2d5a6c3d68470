"""The search box's answers: every way a receptionist types a person, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from frontdesk.domain.referral_code import ALPHABET
from frontdesk.services.bundle import Services
from frontdesk.services.dto import LookupResult
from frontdesk.store.models import Patient
from tests.services.checkin_helpers import Recorder, add, desk_services


@pytest.fixture
def desk(database, clock) -> Services:  # type: ignore[no-untyped-def]
    built = desk_services(database, clock, Recorder())
    add(built, "Kathryn", "Okafor", "07400 100123", "kathryn.okafor@example.org")
    add(built, "Catherine", "Evans", "07400 100456", "cath_evans@example.org")
    add(built, "Jon", "Smith", "07400 200123")
    add(built, "John", "Smyth", "07400 100321")
    add(built, "Sarah", "Connolly", "07400 100555", "sarah@example.org")
    add(built, "Zoë", "O'Brien", "+44 7400 100666", "zob@example.org")
    return built


def _names(result: LookupResult) -> list[str]:
    return [hit.patient.name for hit in result.hits]


def test_a_code_typed_any_way_finds_its_owner_first(desk: Services) -> None:
    sarah = desk.lookup.lookup("Sarah Connolly").hits[0].patient
    assert sarah.code is not None
    typed = sarah.code.lower().replace("-", " ")
    result = desk.lookup.lookup(typed)
    assert result.hits[0].patient.id == sarah.id
    assert result.hits[0].matched_on == "code"
    if any(ch.isdigit() for ch in sarah.code):  # a real code, not a name: no name noise
        assert _names(result) == ["Sarah Connolly"]


def test_one_wrong_symbol_in_a_code_offers_the_real_one(desk: Services) -> None:
    code = desk.lookup.lookup("Sarah Connolly").hits[0].patient.code
    assert code is not None
    last = code[-1]
    wrong = code[:-1] + next(s for s in ALPHABET if s != last and s.isdigit())
    result = desk.lookup.lookup(wrong)
    assert code in result.suggestions
    assert "Sarah Connolly" in _names(result)


@pytest.mark.parametrize("typed", ["07400 100123", "+44 7400 100123", "0044 7400100123", "100123"])
def test_a_phone_in_any_format_or_its_last_digits(desk: Services, typed: str) -> None:
    result = desk.lookup.lookup(typed)
    assert _names(result)[0] == "Kathryn Okafor"
    assert result.hits[0].matched_on == "phone"
    assert result.hits[0].masked_phone.endswith("123")
    assert "100123" not in result.hits[0].masked_phone


def test_last_digits_shared_by_several_show_them_all(desk: Services) -> None:
    assert set(_names(desk.lookup.lookup("0123"))) >= {"Kathryn Okafor", "Jon Smith"}


def test_a_name_prefix_finds_by_first_or_last_name(desk: Services) -> None:
    assert _names(desk.lookup.lookup("Kath"))[0] == "Kathryn Okafor"
    assert _names(desk.lookup.lookup("okaf"))[0] == "Kathryn Okafor"
    assert _names(desk.lookup.lookup("zoe o'bri")) == ["Zoë O'Brien"]


def test_sound_alike_and_misspelt_names_are_found(desk: Services) -> None:
    assert _names(desk.lookup.lookup("Catherine Okafor"))[0] == "Kathryn Okafor"
    assert _names(desk.lookup.lookup("Kathryn Okafro"))[0] == "Kathryn Okafor"
    assert "Kathryn Okafor" in _names(desk.lookup.lookup("Cathrine"))


def test_whole_prefix_matches_rank_above_sound_alikes(desk: Services) -> None:
    names = _names(desk.lookup.lookup("Jon"))
    assert names[:2] == ["Jon Smith", "John Smyth"]
    assert desk.lookup.lookup("Jon").hits[0].score > desk.lookup.lookup("Jon").hits[1].score


def test_email_prefix_is_literal_not_a_pattern(desk: Services) -> None:
    assert _names(desk.lookup.lookup("kathryn.okafor@ex")) == ["Kathryn Okafor"]
    assert _names(desk.lookup.lookup("cath_evans@")) == ["Catherine Evans"]
    assert desk.lookup.lookup("cath%evans@").hits == ()  # % is a character, not a wildcard


def test_a_hit_says_who_referred_them_and_when_they_last_came(desk: Services) -> None:
    from frontdesk.services.context import SOLE_OWNER

    friend = add(desk, "Tom", "Baker", "07400 100999", referred_by="Sarah Connolly")
    desk.checkin.check_in(SOLE_OWNER, friend.patient.id, "Initial assessment", 6500)
    hit = desk.lookup.lookup("Tom Baker").hits[0]
    assert hit.fact == "referred by Sarah C."
    assert hit.badge is not None
    assert hit.last_visit == desk.ctx.clock.now()
    assert hit.patient.code and hit.patient.code.startswith("TOM-")


def test_erased_patients_are_never_found(desk: Services) -> None:
    with desk.ctx.db.begin() as session:
        session.execute(
            update(Patient)
            .where(Patient.last_name == "Okafor")
            .values(erased_at=datetime(2026, 1, 1, tzinfo=UTC))
        )
    assert "Kathryn Okafor" not in _names(desk.lookup.lookup("Kathryn"))
    assert desk.lookup.lookup("07400 100123").hits == ()
    assert desk.lookup.lookup("kathryn.okafor@").hits == ()


def test_nothing_typed_or_no_one_found(desk: Services) -> None:
    assert desk.lookup.lookup("   ").hits == ()
    assert desk.lookup.lookup("zzqxw").hits == ()
