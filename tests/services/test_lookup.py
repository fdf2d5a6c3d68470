"""The search box: the obvious match first, sound-alikes, typos, phones, codes, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.engine import Database, open_database
from frontdesk.store.migrate import upgrade
from frontdesk.store.models import FraudFlag, Patient, Referral, Reward, Visit
from tests.conftest import TEST_NOW, _fresh_postgres_database
from tests.query_plans import assert_no_table_scans, statements_of
from tests.services.checkin_helpers import Recorder, add, desk_services


def _fill(services: Services, clock: FixedClock) -> Services:
    people = [
        ("Sarah", "Connolly", "07400 123456", "sarah.connolly@example.org"),
        ("Sarah", "Smith", "07400 223456", None),
        ("Kathryn", "Murphy", "07400 323456", None),
        ("John", "Smith", "07400 423456", "john@example.org"),
        ("Margaret", "Hill", "07400 523111", None),
        ("Margaret", "Hill", "07400 623222", None),
        ("Zoë", "O'Brien", "07400 723456", None),
        ("محمد", "الأحمد", "07400 823456", None),
        ("Anna", "Ward", "07400 923456", None),
    ]
    for first, last, phone, email in people:
        add(services, first, last, phone, email)
    clock.advance(timedelta(days=1))
    return services


@pytest.fixture
def desk(database: Database, clock: FixedClock) -> Services:
    """A clinic of nine, for tests that change something."""
    return _fill(desk_services(database, clock, Recorder()), clock)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The same clinic, built once per database for the read-only tests (they are many)."""
    clock = FixedClock(TEST_NOW)
    if request.param == "sqlite":
        db = open_database(str(tmp_path_factory.mktemp("lookup") / "clinic.sqlite3"))
        upgrade(db)
        yield _fill(desk_services(db, clock, Recorder()), clock)
        db.dispose()
        return
    with _fresh_postgres_database() as url:
        db = open_database(url)
        upgrade(db)
        yield _fill(desk_services(db, clock, Recorder()), clock)
        db.dispose()


def names(services: Services, query: str) -> list[str]:
    return [hit.patient.name for hit in services.lookup.lookup(query).hits]


def pid(services: Services, name: str, nth: int = 0) -> int:
    with services.ctx.db.read() as s:
        first, last = name.split(" ", 1)
        return s.scalars(
            select(Patient.id)
            .where(Patient.first_name == first, Patient.last_name == last)
            .order_by(Patient.id)
        ).all()[nth]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sarah con", "Sarah Connolly"),
        ("Sarah Connolly", "Sarah Connolly"),
        ("connolly sarah", "Sarah Connolly"),
        ("conoly", "Sarah Connolly"),  # a typo, and sounds the same
        ("Sarh Connolly", "Sarah Connolly"),
        ("Catherine", "Kathryn Murphy"),  # sounds alike
        ("Katherine Murphy", "Kathryn Murphy"),
        ("Jon Smith", "John Smith"),
        ("jon", "John Smith"),
        ("zoe o'brien", "Zoë O'Brien"),
        ("ZOE OBRIEN", "Zoë O'Brien"),
        ("محمد", "محمد الأحمد"),
        ("sar\u200bah con", "Sarah Connolly"),  # pasted with an invisible space
    ],
)
def test_the_obvious_match_comes_first(shared: Services, query: str, first: str) -> None:
    found = names(shared, query)
    assert found and found[0] == first, found


def test_a_full_match_hides_people_who_match_only_part(shared: Services) -> None:
    assert names(shared, "sarah con") == ["Sarah Connolly"]
    assert set(names(shared, "sarah")) == {"Sarah Connolly", "Sarah Smith"}
    assert set(names(shared, "smith")) == {"Sarah Smith", "John Smith"}


def test_two_margarets_are_told_apart_and_the_one_booked_today_comes_first(
    desk: Services, clock: FixedClock
) -> None:
    older, newer = pid(desk, "Margaret Hill", 0), pid(desk, "Margaret Hill", 1)
    with desk.ctx.db.begin() as s:
        s.get_one(Patient, older).birth_year = 1951
        s.get_one(Patient, newer).birth_year = 1988
        s.add(
            Visit(
                patient_id=older,
                visit_type="Follow-up",
                status="attended",
                at=clock.now() - timedelta(days=40),
                created_at=clock.now(),
            )
        )
        s.add(
            Visit(
                patient_id=newer,
                visit_type="Follow-up",
                status="booked",
                at=clock.now() + timedelta(hours=1),
                created_at=clock.now(),
            )
        )
    hits = desk.lookup.lookup("margaret").hits
    assert [h.patient.id for h in hits] == [newer, older]
    first, second = hits
    assert (first.masked_phone, second.masked_phone) == ("+44 ••• ••• •222", "+44 ••• ••• •111")
    assert (first.birth_year, second.birth_year) == (1988, 1951)
    assert second.last_visit == clock.now() - timedelta(days=40) and first.last_visit is None
    assert first.patient.code != second.patient.code


@pytest.mark.parametrize(
    "query",
    [
        "07400 123456",
        "+44 7400 123456",
        "+447400123456",
        "0044 7400 123456",
        "011 44 7400 123456",
        "(07400) 123-456",
        "123456",
        "3456",
        "23456",
    ],
)
def test_a_phone_in_any_format_or_its_last_digits(shared: Services, query: str) -> None:
    hits = shared.lookup.lookup(query).hits
    assert hits and hits[0].patient.name == "Sarah Connolly", [h.patient.name for h in hits]
    assert hits[0].matched_on == "phone"


