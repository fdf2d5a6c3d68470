"""The referrals list, review queue, rewards and program screens on a real SQLite clinic:
models pass Qt's model checks, filters work, and every action runs off the GUI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import RECEPTIONIST, SOLE_OWNER, Actor, ServiceContext
from frontdesk.ui.app import create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.referrals.screen import ReferralsScreen
from frontdesk.ui.screens.rewards.screen import RewardsScreen
from frontdesk.ui.screens.settings.reward_program_page import RewardProgramPage
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.badge import BADGE_COLOURS
from frontdesk.ui.widgets.row_model import ROW_ROLE
from tests.services.desk import Desk

ANNA = Actor(name="Anna", role=RECEPTIONIST)


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    return built


@pytest.fixture
def clinic(services: Services) -> dict[str, int]:
    """Sarah's friend Tom attended (rewarded); Sean lives with Sarah (flagged); Anna only named."""
    desk = Desk(services)
    sarah = desk.patient("Sarah", "Connolly", address="12 Harbour Road")
    tom = desk.patient("Tom", "Baker")
    sean = desk.patient("Sean", "Connolly", address="12 Harbour Road")
    mary = desk.patient("Mary", "Jones")
    rewarded, _ = desk.refer(sarah, tom)
    desk.attend(tom)
    flagged, _ = desk.refer(sarah, sean)
    named, _ = desk.refer(mary, None, prospect_name="Anna")
    return {"sarah": sarah, "tom": tom, "rewarded": rewarded, "flagged": flagged, "named": named}


def _wait(tasks: TaskRunner) -> None:
    assert tasks.wait(10_000)


def _screen(kind, services: Services, qtbot: QtBot, actor: Actor = SOLE_OWNER):  # type: ignore[no-untyped-def]
    create_application([])
    events = AppEvents()
    tasks = TaskRunner(events=events)
    extra = (services.clinic.info().timezone,) if kind in (RewardsScreen, ReferralsScreen) else ()
    screen = kind(services, tasks, events, actor, *extra)
    qtbot.addWidget(screen)
    screen.show()
    screen.tasks_for_test, screen.events_for_test = tasks, events
    return screen


def _contrast(hex_colour: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    colour = QColor(hex_colour)
    lum = (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )
    return 1.05 / (lum + 0.05)  # against white text


def test_badge_text_stays_readable() -> None:
    for stage, colour in BADGE_COLOURS.items():
        assert _contrast(colour) >= 4.5, stage


def test_models_pass_qt_checks(
    services: Services, clinic: dict, qtbot: QtBot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    referrals = _screen(ReferralsScreen, services, qtbot)
    rewards = _screen(RewardsScreen, services, qtbot)
    qtbot.waitUntil(lambda: referrals.model.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: rewards.balances.rowCount() == 2, timeout=5000)
    rewards.panel.show_patient(clinic["sarah"])
    qtbot.waitUntil(lambda: rewards.panel.ledger.rowCount() == 1, timeout=5000)
    for model in (
        referrals.model,
        referrals.proxy,
        rewards.balances,
        rewards.balance_proxy,
        rewards.pending,
        rewards.panel.rewards,
        rewards.panel.ledger,
    ):
        qtmodeltester.check(model)


def test_filters_by_stage_period_and_referrer(
    services: Services, clinic: dict, qtbot: QtBot
) -> None:
    screen = _screen(ReferralsScreen, services, qtbot)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 3, timeout=5000)
    stage = screen.findChild(QComboBox, "stageFilter")
    stage.setCurrentIndex(stage.findData("flagged"))
    assert [screen.proxy.index(r, 0).data(ROW_ROLE).id for r in range(screen.proxy.rowCount())] == [
        clinic["flagged"]
    ]
    assert screen.proxy.index(0, 0).data() == "flagged"
    stage.setCurrentIndex(0)
    screen.findChild(QLineEdit, "referrerFilter").setText("mary")
    assert screen.proxy.rowCount() == 1 and screen.proxy.index(0, 2).data() == "Anna"
    screen.findChild(QLineEdit, "referrerFilter").clear()
    period = screen.findChild(QComboBox, "periodFilter")
    period.setCurrentIndex(period.findData(7))
    assert screen.proxy.rowCount() == 3
    assert screen.findChild(QLabel, "referralCount").text() == "3 referrals"


def test_selecting_a_referral_shows_its_history(
    services: Services, clinic: dict, qtbot: QtBot
) -> None:
    screen = _screen(ReferralsScreen, services, qtbot)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 3, timeout=5000)
    screen.select(clinic["rewarded"])
    history = screen.findChild(QListWidget, "referralHistory")
    qtbot.waitUntil(lambda: history.count() == 3, timeout=5000)
    assert "attended → rewarded" in history.item(2).text()
    assert "Tom Baker: £10.00 credit" in screen.findChild(QLabel, "panelRewards").text()
    assert not screen.findChild(QPushButton, "bookReferral").isEnabled()


