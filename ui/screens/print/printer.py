"""Sending a document to a real printer (QtPrintSupport, so not part of ``ui.render``).

A native printer's print-system plugin and dialog belong to the GUI thread, so
``print_document`` is called there with a document that was prepared (data, QR matrices,
layout) in the background — painting it takes milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.documents import PrintDocument
from frontdesk.printing.geometry import Paper
from frontdesk.ui.render.printing.canvas import TextCache
from frontdesk.ui.render.printing.fonts import ensure_fonts
from frontdesk.ui.render.printing.output import page_size, paint_page


def prepare_printer(printer: QPrinter, paper: Paper, title: str, *, duplex: bool) -> None:
    """Paper, full-page coordinates and duplex for a document (set before the dialog, so
    the dialog shows them and the person can still change them)."""
    printer.setFullPage(True)  # layouts are measured from the paper's corner
    printer.setPageLayout(
        QPageLayout(page_size(paper), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    printer.setDocName(title)
    printer.setDuplex(
        QPrinter.DuplexMode.DuplexLongSide if duplex else QPrinter.DuplexMode.DuplexNone
    )


def print_document(document: PrintDocument, printer: QPrinter) -> int:
    """Paint every page onto ``printer`` (GUI thread only); returns the pages sent."""
    ensure_fonts()
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise InvalidInputError(
            f"The printer {printer.printerName() or ''} is not accepting jobs; check it's on."
        )
    cache = TextCache()
    try:
        for index, page in enumerate(document.pages):
            if index and not printer.newPage():
                raise InvalidInputError("The printer stopped taking pages; check the queue.")
            paint_page(painter, printer, page, printer.resolution(), cache)
    finally:
        painter.end()
    return len(document.pages)
