"""The patient card shows a Canadian or Australian clinic's credit as the rewards ledger does
(issue 12: the card said ``$20.00`` while Reports said ``A$20.00``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.engine import Database
from frontdesk.ui.screens.checkin.card import PatientCardView
from tests.services.desk import Desk


@pytest.mark.parametrize("country", ["CA", "AU"])
def test_card_credit_reads_like_the_ledger(
    sqlite_db: Database, clock: FixedClock, qtbot: QtBot, country: str
) -> None:
    services = build_services(ServiceContext(db=sqlite_db, clock=clock))
    services.clinic.init(SOLE_OWNER, name="Harbour Physio", country=country)
    desk = Desk(services)
    sarah, tom = desk.patient("Sarah", "Connolly"), desk.patient("Tom", "Baker")
    desk.refer(sarah, tom, status="booked")
    desk.attend(tom)
    ledger = services.rewards.patient_rewards(sarah).ledger
    assert [line.amount for line in ledger] == ["$20.00"]

    view = PatientCardView(services.clinic.info().timezone)
    qtbot.addWidget(view)
    view.show_card(services.cards.card(sarah), ["Follow-up"], "Follow-up")
    credit = view.findChild(QLabel, "cardCreditText")
    assert credit is not None
    assert credit.text() == "$20.00 credit available to redeem"
    assert view.amount.placeholderText() == "0.00"


def test_a_yen_card_asks_for_whole_yen(
    sqlite_db: Database, clock: FixedClock, qtbot: QtBot
) -> None:
    services = build_services(ServiceContext(db=sqlite_db, clock=clock))
    services.clinic.init(SOLE_OWNER, name="Sakura Physio", country="JP")
    hana = Desk(services).patient("Hana", "Sato")
    view = PatientCardView(services.clinic.info().timezone)
    qtbot.addWidget(view)
    view.show_card(services.cards.card(hana), ["Follow-up"], "Follow-up")
    assert view.amount.placeholderText() == "0"