def test_booking_a_named_friend_from_the_panel(
    services: Services, clinic: dict, qtbot: QtBot
) -> None:
    screen = _screen(ReferralsScreen, services, qtbot, ANNA)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 3, timeout=5000)
    screen.select(clinic["named"])
    book = screen.findChild(QPushButton, "bookReferral")
    qtbot.waitUntil(book.isEnabled, timeout=5000)
    qtbot.mouseClick(book, Qt.MouseButton.LeftButton)
    message = screen.findChild(QLabel, "panelMessage")
    qtbot.waitUntil(lambda: message.text().startswith("Booked for"), timeout=5000)
    assert services.referrals.get(clinic["named"]).status == "booked"
    cancel = screen.findChild(QPushButton, "cancelReferral")
    qtbot.waitUntil(cancel.isEnabled, timeout=5000)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # no reason typed
    qtbot.waitUntil(lambda: "reason is required" in message.text(), timeout=5000)
    assert services.referrals.get(clinic["named"]).status == "booked"


def test_review_queue_approve_releases_and_moves_on(
    services: Services, clinic: dict, qtbot: QtBot
) -> None:
    screen = _screen(ReferralsScreen, services, qtbot)
    queue = screen.queue
    qtbot.waitUntil(lambda: queue.flag is not None and len(queue.ids) == 1, timeout=5000)
    assert screen.tabs.tabText(1) == "Review queue (1)"
    screen.tabs.setCurrentIndex(1)
    address = queue.findChild(QLabel, "refereeCard:address")
    assert address.text().endswith("● same address") and address.property("shared")
    assert queue.findChild(QLabel, "referrerCard:phone").property("shared") is False
    qtbot.mouseClick(queue.findChild(QPushButton, "rejectFlag"), Qt.MouseButton.LeftButton)
    message = queue.findChild(QLabel, "queueMessage")
    qtbot.waitUntil(lambda: "reason is required" in message.text(), timeout=5000)
    queue.findChild(QLineEdit, "decisionReason").setText("brother, genuine")
    qtbot.mouseClick(queue.findChild(QPushButton, "approveFlag"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: message.text().startswith("Approved."), timeout=5000)
    qtbot.waitUntil(
        lambda: queue.ids == [] and screen.tabs.tabText(1) == "Review queue", timeout=5000
    )
    assert services.fraud.list("approved")[0].decision_reason == "brother, genuine"


def test_a_receptionist_sees_the_queue_but_cannot_decide(
    services: Services, clinic: dict, qtbot: QtBot
) -> None:
    screen = _screen(ReferralsScreen, services, qtbot, ANNA)
    qtbot.waitUntil(lambda: screen.queue.flag is not None, timeout=5000)
    approve = screen.queue.findChild(QPushButton, "approveFlag")
    assert not approve.isEnabled() and "Only an owner" in approve.toolTip()


def test_redeem_at_checkout_and_too_much_is_refused(
    services: Services, clinic: dict, qtbot: QtBot
) -> None:
    screen = _screen(RewardsScreen, services, qtbot, ANNA)
    qtbot.waitUntil(lambda: screen.balances.rowCount() == 2, timeout=5000)
    row = next(
        r
        for r in range(screen.balance_proxy.rowCount())
        if screen.balance_proxy.index(r, 0).data() == "Sarah Connolly"
    )
    screen.balance_table.selectRow(row)
    panel = screen.panel
    qtbot.waitUntil(lambda: panel.ledger.rowCount() == 1, timeout=5000)
    amount = screen.findChild(QLineEdit, "redeemAmount")
    amount.setText("25")
    qtbot.mouseClick(screen.findChild(QPushButton, "redeemButton"), Qt.MouseButton.LeftButton)
    message = screen.findChild(QLabel, "redeemMessage")
    qtbot.waitUntil(lambda: "more than that" in message.text(), timeout=5000)
    assert amount.text() == "25"  # kept to be corrected
    amount.setText("12.50")
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: message.text() == "Sarah used £12.50 credit; £7.50 left.", timeout=5000)
    qtbot.waitUntil(lambda: panel.ledger.rowCount() == 2, timeout=5000)
    assert "£7.50 credit available" in screen.findChild(QLabel, "balanceSummary").text()


