"""The check-in screen driven by keyboard: search, card, check in, new patient, late attach."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER, Actor, ServiceContext
from frontdesk.store.engine import Database
from frontdesk.store.models import AuditEvent, Patient, Referral, Visit
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.screens.checkin.screen import CheckinScreen
from frontdesk.ui.tasks import TaskRunner

ANNA = Actor(name="Anna", role="receptionist")


@pytest.fixture
def services(sqlite_db: Database, clock: FixedClock) -> Services:
    built = build_services(ServiceContext(db=sqlite_db, clock=clock), rng=random.Random(3))
    built.clinic.init(
        SOLE_OWNER, name="Harbour Physio", country="GB", booking_url="https://hp.example/book"
    )
    return built


def add(services: Services, first: str, last: str, phone: str, **kw: object) -> int:
    form = NewPatientForm(first, last, phone=phone, email=kw.pop("email", None))  # type: ignore[arg-type]
    return services.patients.add(SOLE_OWNER, form, **kw).patient.id  # type: ignore[arg-type]


@pytest.fixture
def sarah(services: Services) -> int:
    return add(services, "Sarah", "Connolly", "07400 123456", email="sarah@example.org")


@pytest.fixture
def window(services: Services, sarah: int, qtbot: QtBot) -> Iterator[MainWindow]:
    create_application([])
    win = build_window(services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.search.focus()
    yield win
    win.tasks.wait(5000)


def screen_of(window: MainWindow) -> CheckinScreen:
    screen = window.screens["checkin"]
    assert isinstance(screen, CheckinScreen)
    return screen


def child(parent: QWidget, kind: type, name: str):  # type: ignore[no-untyped-def]
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def count(services: Services, model: type) -> int:
    with services.ctx.db.read() as s:
        return s.scalar(select(func.count(model.id))) or 0


def test_type_a_code_enter_opens_the_card_enter_checks_in(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    screen = screen_of(window)
    code = services.cards.card(sarah).patient.code or ""
    box = child(window, QLineEdit, "searchBox")
    qtbot.keyClicks(box, code.lower().replace("-", " "))
    results = child(window, QListView, "searchResults")
    qtbot.waitUntil(lambda: results.model().rowCount() == 1, timeout=5000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    name = child(screen, QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Sarah Connolly" and name.isVisible(), timeout=5000)
    button = child(screen, QPushButton, "checkInButton")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button, timeout=5000)
    child(screen, QLineEdit, "amountField").setText("55.00")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    confirmation = child(screen, QLabel, "checkinConfirmation")
    qtbot.waitUntil(lambda: confirmation.isVisible(), timeout=5000)
    assert "Sarah Connolly is checked in: Initial assessment, £55.00 paid" in confirmation.text()
    with services.ctx.db.read() as s:
        visit = s.scalars(select(Visit)).one()
        assert (visit.patient_id, visit.status, visit.amount_minor) == (sarah, "attended", 5500)
    qtbot.waitUntil(
        lambda: [r.state for r in screen.today_model._rows] == ["checked_in"], timeout=5000
    )
    # The card now knows it; a second press is refused in words, not a second visit.
    qtbot.waitUntil(lambda: "checked in today" in child(screen, QLabel, "cardHistory").text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    error = child(screen, QLabel, "checkinError")
    qtbot.waitUntil(lambda: error.isVisible(), timeout=5000)
    assert "already checked in" in error.text()
    assert count(services, Visit) == 1


def test_enter_typed_before_the_answer_opens_the_top_hit_but_never_a_guess(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    code = services.cards.card(sarah).patient.code or ""
    box = child(window, QLineEdit, "searchBox")
    opened: list[int] = []
    window.events.patient_opened.connect(opened.append)
    name, suffix = code.split("-")
    typo = f"{name}-{suffix[:-1]}{'2' if suffix[-1] != '2' else '3'}"
    qtbot.keyClicks(box, typo)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # at once, inside the debounce
    message = child(window, QLabel, "searchMessage")
    qtbot.waitUntil(lambda: message.isVisible() and code in message.text(), timeout=5000)
    assert opened == []  # "did you mean" is offered, not taken
    box.clear()
    qtbot.keyClicks(box, code)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened == [sarah], timeout=5000)


def test_undo_takes_back_the_check_in(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    screen = screen_of(window)
    window.events.patient_opened.emit(sarah)
    button = child(screen, QPushButton, "checkInButton")
    qtbot.waitUntil(lambda: button.isEnabled() and screen.card.card is not None, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    undo = child(screen, QPushButton, "undoCheckinButton")
    qtbot.waitUntil(lambda: undo.isVisible(), timeout=5000)
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    confirmation = child(screen, QLabel, "checkinConfirmation")
    qtbot.waitUntil(lambda: "check-in is undone" in confirmation.text(), timeout=5000)
    with services.ctx.db.read() as s:
        assert s.scalars(select(Visit.status)).all() == ["cancelled"]
    assert not undo.isVisible()


def test_a_bad_amount_is_explained_and_nothing_is_written(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    screen = screen_of(window)
    window.events.patient_opened.emit(sarah)
    qtbot.waitUntil(lambda: screen.card.card is not None, timeout=5000)
    amount = child(screen, QLineEdit, "amountField")
    qtbot.keyClicks(amount, "fifty quid")
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    error = child(screen, QLabel, "amountError")
    assert error.isVisible() and "is not an amount" in error.text()
    assert count(services, Visit) == 0


def fill_form(screen: CheckinScreen, qtbot: QtBot, first: str, last: str, phone: str) -> None:
    qtbot.keyClick(screen.window(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    first_field = child(screen, QLineEdit, "firstNameField")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_field, timeout=3000)
    qtbot.keyClicks(first_field, first)
    qtbot.keyClicks(child(screen, QLineEdit, "lastNameField"), last)
    qtbot.keyClicks(child(screen, QLineEdit, "phoneField"), phone)


def choose_referrer(
    screen: CheckinScreen, qtbot: QtBot, typed: str, name: str = "referrer"
) -> None:
    box = child(screen, QLineEdit, f"{name}Box")
    qtbot.keyClicks(box, typed)
    results = child(screen, QListView, f"{name}Results")
    qtbot.waitUntil(lambda: results.isVisible() and results.model().rowCount() > 0, timeout=5000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    chosen = child(screen, QLabel, f"{name}Chosen")
    qtbot.waitUntil(lambda: chosen.isVisible(), timeout=3000)


def test_ctrl_n_new_patient_referred_by_the_same_dropdown(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    screen = screen_of(window)
    fill_form(screen, qtbot, "Tom", "Baker", "07400 123789")
    choose_referrer(screen, qtbot, "sarah con")
    assert "Sarah Connolly" in child(screen, QLabel, "referrerChosen").text()
    qtbot.mouseClick(child(screen, QPushButton, "saveNewPatientButton"), Qt.MouseButton.LeftButton)
    name = child(screen, QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Tom Baker" and name.isVisible(), timeout=5000)
    confirmation = child(screen, QLabel, "checkinConfirmation")
    qtbot.waitUntil(lambda: "Referred by Sarah Connolly." in confirmation.text(), timeout=5000)
    completes = child(screen, QLabel, "cardCompletesText")
    assert completes.text() == "This first visit completes Sarah Connolly's referral."
    with services.ctx.db.read() as s:
        referral = s.scalars(select(Referral)).one()
        assert referral.referrer_id == sarah and referral.status == "introduced"
    # The form is empty again for the next person.
    assert child(screen, QLineEdit, "firstNameField").text() == ""


def test_self_referral_is_shown_inline_in_red_and_the_form_keeps_everything(
    services: Services, sarah: int, qtbot: QtBot
) -> None:
    """A receptionist: refused under the field, an owner's PIN asked for, nothing saved."""
    create_application([])
    events = AppEvents()
    tasks = TaskRunner(events=events)
    screen = CheckinScreen(services, tasks, events, ANNA, services.clinic.info())
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.new_patient()
    qtbot.keyClicks(child(screen, QLineEdit, "firstNameField"), "Sara")
    qtbot.keyClicks(child(screen, QLineEdit, "lastNameField"), "Conolly")
    qtbot.keyClicks(child(screen, QLineEdit, "phoneField"), "+44 7400 123456")
    qtbot.keyClicks(child(screen, QLineEdit, "emailField"), "sara@example.org")
    choose_referrer(screen, qtbot, "07400123456")
    before = count(services, Patient)
    qtbot.keyClick(child(screen, QLineEdit, "emailField"), Qt.Key.Key_Return)
    error = child(screen, QLabel, "referrerError")
    qtbot.waitUntil(lambda: error.isVisible(), timeout=5000)
    assert "same phone as Sarah Connolly" in error.text()
    assert "Only an owner" in error.text()
    assert error.property("role") == "fieldError"  # styled red by the style sheet
    assert child(screen, QLineEdit, "referrerOwnerPin").isVisible()  # an owner may step in
    assert child(screen, QLineEdit, "phoneField").text() == "07400 123456"  # tidied, kept
    assert child(screen, QLineEdit, "emailField").text() == "sara@example.org"
    assert screen.stack.currentWidget() is screen.form
    assert count(services, Patient) == before
    tasks.wait(5000)


