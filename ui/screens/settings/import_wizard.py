"""Import a patient list: file → columns → preview of every bad row → import, with
progress and Cancel. All reading and writing runs off the GUI thread; a cancelled or
failed import leaves nothing behind (the service's single transaction)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from frontdesk.domain.changes import Changes, Topic
from frontdesk.domain.errors import in_words
from frontdesk.domain.import_fields import FIELDS, PRESETS
from frontdesk.services.bundle import Services
from frontdesk.services.dataio.csv_encoding import ENCODINGS
from frontdesk.services.dataio.import_dto import FileShape, ImportPreview, ImportResult
from frontdesk.services.dataio.patient_import import ImportCancelled
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.settings.import_models import DuplicateModel, IssueModel
from frontdesk.ui.tasks import TaskRunner

STAGES = {"checking": "Checking rows", "writing": "Writing patients"}


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI (queued signal)."""

    moved = Signal(str, int, int)


def _help(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(dark);")
    return label


def _table(name: str, model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class ImportWizard(QWizard):
    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import a patient list")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.resize(900, 620)
        self.services, self.tasks, self.events, self.actor = services, tasks, events, actor
        self.shape: FileShape | None = None
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        # What the file was read / previewed with: going Back and changing it redoes the step.
        self.shape_for: tuple[Any, ...] = (None, None, None)
        self.encoding: str | None = None  # None: worked out from the file
        self.preview_for: tuple[Any, ...] = (None, None)
        self.busy = False
        self.cancel_flag = threading.Event()
        self.progress = _Progress(self)
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = _PreviewPage(self)
        self.run_page = _RunPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.run_page):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    # -- shared state -----------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return Path(self.file_page.file.text().strip())

    @property
    def preset(self) -> str | None:
        return self.file_page.preset.currentData()

    @property
    def duplicates(self) -> str:
        return "merge" if self.file_page.merge.isChecked() else "report"

    def mapping(self) -> list[str | None]:
        return self.mapping_page.fields()

    def run_in_background(self, work: Any, done: Any, write: bool = False) -> None:
        """Run ``work`` off the GUI thread; errors land in the current page's message."""
        self.busy = True
        page = self.currentPage()

        def finished(value: Any) -> None:
            self.busy = False
            done(value)

        def failed(error: BaseException) -> None:
            self.busy = False
            if isinstance(page, _Page):
                page.say(in_words(error, "Something went wrong; nothing was imported."))

        (self.tasks.write if write else self.tasks.read)(work, finished, failed)


class _Page(QWizardPage):
    def __init__(self, wizard: ImportWizard, title: str, subtitle: str) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)
        self.message = QLabel("", self)
        self.message.setObjectName("importMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B42318;")

    def say(self, text: str) -> None:
        self.message.setText(text)


class _FilePage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            "Choose the file",
            "A CSV export from your practice system or a spreadsheet saved as CSV.",
        )
        row = QHBoxLayout()
        self.file = QLineEdit(self)
        self.file.setObjectName("importFile")
        self.file.setPlaceholderText("patients.csv")
        self.file.setAccessibleName("File to import")
        browse = QPushButton("Browse…", self)
        browse.setObjectName("importBrowse")
        browse.clicked.connect(self._browse)
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        self.preset = QComboBox(self)
        self.preset.setObjectName("importPreset")
        self.preset.setAccessibleName("Practice system")
        self.preset.addItem("Work it out from the column names (Square, Google…)", None)
        for key, preset in PRESETS.items():
            self.preset.addItem(preset.label, key)
        self.keep = QRadioButton("Leave them as they are and list them", self)
        self.keep.setObjectName("duplicatesReport")
        self.keep.setChecked(True)
        self.merge = QRadioButton("Fill in what they are missing (never overwrite)", self)
        self.merge.setObjectName("duplicatesMerge")
        group = QButtonGroup(self)
        group.addButton(self.keep)
        group.addButton(self.merge)
        self.layout_.addLayout(row)
        self.layout_.addWidget(
            _help(
                "Any common encoding (UTF-8, UTF-16, Windows) and commas, semicolons or tabs; "
                "title lines above the column names are fine.",
                self,
            )
        )
        self.layout_.addSpacing(10)
        self.layout_.addWidget(QLabel("Exported from", self))
        self.layout_.addWidget(self.preset)
        self.layout_.addWidget(
            _help(
                "The presets are shaped like those systems' patient exports; the next step "
                "shows what each column was matched to, so you can correct it.",
                self,
            )
        )
        self.layout_.addSpacing(10)
        self.layout_.addWidget(QLabel("Patients already on file (same phone or email)", self))
        self.layout_.addWidget(self.keep)
        self.layout_.addWidget(self.merge)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.message)
        self.file.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the patient list", str(Path.home()), "CSV files (*.csv *.txt *.tsv)"
        )
        if path:
            self.file.setText(path)

    def isComplete(self) -> bool:
        return bool(self.file.text().strip())

    def validatePage(self) -> bool:
        if self.wiz.busy:
            return False
        wiz = self.wiz
        if wiz.shape_for[0] != wiz.path:
            wiz.encoding = None  # another file: work its encoding out afresh
        if wiz.shape is not None and wiz.shape_for == (wiz.path, wiz.preset, wiz.encoding):
            return True
        self.say("Reading the file…")
        path, preset, encoding = wiz.path, wiz.preset, wiz.encoding

        def done(shape: FileShape) -> None:
            wiz.shape = shape
            wiz.shape_for = (path, preset, encoding)
            self.say("")
            wiz.next()

        wiz.run_in_background(lambda: wiz.services.imports.inspect(path, preset, encoding), done)
        return False