def test_program_page_refuses_nonsense_and_saves_a_change(services: Services, qtbot: QtBot) -> None:
    page = _screen(RewardProgramPage, services, qtbot)
    friend = page.findChild(QLineEdit, "program:new_patient")
    qtbot.waitUntil(lambda: friend.text() == "credit £10.00", timeout=5000)
    friend.setText("500%")
    qtbot.mouseClick(page.findChild(QPushButton, "saveProgram"), Qt.MouseButton.LeftButton)
    message = page.findChild(QLabel, "programMessage")
    assert "500% off makes no sense" in message.text()
    assert friend.text() == "500%"
    friend.setText("15%")
    delivery = page.findChild(QComboBox, "program:delivery")
    delivery.setCurrentIndex(delivery.findData("manual"))
    qtbot.mouseClick(page.findChild(QPushButton, "saveProgram"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: message.text().startswith("Saved"), timeout=5000)
    program = services.rewards.program().program
    assert program.new_patient is not None and program.new_patient.percent == 15
    assert program.delivery == "manual"


def test_program_page_is_read_only_for_a_receptionist(services: Services, qtbot: QtBot) -> None:
    page = _screen(RewardProgramPage, services, qtbot, ANNA)
    assert not page.findChild(QPushButton, "saveProgram").isEnabled()
    assert not page.findChild(QLineEdit, "program:referrer").isEnabled()


def test_the_sweep_ends_holds_and_refreshes(services: Services, qtbot: QtBot, clock) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace
    from datetime import timedelta

    program = services.rewards.program().program
    services.rewards.save_program(SOLE_OWNER, replace(program, hold_days=2))
    desk = Desk(services)
    sarah, tom = desk.patient("Sarah", "Connolly"), desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom)
    desk.attend(tom)
    screen = _screen(RewardsScreen, services, qtbot)
    qtbot.waitUntil(lambda: screen.balances.rowCount() == 2, timeout=5000)
    assert screen.tasks_for_test.wait(5000)  # the first reads are done before time moves
    clock.advance(timedelta(days=3))
    with qtbot.waitSignal(screen.events_for_test.rewards_changed, timeout=5000):
        screen.sweep()
    assert services.referrals.get(referral).status == "rewarded"


def test_balance_search_finds_anyone(services: Services, clinic: dict, qtbot: QtBot) -> None:
    screen = _screen(RewardsScreen, services, qtbot)
    qtbot.waitUntil(lambda: screen.balances.rowCount() == 2, timeout=5000)
    screen.findChild(QLineEdit, "balanceFilter").setText("tom bak")
    qtbot.waitUntil(
        lambda: [b.patient.name for b in screen.balances.rows()] == ["Tom Baker"], timeout=5000
    )