def test_last_four_digits_shared_by_several_lists_them_all(shared: Services) -> None:
    ending = {h.patient.name for h in shared.lookup.lookup("3456").hits}
    assert len(ending) == 7 and "Margaret Hill" not in ending  # …123456 to …923456
    assert names(shared, "3111") == ["Margaret Hill"]
    assert names(shared, "123456") == ["Sarah Connolly"]
    assert shared.lookup.lookup("456").hits == ()  # three digits are too few to mean a phone


def test_codes_exact_spoken_or_just_the_last_four_symbols(shared: Services) -> None:
    sarah = shared.lookup.lookup("sarah connolly").hits[0].patient
    code = sarah.code or ""
    name, suffix = code.split("-")
    for typed in (code, code.lower(), f"{name.lower()} {suffix.lower()}", suffix, suffix.lower()):
        hits = shared.lookup.lookup(typed).hits
        assert hits[0].patient.id == sarah.id, typed
        assert hits[0].matched_on == "code"


def test_a_mistyped_code_offers_the_real_one(shared: Services) -> None:
    code = shared.lookup.lookup("sarah connolly").hits[0].patient.code or ""
    wrong = code[:-2] + code[-1] + code[-2]  # the last two symbols swapped
    if code[-1] == code[-2]:
        wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    result = shared.lookup.lookup(wrong)
    assert result.suggestions == (code,)
    assert result.hits[0].patient.code == code and result.hits[0].matched_on == "did you mean"


def test_email_is_case_blind(shared: Services) -> None:
    assert names(shared, "  Sarah.Connolly@EXAMPLE.org ") == ["Sarah Connolly"]
    assert names(shared, "john@") == ["John Smith"]


def test_an_erased_patient_is_never_found(desk: Services) -> None:
    with desk.ctx.db.begin() as s:
        s.get_one(Patient, pid(desk, "John Smith")).erased_at = s.get_one(
            Patient, pid(desk, "Sarah Smith")
        ).created_at
    assert "John Smith" not in names(desk, "smith")
    assert names(desk, "07400 423456") == []


def test_hits_carry_the_fact_that_matters(desk: Services, clock: FixedClock) -> None:
    sarah, anna = pid(desk, "Sarah Connolly"), pid(desk, "Anna Ward")
    now = clock.now()
    with desk.ctx.db.begin() as s:
        referral = Referral(
            referrer_id=sarah, referee_id=anna, status="attended", channel="desk", created_at=now
        )
        s.add(referral)
        s.flush()
        s.add(
            Reward(
                referral_id=referral.id,
                patient_id=sarah,
                role="referrer",
                kind="credit",
                currency="GBP",
                amount_minor=2000,
                remaining_minor=2000,
                status="available",
                issued_at=now,
                usable_from=now,
            )
        )
        s.add(
            FraudFlag(
                referral_id=referral.id,
                rule="household",
                explanation="Same address",
                created_at=now,
            )
        )
    sarah_hit = desk.lookup.lookup("sarah connolly").hits[0]
    assert sarah_hit.fact == "flagged for review · £20.00 credit"
    anna_hit = desk.lookup.lookup("anna ward").hits[0]
    assert anna_hit.badge == "flagged"
    assert anna_hit.fact == "flagged for review · referred by Sarah C."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", None),
        ("   ", None),
        ("😀😀", "Type a code, a phone number, a name or an email."),
        ("!!!", "Type a code, a phone number, a name or an email."),
        ("x" * 201, "That search is too long"),
        ("'; DROP TABLE patient; --", "No one matches"),
        ("Robert'); DELETE FROM patient WHERE ('1'='1", "No one matches"),
        ("%", "Type a code"),
        ("%%%", "Type a code"),
        ("שרה", "No one matches"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    shared: Services, query: str, message: str | None
) -> None:
    with shared.ctx.db.read() as s:
        before = len(s.scalars(select(Patient.id)).all())
    result = shared.lookup.lookup(query)
    if message is None:
        assert result.hits == () and result.message is None
    else:
        assert result.hits == ()
        assert result.message is not None and result.message.startswith(message), result
    with shared.ctx.db.read() as s:
        assert len(s.scalars(select(Patient.id)).all()) == before


def test_wildcards_are_just_characters_and_look_alike_letters_are_folded(
    shared: Services,
) -> None:
    assert names(shared, "_a%") == ["Anna Ward"]  # "a", not "anything"
    assert set(names(shared, "Sаrah")) == {"Sarah Connolly", "Sarah Smith"}  # Cyrillic а


TABLES = ("patient", "referral_code", "visit", "referral", "reward", "fraud_flag")
QUERIES = [
    "sarah con",
    "sarah",
    "Catherine",
    "Katherine Murphy",
    "connolly sarah",
    "07400 123456",
    "3456",
    "sarah.connolly@example.org",
    "john@",
    "SARAH-K7QD",
    "K7QD",
    "zoe",
    "margaret",
]


def test_every_branch_is_answered_from_an_index(shared: Services) -> None:
    database = shared.ctx.db
    searched = statements_of(database, lambda: [shared.lookup.lookup(q) for q in QUERIES])
    assert len(searched) > 20
    assert_no_table_scans(database, searched, TABLES)


def test_resolve_needs_exactly_one(shared: Services) -> None:
    from frontdesk.domain.errors import InvalidInputError, NotFoundError

    assert shared.lookup.resolve("sarah connolly").name == "Sarah Connolly"
    with pytest.raises(InvalidInputError, match="matches 2 people"):
        shared.lookup.resolve("margaret hill")
    with pytest.raises(NotFoundError):
        shared.lookup.resolve("nobody")
    assert shared.lookup.resolve("+44 7400 523111").name == "Margaret Hill"
    _ = SOLE_OWNER