class _MappingPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Match the columns", "")
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("mappingTable")
        self.table.setHorizontalHeaderLabels(["Column in the file", "Example values", "Goes to"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detected = QLabel("", self)
        self.detected.setObjectName("importDetected")
        self.detected.setWordWrap(True)
        self.encoding = QComboBox(self)
        self.encoding.setObjectName("importEncoding")
        self.encoding.setAccessibleName("Text encoding of the file")
        self.encoding.setToolTip(
            "If names show odd characters (“£ukasz” for “Łukasz”), choose another encoding."
        )
        for key, label in ENCODINGS.items():
            self.encoding.addItem(label, key)
        self.encoding.activated.connect(self._reread)
        row = QHBoxLayout()
        row.addWidget(QLabel("Read as", self))
        row.addWidget(self.encoding, 1)
        self.layout_.addWidget(self.detected)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(
            _help("Choose “Ignore” for columns Frontdesk does not need (notes, IDs…).", self)
        )
        self.layout_.addWidget(self.message)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        shape = self.wiz.shape
        if shape is None:
            return
        separator = f"{shape.delimiter}-separated"
        if not shape.has_header:
            header = ", no header row"
        elif shape.header_line > 1:
            header = f", column names on line {shape.header_line}"
        else:
            header = ""
        self.setSubTitle(
            f"{shape.file_name}: {shape.rows:,} rows, {shape.encoding}, {separator}{header}."
        )
        notes = [shape.looks_like or ""]
        if shape.mapping_remembered:
            notes.append("The columns are matched as you chose last time for this export.")
        self.detected.setText(" ".join(n for n in notes if n))
        self.encoding.setCurrentIndex(max(self.encoding.findData(shape.encoding_key), 0))
        self.table.setRowCount(len(shape.columns))
        self.combos = []
        for row, column in enumerate(shape.columns):
            self.table.setItem(row, 0, QTableWidgetItem(column.header))
            self.table.setItem(row, 1, QTableWidgetItem(" · ".join(column.samples)))
            combo = QComboBox(self.table)
            combo.setObjectName(f"mapColumn{row + 1}")
            combo.setAccessibleName(f"Field for {column.header}")
            combo.addItem("Ignore", None)
            for field in FIELDS:
                combo.addItem(field.label, field.key)
                combo.setItemData(combo.count() - 1, field.help, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(column.field), 0))
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)

    def fields(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def _reread(self) -> None:
        """Read the file again in the encoding the person chose; the samples show it."""
        wiz = self.wiz
        chosen = self.encoding.currentData()
        if wiz.busy or wiz.shape is None or chosen == wiz.shape.encoding_key:
            return
        path, preset = wiz.path, wiz.preset
        self.say("Reading the file again…")

        def done(shape: FileShape) -> None:
            wiz.encoding = chosen
            wiz.shape, wiz.shape_for = shape, (path, preset, chosen)
            wiz.preview = None
            self.say("")
            self.initializePage()

        wiz.run_in_background(lambda: wiz.services.imports.inspect(path, preset, chosen), done)

    def validatePage(self) -> bool:
        if self.wiz.busy:
            return False
        mapping = self.fields()
        if self.wiz.preview is not None and self.wiz.preview_for == (
            mapping,
            self.wiz.duplicates,
        ):
            return True
        self.say("Checking every row…")
        wiz = self.wiz
        path, duplicates, encoding = wiz.path, wiz.duplicates, wiz.encoding

        def work() -> ImportPreview:
            return wiz.services.imports.preview(
                path,
                mapping=mapping,
                duplicates=duplicates,
                encoding=encoding,
                progress=lambda stage, done, total: wiz.progress.moved.emit(stage, done, total),
            )

        def done(preview: ImportPreview) -> None:
            wiz.preview = preview
            wiz.preview_for = (mapping, duplicates)
            self.say("")
            wiz.next()

        wiz.run_in_background(work, done)
        return False


class _PreviewPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Check before importing", "")
        self.summary = QLabel("", self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt;")
        self.problems = IssueModel(self)
        self.duplicates = DuplicateModel(self)
        self.warnings = IssueModel(self)
        self.merged = IssueModel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("importPreviewTabs")
        self.tabs.addTab(_table("problemsTable", self.problems, self), "Rows with problems")
        self.tabs.addTab(_table("duplicatesTable", self.duplicates, self), "Already on file")
        self.tabs.addTab(_table("warningsTable", self.warnings, self), "Warnings")
        self.tabs.addTab(_table("mergedTable", self.merged, self), "Same person twice")
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.tabs, 1)
        self.layout_.addWidget(self.message)

    def initializePage(self) -> None:
        preview = self.wiz.preview
        if preview is None:
            return
        self.problems.set_issues(preview.problems)
        self.duplicates.set_matches(preview.duplicates)
        self.warnings.set_issues(preview.warnings)
        self.merged.set_issues(preview.merged_in_file)
        counts = (
            len(preview.problems),
            len(preview.duplicates),
            len(preview.warnings),
            len(preview.merged_in_file),
        )
        for index, count in enumerate(counts):
            label = ("Rows with problems", "Already on file", "Warnings", "Same person twice")[
                index
            ]
            self.tabs.setTabText(index, f"{label} ({count:,})")
        parts = [f"<b>{preview.new_patients:,} new patients</b> will be added"]
        if preview.merges:
            parts.append(f"{preview.merges:,} on file filled in")
        if preview.merged_in_file:
            twice = len(preview.merged_in_file)
            parts.append(f"{twice:,} row{'s' if twice != 1 else ''} merged (same person twice)")
        if preview.problems:
            parts.append(f"{len(preview.problems):,} rows with problems skipped")
        skipped = len(preview.duplicates) - preview.merges
        if skipped:
            parts.append(f"{skipped:,} already on file left alone")
        self.summary.setText("; ".join(parts) + ".")
        self.setSubTitle(
            "Fix rows in your spreadsheet and start again, or import the good rows now."
            if preview.problems
            else "Every row can be imported."
        )
        self.wiz.setButtonText(
            QWizard.WizardButton.NextButton,
            f"Import {preview.new_patients + preview.merges:,}",
        )

    def isComplete(self) -> bool:
        return self.wiz.preview is not None and self.wiz.preview.can_import

    def cleanupPage(self) -> None:
        self.wiz.setButtonText(QWizard.WizardButton.NextButton, "&Next >")


class _RunPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Importing", "Nothing is saved until every row is written.")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("importProgress")
        self.stage = QLabel("", self)
        self.stage.setObjectName("importStage")
        self.cancel = QPushButton("Cancel the import", self)
        self.cancel.setObjectName("cancelImport")
        self.cancel.clicked.connect(self.wiz.cancel_flag.set)
        self.done_label = QLabel("", self)
        self.done_label.setObjectName("importDone")
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("font-size: 11pt;")
        for widget in (self.stage, self.bar, self.cancel, self.done_label):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.message)
        wizard.progress.moved.connect(self._moved)

    def _moved(self, stage: str, done: int, total: int) -> None:
        self.stage.setText(f"{STAGES.get(stage, stage)}: {done:,} of {total:,}")
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def initializePage(self) -> None:
        wiz = self.wiz
        wiz.cancel_flag.clear()
        wiz.result = None
        self.cancel.setEnabled(True)
        path, mapping, duplicates, encoding = wiz.path, wiz.mapping(), wiz.duplicates, wiz.encoding

        def progress(stage: str, done: int, total: int) -> None:
            if wiz.cancel_flag.is_set():
                raise ImportCancelled
            wiz.progress.moved.emit(stage, done, total)

        def work() -> ImportResult:
            return wiz.services.imports.run(
                wiz.actor,
                path,
                mapping=mapping,
                duplicates=duplicates,
                encoding=encoding,
                skip_problems=True,
                progress=progress,
            )

        def done(result: ImportResult) -> None:
            wiz.result = result
            self.cancel.setEnabled(False)
            self.bar.setValue(self.bar.maximum())
            self.done_label.setText(
                f"Imported {result.created:,} new patients"
                + (f" and filled in {result.merged:,} on file" if result.merged else "")
                + f" in {result.seconds:.1f} s. They can be found in the search box now."
            )
            wiz.events.announce(Changes.of(Topic.PATIENTS))
            self.completeChanged.emit()

        wiz.run_in_background(work, done, write=True)

    def isComplete(self) -> bool:
        return self.wiz.result is not None

    def say(self, text: str) -> None:
        super().say(text)
        self.cancel.setEnabled(False)
