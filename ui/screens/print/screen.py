"""Print: template gallery on the left, choices in the middle, live preview on the right.

Threads: gathering the data, building QR matrices and layouts, and painting previews, PDFs
and PNGs all run on the task runner's workers (QPainter on QImage/QPdfWriter is supported
off the GUI thread). Printing to a real printer is the exception: the print dialog and the
platform's printer device (CUPS, Windows GDI, macOS) belong to the GUI thread, so the
document is prepared in the background and only painted onto the QPrinter here — a few
milliseconds a page, since nothing is computed at that point.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QImage, QResizeEvent, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.printing.documents import PrintDocument
from frontdesk.printing.geometry import Paper
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import Actor
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.render.printing.fonts import ensure_fonts
from frontdesk.ui.render.printing.output import has_backs, render_image, write_file
from frontdesk.ui.screens.print.jobs import Selection, build_document, print_failure
from frontdesk.ui.screens.print.picker import PatientPicker
from frontdesk.ui.screens.print.preview import PreviewPane, TemplateGallery, gallery_entries
from frontdesk.ui.screens.print.printer import prepare_printer, print_document
from frontdesk.ui.tasks import TaskRunner
from frontdesk.ui.widgets.alive import while_alive
from frontdesk.ui.widgets.row_model import ROW_ROLE

PREVIEW_DEBOUNCE_MS = 150
SOURCE_SUGGESTIONS = ("Reception", "Treatment room 1", "Treatment room 2", "Mirror", "Waiting area")


class PrintScreen(QWidget):
    saved = Signal(list)  # the files written
    printed = Signal(int)  # pages sent to a printer

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        events: AppEvents,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        ensure_fonts()
        self._services = services
        self._printing = services.printing
        self._tasks = tasks
        self._actor = actor
        self._latest = LatestAnswer()  # the choice changed meanwhile: a newer preview comes
        self._page = 0
        self._busy = False
        self._printer: QPrinter | None = None
        self.document: PrintDocument | None = None

        clinic = services.clinic.info()
        self.gallery = TemplateGallery(gallery_entries(clinic.clinic_type), self)
        self.preview = PreviewPane(self)
        self.paper = QComboBox(self)
        self.paper.setObjectName("paperChoice")
        self.paper.setAccessibleName("Paper size")
        for paper in Paper:
            self.paper.addItem("US Letter" if paper is Paper.LETTER else paper.value, paper)
        if clinic.country in ("US", "CA"):
            self.paper.setCurrentIndex(1)
        self.source = QComboBox(self)
        self.source.setObjectName("posterSource")
        self.source.setEditable(True)
        self.source.setAccessibleName("Where the poster hangs")
        self.source.addItems(SOURCE_SUGGESTIONS)
        self.source.setToolTip(
            "Each place gets its own code, so the report shows which poster worked."
        )
        self.picker = PatientPicker(
            services.lookup.lookup, self._printing.todays_patients, tasks, self
        )
        self.notes = QLabel(self)
        self.notes.setObjectName("printNotes")
        self.notes.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("printStatus")
        self.status.setWordWrap(True)
        self.print_button = QPushButton("Print…", self)
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.pdf_button = QPushButton("Save PDF…", self)
        self.pdf_button.setObjectName("savePdfButton")
        self.png_button = QPushButton("Save PNG…", self)
        self.png_button.setObjectName("savePngButton")
        self.logo_button = QPushButton("Logo…", self)
        self.logo_button.setObjectName("logoButton")
        if actor.is_owner:
            self.logo_button.setToolTip(
                "Choose the clinic's logo (PNG, JPEG or SVG) for posters and cards"
            )
        else:
            self.logo_button.setEnabled(False)
            self.logo_button.setToolTip("Only an owner can change the clinic's logo")

        self._layout_widgets()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(PREVIEW_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._refresh_preview)
        self.gallery.currentRowChanged.connect(self._entry_changed)
        self.paper.currentIndexChanged.connect(lambda _i: self._changed())
        self.source.currentTextChanged.connect(lambda _t: self._changed())
        self.picker.changed.connect(self._changed)
        self.preview.page_requested.connect(self._go_to_page)
        self.print_button.clicked.connect(self.open_print_dialog)
        self.pdf_button.clicked.connect(lambda: self._ask_and_save("pdf"))
        self.png_button.clicked.connect(lambda: self._ask_and_save("png"))
        self.logo_button.clicked.connect(self._choose_logo)
        events.patients_changed.connect(self.picker.refresh_today)
        events.settings_changed.connect(self._changed)
        self._entry_changed()
        self.picker.refresh_today()
        tasks.read(self._printing.list_posters, while_alive(self, self._posters_loaded))
        self._render_thumbnails()

    def _layout_widgets(self) -> None:
        title = QLabel("Print", self)
        title.setObjectName("screenTitle")
        self.options = QStackedWidget(self)
        poster_box = QWidget(self.options)
        form = QFormLayout(poster_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Where it hangs", self.source)
        hint = QLabel(
            "The code on each poster carries its place, so you'll see which one brings friends in.",
            poster_box,
        )
        hint.setWordWrap(True)
        hint.setObjectName("screenSummary")
        form.addRow(hint)
        self.options.addWidget(self.picker)
        self.options.addWidget(poster_box)
        paper_row = QFormLayout()
        paper_row.addRow("Paper", self.paper)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.png_button)
        column = QVBoxLayout()
        column.setContentsMargins(16, 20, 16, 16)
        column.setSpacing(10)
        column.addWidget(title)
        column.addLayout(paper_row)
        column.addWidget(self.options, 1)
        column.addWidget(self.logo_button)
        column.addWidget(self.notes)
        column.addWidget(self.status)
        column.addWidget(self.print_button)
        column.addLayout(buttons)
        middle = QWidget(self)
        middle.setLayout(column)
        middle.setFixedWidth(330)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.gallery)
        row.addWidget(middle)
        row.addWidget(self.preview, 1)

    # -- what is chosen ---------------------------------------------------------------------
    def selection(self) -> Selection:
        entry = self.gallery.entry()
        return Selection(
            entry=entry,
            paper=Paper(self.paper.currentData()),
            source=self.source.currentText().strip() or "Reception",
            patient_ids=tuple(p.id for p in self.picker.people()),
        )

    def build(self, selection: Selection, *, record: bool = False) -> PrintDocument:
        """The document for a selection (worker thread). ``record`` stores posters."""
        return build_document(self._printing, self._actor, selection, record=record)

    def _entry_changed(self) -> None:
        entry = self.gallery.entry()
        self.options.setCurrentIndex(1 if entry.is_poster else 0)
        a5 = self.paper.model().item(2)
        a5.setEnabled(entry.is_poster)
        if not entry.is_poster and Paper(self.paper.currentData()) is Paper.A5:
            self.paper.setCurrentIndex(0)
        self._page = 0
        self._changed()

    def _changed(self) -> None:
        sample = self.selection().is_sample
        for button in (self.print_button, self.pdf_button, self.png_button):
            button.setEnabled(not sample and not self._busy)
            button.setToolTip("Choose patients first" if sample else "")
        self._debounce.start()

    def _posters_loaded(self, posters: tuple) -> None:
        known = [p.name for p in posters]
        current = self.source.currentText()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItems(known + [s for s in SOURCE_SUGGESTIONS if s not in known])
        self.source.setCurrentText(current)
        self.source.blockSignals(False)

    # -- preview ----------------------------------------------------------------------------
    def _refresh_preview(self) -> None:
        ticket, selection, page = self._latest.ask(), self.selection(), self._page
        dpi = self.preview.preview_dpi(selection.paper.height)
        ratio = self.devicePixelRatioF()

        def work() -> tuple[PrintDocument, int, QImage]:
            document = self.build(selection)
            index = min(page, len(document.pages) - 1)
            image = render_image(document, index, dpi, guides=True)
            image.setDevicePixelRatio(ratio)
            return document, index, image

        self._tasks.read(
            work,
            while_alive(self, ticket(self._show_preview)),
            while_alive(self, ticket(self._preview_failed)),
        )

    def _show_preview(self, result: tuple[PrintDocument, int, QImage]) -> None:
        document, index, image = result
        self.document = document
        self._page = index
        sample = self.selection().is_sample
        banner = (
            "Sample — choose today's patients or add people to print their cards" if sample else ""
        )
        self.preview.show_page(image, index, len(document.pages), banner)
        self.notes.setText("\n".join(document.notes))

    def _preview_failed(self, error: BaseException) -> None:
        self.document = None
        self.preview.show_page(None, 0, 0)
        self.notes.setText(print_failure(error))

    def _go_to_page(self, page: int) -> None:
        self._page = max(0, page)
        self._debounce.start(0)

    def _render_thumbnails(self) -> None:
        for row in range(self.gallery.count()):
            entry = self.gallery.item(row).data(ROW_ROLE)
            selection = Selection(entry=entry, paper=Paper.A4, source="Reception", patient_ids=())

            def work(selection: Selection = selection) -> tuple[str, QImage]:
                return selection.entry.key, render_image(self.build(selection), 0, 30)

            show = while_alive(self, lambda result: self.gallery.set_thumbnail(*result))
            self._tasks.read(work, show, lambda _error: None)  # a thumbnail is optional

    # -- output -----------------------------------------------------------------------------
    def _ask_and_save(self, kind: str) -> None:
        selection = self.selection()
        name = f"{selection.entry.label.lower().replace(' ', '-').replace('+', 'and')}.{kind}"
        path, _filter = QFileDialog.getSaveFileName(
            self, f"Save {kind.upper()}", str(Path.home() / name), f"{kind.upper()} (*.{kind})"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the current choice to ``path`` (.pdf or .png) in the background."""
        selection = self.selection()
        self._set_busy(True, "Saving…")
        run = self._tasks.write if selection.entry.is_poster else self._tasks.read
        run(
            lambda: write_file(self.build(selection, record=True), path),
            while_alive(self, self._saved),
            while_alive(self, self._failed),
        )

    def _saved(self, files: list[Path]) -> None:
        self._set_busy(False, f"Saved {', '.join(f.name for f in files)} in {files[0].parent}.")
        self.saved.emit(files)

    def open_print_dialog(self) -> None:
        selection = self.selection()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(
            printer,
            selection.paper,
            selection.entry.label,
            duplex=selection.entry.key == "cards+aftercare",
        )
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Prepare the document in the background, then paint it onto ``printer`` here."""
        selection = self.selection()
        self._printer = printer
        self._set_busy(True, "Preparing the print job…")
        run = self._tasks.write if selection.entry.is_poster else self._tasks.read
        run(
            lambda: self.build(selection, record=True),
            while_alive(self, self._send),
            while_alive(self, self._failed),
        )

    def _send(self, document: PrintDocument) -> None:
        printer, self._printer = self._printer, None
        assert printer is not None
        try:
            if has_backs(document) and printer.duplex() is QPrinter.DuplexMode.DuplexNone:
                self.notes.setText(
                    "Print the backs on the reverse: turn the sheet over along its long edge."
                )
            pages = print_document(document, printer)
        except FrontdeskError as error:
            self._failed(error)
            return
        where = printer.printerName() or printer.outputFileName() or "the printer"
        self._set_busy(False, f"Sent {pages} page{'s' if pages != 1 else ''} to {where}.")
        self.printed.emit(pages)

    def _failed(self, error: BaseException) -> None:
        self._printer = None
        self._set_busy(False, print_failure(error))

    def _set_busy(self, busy: bool, message: str) -> None:
        self._busy = busy
        self.status.setText(message)
        self._changed()

    # -- logo -------------------------------------------------------------------------------
    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose the clinic's logo", str(Path.home()), "Images (*.png *.jpg *.jpeg *.svg)"
        )
        if path:
            self.set_logo_from(Path(path))

    def set_logo_from(self, path: Path) -> None:
        self._set_busy(True, "Checking the logo…")
        self._tasks.write(
            lambda: self._printing.set_logo(self._actor, path.read_bytes()),
            while_alive(self, self._logo_saved),
            while_alive(self, self._failed),
        )

    def _logo_saved(self, _logo: object) -> None:
        self._set_busy(False, "Logo saved; every poster and card now carries it.")
        self._render_thumbnails()

    # -- Qt ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._debounce.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._debounce.start()

    def add_patient(self, person: object) -> None:
        """Called by other screens ("print card" on the patient card)."""
        self.gallery.select("cards")
        self.picker.add_person(person)  # type: ignore[arg-type]