def test_an_owner_steps_in_at_a_receptionists_desk_and_the_audit_names_both(
    services: Services, sarah: int, qtbot: QtBot
) -> None:
    owner = services.staff.add(SOLE_OWNER, "Sam Owner", "owner", "1234")
    anna = services.staff.add(owner, "Anna", "receptionist", "5678")
    create_application([])
    tasks, events = TaskRunner(), AppEvents()
    screen = CheckinScreen(services, tasks, events, anna, services.clinic.info())
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.new_patient()
    qtbot.keyClicks(child(screen, QLineEdit, "firstNameField"), "Lily")
    qtbot.keyClicks(child(screen, QLineEdit, "lastNameField"), "Connolly")
    qtbot.keyClicks(child(screen, QLineEdit, "phoneField"), "07400 123456")
    choose_referrer(screen, qtbot, "sarah connolly")
    save = child(screen, QPushButton, "saveNewPatientButton")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    pin = child(screen, QLineEdit, "referrerOwnerPin")
    qtbot.waitUntil(lambda: pin.isVisible(), timeout=5000)
    assert "ask them to type their name, PIN" in child(screen, QLabel, "referrerError").text()
    qtbot.keyClicks(child(screen, QLineEdit, "referrerOverrideReason"), "Daughter uses mum's phone")
    qtbot.keyClicks(child(screen, QLineEdit, "referrerOwnerName"), "Sam Owner")
    qtbot.keyClicks(pin, "0000")  # a wrong PIN: refused, nothing saved, the form kept
    before = count(services, Patient)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    error = child(screen, QLabel, "referrerError")
    qtbot.waitUntil(lambda: "do not match" in error.text(), timeout=5000)
    assert count(services, Patient) == before
    assert child(screen, QLineEdit, "referrerOwnerName").text() == "Sam Owner"
    assert pin.text() == ""  # a PIN is never kept in the form
    qtbot.keyClicks(pin, "1234")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    name = child(screen, QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Lily Connolly", timeout=5000)
    with services.ctx.db.read() as s:
        who = s.scalars(
            select(AuditEvent.actor_name).where(
                AuditEvent.action == "referral.self_referral_override"
            )
        ).one()
    assert who == "Sam Owner (for Anna)"
    tasks.wait(5000)


def test_an_owner_overrides_a_self_referral_with_a_written_reason(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    screen = screen_of(window)
    fill_form(screen, qtbot, "Lily", "Connolly", "07400 123456")
    choose_referrer(screen, qtbot, "sarah connolly")
    save = child(screen, QPushButton, "saveNewPatientButton")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    reason = child(screen, QLineEdit, "referrerOverrideReason")
    qtbot.waitUntil(lambda: reason.isVisible(), timeout=5000)
    assert "As the owner, you can let it through" in child(screen, QLabel, "referrerError").text()
    qtbot.keyClicks(reason, "Daughter (12) uses her mother's phone")
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    name = child(screen, QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Lily Connolly", timeout=5000)
    with services.ctx.db.read() as s:
        referral = s.scalars(select(Referral)).one()
        assert referral.override_reason == "Daughter (12) uses her mother's phone"


def test_a_known_person_is_offered_instead_of_a_duplicate(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    screen = screen_of(window)
    fill_form(screen, qtbot, "Sarah", "Connolly", "07400 123456")
    before = count(services, Patient)
    qtbot.mouseClick(child(screen, QPushButton, "saveNewPatientButton"), Qt.MouseButton.LeftButton)
    banner = child(screen, QLabel, "newPatientError")
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=5000)
    assert "already on file for Sarah Connolly" in banner.text()
    assert count(services, Patient) == before
    qtbot.mouseClick(child(screen, QPushButton, "openExistingButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.card.card is not None and screen.card.isVisible(), timeout=5000)
    assert screen.card.card is not None and screen.card.card.patient.id == sarah


@pytest.mark.parametrize(
    ("field", "typed", "error_name", "words"),
    [
        ("firstNameField", "😀", "firstNameError", "needs letters"),
        ("firstNameField", "Jоhn", "firstNameError", "mixes alphabets"),
        ("lastNameField", "x'); DROP TABLE patient;--", "lastNameError", "not “)”"),
        ("phoneField", "07400 1234", "phoneError", "too short for GB"),
        ("phoneField", "٠٧٤٠٠", "phoneError", "too short"),
        ("emailField", "tom@", "emailError", "missing the end of its domain"),
    ],
)
def test_bad_input_in_each_field_is_explained_under_it(
    window: MainWindow,
    services: Services,
    qtbot: QtBot,
    field: str,
    typed: str,
    error_name: str,
    words: str,
) -> None:
    screen = screen_of(window)
    fill_form(screen, qtbot, "Tom", "Baker", "07400 123789")
    target = child(screen, QLineEdit, field)
    target.clear()
    target.insert(typed)  # QTest cannot type characters outside the BMP, such as emoji
    before = count(services, Patient)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    error = child(screen, QLabel, error_name)
    assert error.isVisible() and words in error.text()
    assert target.text() == typed  # nothing typed is lost
    window.tasks.wait(3000)
    assert count(services, Patient) == before


def test_late_attach_from_the_card(
    window: MainWindow, services: Services, sarah: int, clock: FixedClock, qtbot: QtBot
) -> None:
    clock.advance(timedelta(days=1))
    tom = add(services, "Tom", "Baker", "07400 123789")
    services.checkin.check_in(SOLE_OWNER, tom, "Initial assessment")
    clock.advance(timedelta(days=10))
    screen = screen_of(window)
    window.events.patient_opened.emit(tom)
    button = child(screen, QPushButton, "lateAttachButton")
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5000)
    assert "until 26 Dec" in child(screen, QLabel, "cardLateAttachText").text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(screen, QLineEdit, "attachReasonField"), "Forgot the code")
    choose_referrer(screen, qtbot, "sarah", name="attachReferrer")
    window.tasks.wait(3000)
    assert count(services, Visit) == 1  # Enter in the panel picks a referrer, never checks in
    qtbot.keyClick(child(screen, QLineEdit, "attachReasonField"), Qt.Key.Key_Return)
    referred = child(screen, QLabel, "cardReferredByText")
    qtbot.waitUntil(lambda: referred.isVisible(), timeout=5000)
    assert referred.text().startswith("Referred by Sarah Connolly")
    assert "is now Tom's referrer" in child(screen, QLabel, "checkinConfirmation").text()
    assert not screen.attach_panel.isVisible()
    with services.ctx.db.read() as s:
        referral = s.scalars(select(Referral)).one()
        # Tom has attended, so the default program rewards the pair at once.
        assert (referral.referee_id, referral.status) == (tom, "rewarded")


def test_late_attach_outside_the_window_is_not_offered(
    window: MainWindow, services: Services, clock: FixedClock, qtbot: QtBot
) -> None:
    tom = add(services, "Tom", "Baker", "07400 123789")
    services.checkin.check_in(SOLE_OWNER, tom, "Initial assessment")
    clock.advance(timedelta(days=31))
    screen = screen_of(window)
    window.events.patient_opened.emit(tom)
    qtbot.waitUntil(lambda: screen.card.card is not None, timeout=5000)
    assert not child(screen, QPushButton, "lateAttachButton").isVisible()


def test_today_model_passes_the_model_tester(
    window: MainWindow,
    services: Services,
    sarah: int,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    services.checkin.check_in(SOLE_OWNER, sarah, "Follow-up")
    add(services, "Tom", "Baker", "07400 123789")
    screen = screen_of(window)
    screen.today_model.set_rows(services.checkin.today())
    assert screen.today_model.rowCount() == 2
    qtmodeltester.check(screen.today_model)


def test_a_check_in_that_raises_a_flag_updates_the_review_count_with_no_click(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    """The service says it raised a flag; the navigation's review count follows at once."""
    from tests.services.desk import Desk

    desk = Desk(services)
    tom = desk.patient("Tom", "Baker", phone="+447700900555")
    desk.refer(sarah, tom, status="booked")
    # Mary names Tom's phone for her own friend: when Tom attends, the shared phone shows.
    mary = desk.patient("Mary", "Jones")
    desk.refer(mary, None, prospect_name="Tommy", prospect_phone="+447700900555")
    before = len(services.fraud.queue())
    from frontdesk.ui.main_window import NAV

    referrals_row = window.nav.item([entry.key for entry in NAV].index("referrals"))
    label = NAV[[entry.key for entry in NAV].index("referrals")].label
    window.status.refresh()
    shown = f"{label}  ({before})" if before else label
    qtbot.waitUntil(lambda: referrals_row.text() == shown, timeout=5000)
    screen = screen_of(window)
    screen.open_patient(tom)
    name = child(screen, QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Tom Baker", timeout=5000)
    # The write itself announces the flag topic (screens no longer guess which topics).
    with qtbot.waitSignal(window.events.flags_changed, timeout=5000):
        qtbot.mouseClick(child(screen, QPushButton, "checkInButton"), Qt.MouseButton.LeftButton)
    confirmation = child(screen, QLabel, "checkinConfirmation")
    qtbot.waitUntil(lambda: confirmation.isVisible(), timeout=5000)
    assert "held until an owner reviews the flag" in confirmation.text()
    assert len(services.fraud.queue()) == before + 1
    qtbot.waitUntil(lambda: referrals_row.text() == f"{label}  ({before + 1})", timeout=5000)


def test_a_database_fault_is_shown_in_plain_words_not_sql(
    window: MainWindow, services: Services, sarah: int, qtbot: QtBot
) -> None:
    """A real OperationalError from SQLite (the visit table is gone) reaches the card as a
    calm sentence; the SQL and the driver's text stay in the log."""
    screen = screen_of(window)
    screen.open_patient(sarah)
    name = child(screen, QLabel, "cardName")
    qtbot.waitUntil(lambda: name.text() == "Sarah Connolly", timeout=5000)
    window.tasks.wait(5000)
    with services.ctx.db.write_engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE visit RENAME TO visit_gone")
    qtbot.mouseClick(child(screen, QPushButton, "checkInButton"), Qt.MouseButton.LeftButton)
    error = child(screen, QLabel, "checkinError")
    qtbot.waitUntil(lambda: error.isVisible(), timeout=5000)
    assert error.text() == "That didn't work, and nothing was saved. Please try again."
