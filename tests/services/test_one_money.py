"""One money module: what a clinic in Japan, Canada or Australia types and reads everywhere.

Regression tests for issue 12: yen were stored ×100, and a Canadian clinic read ``$``,
``CA$`` and ``C$`` on different screens (an Australian one ``$20.00`` and ``A$20.00``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from frontdesk.cli.commands.reporting import summary
from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.reports.csv_export import report_csv
from frontdesk.store.engine import Database
from frontdesk.store.models import Clinic, Visit
from tests.services.desk import Desk

OTHER_DOLLARS = ("CA$", "C$", "A$", "AU$")  # the drifted forms


def clinic_in(database: Database, clock: FixedClock, country: str, **extra: str) -> Services:
    services = build_services(ServiceContext(db=database, clock=clock))
    services.clinic.init(SOLE_OWNER, name="Harbour Physio", country=country, **extra)
    return services


def test_a_yen_check_in_is_stored_and_shown_in_yen(database: Database, clock: FixedClock) -> None:
    services = clinic_in(database, clock, "JP")
    assert services.clinic.info().currency == "JPY"
    hana = Desk(services).patient("Hana", "Sato")
    done = services.checkin.check_in(SOLE_OWNER, hana, "Follow-up", 5500)
    with database.read() as session:
        assert session.scalar(select(Visit.amount_minor).where(Visit.id == done.visit_id)) == 5500
    assert done.amount_minor == 5500 and done.currency == "JPY"
    assert "¥5,500 paid" in done.notes[0], done.notes
    # A ¥50,000 treatment is an ordinary visit, not "too large" (the limit is sized to yen).
    big = services.checkin.check_in(SOLE_OWNER, hana, "Follow-up", 50_000, allow_repeat=True)
    assert big.amount_minor == 50_000


def test_default_rewards_in_yen_are_whole_yen_of_a_sensible_size(
    database: Database, clock: FixedClock
) -> None:
    services = clinic_in(database, clock, "JP")
    program = services.rewards.program().program
    assert program.referrer is not None and program.new_patient is not None
    assert program.referrer.describe("JPY") == "¥2,000 credit"
    assert program.new_patient.describe("JPY") == "¥1,000 credit"
    # The SMS price starts at ¥4 a part, not ¥0.04, so the report's SMS cost is not zero.
    price = services.clinic.get_settings("sms.segment_price_micros")
    assert price == {"sms.segment_price_micros": 4_000_000}
    assert services.templates.preview("referral_ask", "Hello").cost == "¥4"


@pytest.fixture(params=[("CA", "CAD"), ("AU", "AUD")], ids=["CAD", "AUD"])
def dollar_clinic(
    request: pytest.FixtureRequest, database: Database, clock: FixedClock
) -> Iterator[tuple[Services, int, int]]:
    country, currency = request.param
    services = clinic_in(database, clock, country)
    assert services.clinic.info().currency == currency
    desk = Desk(services)
    sarah, tom = desk.patient("Sarah", "Connolly"), desk.patient("Tom", "Baker")
    desk.refer(sarah, tom, status="booked")
    desk.attend(tom)
    yield services, sarah, tom


def test_the_same_dollar_text_on_card_ledger_report_csv_and_sms_cost(
    dollar_clinic: tuple[Services, int, int],
) -> None:
    services, sarah, tom = dollar_clinic
    found = services.rewards.patient_rewards(sarah)
    assert found.balance.available == "$20.00"
    assert [line.amount for line in found.ledger] == ["$20.00"]
    assert found.rewards[0].amount == "$20.00 credit"
    card = services.cards.card(tom)
    assert card.welcome_offer is None or card.welcome_offer.startswith("$10.00 ")
    assert services.cards.card(sarah).credit_minor == 2000

    report = services.reports.monthly()
    text = summary(report)
    assert "Rewards issued (value)          $30.00       $0.00" in text  # $20 + $10
    csv_text = report_csv(report)
    cur = services.clinic.info().currency
    assert f"Amounts in {cur} ($); rates in %." in csv_text
    sms_row = next(line for line in csv_text.splitlines() if line.startswith("SMS cost"))
    assert sms_row.split(",")[1] not in ("", "0")  # the reward text is costed, in dollars
    for piece in (text, found.balance.available, found.ledger[0].amount, card.welcome_offer):
        assert not any(other in (piece or "") for other in OTHER_DOLLARS), piece


@pytest.mark.parametrize(
    ("country", "zone", "currency"),
    [
        ("JP", "Asia/Tokyo", "JPY"),
        ("KE", "Africa/Nairobi", "KES"),
        ("BR", "America/Sao_Paulo", "BRL"),
        ("IS", "Atlantic/Reykjavik", "ISK"),
        ("GB", "Europe/London", "GBP"),
        ("IE", "Europe/Dublin", "EUR"),
    ],
)
def test_any_country_gets_its_zone_and_currency(
    database: Database, clock: FixedClock, country: str, zone: str, currency: str
) -> None:
    info = clinic_in(database, clock, country).clinic.info()
    assert (info.country, info.timezone, info.currency) == (country, zone, currency)


def test_an_unknown_currency_is_refused_at_init_and_in_settings(
    database: Database, clock: FixedClock
) -> None:
    services = build_services(ServiceContext(db=database, clock=clock))
    with pytest.raises(InvalidInputError, match="ZZZ is not a currency in use today"):
        services.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB", currency="ZZZ")
    assert not services.clinic.is_initialised()
    services.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB", currency="eur")
    assert services.clinic.info().currency == "EUR"
    with pytest.raises(InvalidInputError, match="ZZZ is not a currency in use today"):
        services.clinic.set_setting(SOLE_OWNER, "clinic.currency", "ZZZ")
    with pytest.raises(InvalidInputError, match="is not a currency code"):
        services.clinic.set_setting(SOLE_OWNER, "clinic.currency", "dollars")
    with database.read() as session:
        assert session.scalar(select(Clinic.currency)) == "EUR"
