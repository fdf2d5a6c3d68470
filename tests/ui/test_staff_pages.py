"""Settings → Staff and Settings → Audit log, as an owner and as a receptionist (pytest-qt)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from frontdesk.domain.errors import PermissionDeniedError
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, Actor, ServiceContext
from frontdesk.ui.app import create_application
from frontdesk.ui.screens.staff.audit_page import AuditPage
from frontdesk.ui.screens.staff.staff_page import NO_ACCOUNTS, OWNER_ONLY, StaffPage
from frontdesk.ui.tasks import TaskRunner


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    return built


def _team(services: Services) -> tuple[Actor, Actor]:
    owner = services.staff.add(SOLE_OWNER, "Sam Owner", "owner", "1234")
    return owner, services.staff.add(owner, "Anna Desk", "receptionist", "5678")


def _staff_page(services: Services, qtbot: QtBot, actor: Actor, **kw) -> StaffPage:  # type: ignore[no-untyped-def]
    create_application([])
    page = StaffPage(services, TaskRunner(), actor, **kw)
    qtbot.addWidget(page)
    page.show()
    return page


def _click(page, name: str, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_a_clinic_with_no_accounts_is_told_and_adds_its_owner(
    services: Services, qtbot: QtBot
) -> None:
    first_account: list[bool] = []
    page = _staff_page(
        services, qtbot, SOLE_OWNER, on_first_account=lambda: first_account.append(True)
    )
    notice = page.findChild(QLabel, "staffNotice")
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    assert notice.text() == NO_ACCOUNTS
    qtbot.keyClicks(page.findChild(QLineEdit, "newStaffName"), "Sam Owner")
    page.findChild(QComboBox, "newStaffRole").setCurrentText("owner")
    qtbot.keyClicks(page.findChild(QLineEdit, "newStaffPin"), "1234")
    _click(page, "addStaffButton", qtbot)
    message = page.findChild(QLabel, "staffMessage")
    qtbot.waitUntil(lambda: message.text() == "Added Sam Owner (owner).", timeout=5000)
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=5000)
    assert page.model.rowCount() == 1
    assert first_account == [True]
    assert page.findChild(QLineEdit, "newStaffPin").text() == ""
    assert services.staff.sign_in("Sam Owner", "1234").is_owner


def test_a_receptionist_sees_the_list_but_changes_only_their_own_pin(
    services: Services, qtbot: QtBot
) -> None:
    _, desk = _team(services)
    page = _staff_page(services, qtbot, desk)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    for name in ("addStaffButton", "changeRoleButton", "renameStaffButton", "disableStaffButton"):
        button = page.findChild(QPushButton, name)
        assert not button.isEnabled()
        assert button.toolTip() == OWNER_ONLY
    table = page.findChild(QTableView, "staffTable")
    table.selectRow(0)  # Sam, the owner
    assert not page.findChild(QPushButton, "resetPinButton").isEnabled()
    table.selectRow(1)  # Anna herself
    assert page.findChild(QPushButton, "resetPinButton").isEnabled()
    qtbot.keyClicks(page.findChild(QLineEdit, "resetPinField"), "2468")
    _click(page, "resetPinButton", qtbot)
    message = page.findChild(QLabel, "staffMessage")
    qtbot.waitUntil(lambda: message.text() == "Anna Desk's PIN is changed.", timeout=5000)
    assert services.staff.sign_in("Anna Desk", "2468").name == "Anna Desk"


def test_the_last_owner_is_kept_and_the_page_says_why(services: Services, qtbot: QtBot) -> None:
    owner, _ = _team(services)
    page = _staff_page(services, qtbot, owner)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    page.findChild(QTableView, "staffTable").selectRow(0)
    _click(page, "disableStaffButton", qtbot)
    message = page.findChild(QLabel, "staffMessage")
    qtbot.waitUntil(lambda: "last owner" in message.text(), timeout=5000)
    assert all(m.active for m in services.staff.list())
    page.findChild(QTableView, "staffTable").selectRow(1)
    page.findChild(QComboBox, "staffRoleField").setCurrentText("owner")
    _click(page, "changeRoleButton", qtbot)
    qtbot.waitUntil(lambda: message.text() == "Anna Desk is now owner.", timeout=5000)


def _audit_page(services: Services, qtbot: QtBot, actor: Actor) -> AuditPage:
    create_application([])
    page = AuditPage(services, TaskRunner(), actor, "Europe/London")
    qtbot.addWidget(page)
    page.show()
    return page


def test_the_audit_log_filters_by_person_and_kind_and_exports_defused_csv(
    services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    owner, _ = _team(services)
    services.staff.add(owner, "=HYPERLINK(1)", "receptionist", "1111")
    services.clinic.set_setting(owner, "referral.late_attach_days", "45")
    with pytest.raises(PermissionDeniedError):
        services.staff.sign_in("Anna Desk", "0000")
    page = _audit_page(services, qtbot, owner)
    message = page.findChild(QLabel, "auditMessage")
    qtbot.waitUntil(lambda: message.text() == "6 changes.", timeout=5000)

    qtbot.keyClicks(page.findChild(QLineEdit, "auditStaffFilter"), "Anna Desk")
    qtbot.keyClick(page.findChild(QLineEdit, "auditStaffFilter"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: message.text() == "1 change.", timeout=5000)
    assert page.model.row_at(0).action == "staff.sign_in_failed"

    page.findChild(QLineEdit, "auditStaffFilter").clear()
    kinds = page.findChild(QComboBox, "auditKindFilter")
    qtbot.waitUntil(lambda: kinds.findText("setting") >= 0, timeout=5000)
    kinds.setCurrentText("setting")
    _click(page, "auditApply", qtbot)
    qtbot.waitUntil(lambda: message.text() == "1 change.", timeout=5000)
    assert page.model.row_at(0).who == "Sam Owner"

    kinds.setCurrentText("staff")
    page.export_to(tmp_path / "audit.csv")
    qtbot.waitUntil(lambda: message.text().startswith("Saved"), timeout=5000)
    with (tmp_path / "audit.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["action"] for r in rows} == {"staff.add", "staff.sign_in_failed"}
    added = [r["after"] for r in rows if "HYPERLINK" in r["after"]]
    assert added and all(not cell.startswith("=") for cell in added)


def test_a_bad_day_is_explained(services: Services, qtbot: QtBot) -> None:
    owner, _ = _team(services)
    page = _audit_page(services, qtbot, owner)
    qtbot.keyClicks(page.findChild(QLineEdit, "auditSinceFilter"), "last week")
    _click(page, "auditApply", qtbot)
    message = page.findChild(QLabel, "auditMessage")
    qtbot.waitUntil(lambda: "YYYY-MM-DD" in message.text(), timeout=5000)


def test_a_receptionist_cannot_read_the_audit_log(services: Services, qtbot: QtBot) -> None:
    _, desk = _team(services)
    page = _audit_page(services, qtbot, desk)
    assert not page.findChild(QPushButton, "auditExport").isEnabled()
    assert page.findChild(QLabel, "auditMessage").text() == "Only an owner can read the audit log."
    assert page.model.rowCount() == 0
