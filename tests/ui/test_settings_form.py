"""The settings-form builder: every kind of field reads and writes its value as text."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.ui.screens.settings.form import SettingsForm


def _form(qtbot: QtBot, *, editable: bool = True) -> tuple[QWidget, SettingsForm]:
    page = QWidget()
    qtbot.addWidget(page)
    form = SettingsForm(page, editable=editable)
    form.line("clinic.name", "Clinic name", "As patients know it.", name="setting:clinic.name")
    form.choice(
        "delivery",
        "Delivery",
        "",
        [("automatic", "Automatic"), ("manual", "Manual")],
        name="program:delivery",
    )
    form.number("backup.keep", "Backups to keep", "", 1, 365, name="backupKeep")
    form.check("use_api_key", "Use an API key", "", name="useApiKey")
    page.setLayout(form.layout)
    page.show()
    return page, form


def test_values_round_trip_as_text_and_changes_are_what_differs(qtbot: QtBot) -> None:
    _page, form = _form(qtbot)
    loaded = {
        "clinic.name": "Harbour",
        "delivery": "manual",
        "backup.keep": "14",
        "use_api_key": "yes",
    }
    form.set_values(loaded)
    assert form.values() == loaded
    assert form.changes(loaded) == {}
    form.fields["delivery"].set_value("automatic")
    form.fields["backup.keep"].set_value("30")
    assert form.changes(loaded) == {"delivery": "automatic", "backup.keep": "30"}


def test_help_sits_under_its_field_and_an_error_under_the_help(qtbot: QtBot) -> None:
    page, form = _form(qtbot)
    field = form.fields["clinic.name"]
    assert field.help.text() == "As patients know it." and field.help.objectName() == "fieldHelp"
    assert not form.fields["delivery"].help.isVisibleTo(page)  # no help: no empty line
    assert form.show_error("clinic.name", "Please give the clinic a name.")
    assert not form.show_error("no.such.key", "x")
    assert field.message.isVisibleTo(page)
    assert field.editor.accessibleDescription() == "Please give the clinic a name."
    y = [w.mapTo(page, w.rect().topLeft()).y() for w in (field.editor, field.help, field.message)]
    assert y == sorted(y) and len(set(y)) == 3
    assert page.findChild(QLabel, "fieldMessage:clinic.name") is field.message
    form.clear_errors()
    assert not field.message.isVisibleTo(page) and field.message.text() == ""


def test_a_read_only_form_cannot_be_edited(qtbot: QtBot) -> None:
    _page, form = _form(qtbot, editable=False)
    assert all(not f.editor.isEnabled() for f in form.fields.values())
