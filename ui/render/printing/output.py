"""One document, three file destinations: a preview image, a PDF, 300 dpi PNGs (QtGui only).

Images and PDFs are safe to produce on a worker thread (Qt supports QPainter on QImage and
QPdfWriter outside the GUI thread). The fourth destination, a real printer, needs
QtPrintSupport and the GUI thread: ``frontdesk.ui.screens.print.printer``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.documents import (
    CardBackPage,
    CardFrontPage,
    Page,
    PosterPage,
    PrintDocument,
)
from frontdesk.printing.geometry import MM_PER_INCH, Paper
from frontdesk.ui.render.printing.canvas import Canvas, TextCache
from frontdesk.ui.render.printing.card_paint import paint_card_backs, paint_card_fronts
from frontdesk.ui.render.printing.fonts import ensure_fonts
from frontdesk.ui.render.printing.poster_paint import paint_poster

PDF_DPI = 1200
PNG_DPI = 300
_PAGE_IDS = {
    Paper.A4: QPageSize.PageSizeId.A4,
    Paper.LETTER: QPageSize.PageSizeId.Letter,
    Paper.A5: QPageSize.PageSizeId.A5,
}


def page_size(paper: Paper) -> QPageSize:
    return QPageSize(_PAGE_IDS[paper])


def paint_page(
    painter: QPainter,
    device: QPaintDevice,
    page: Page,
    dpi: float,
    cache: TextCache | None = None,
) -> None:
    """Paint one page; pass the same ``cache`` for every page of a document on one device,
    so text shared by its pages is fitted and laid out once."""
    ensure_fonts()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    canvas = Canvas(painter, device, dpi, cache=cache)
    if isinstance(page, PosterPage):
        paint_poster(canvas, page)
    elif isinstance(page, CardFrontPage):
        paint_card_fronts(canvas, page)
    elif isinstance(page, CardBackPage):
        paint_card_backs(canvas, page)
    else:  # pragma: no cover - the Page union is closed
        raise TypeError(f"unknown page {page!r}")


def render_image(
    document: PrintDocument, index: int, dpi: float, *, guides: bool = False
) -> QImage:
    """One page as an image at ``dpi``, white paper, with its resolution recorded.
    ``guides`` outlines each card's trim with a faint dashed line (previews only)."""
    ensure_fonts()
    width, height = document.paper.size_mm
    image = QImage(
        round(width * dpi / MM_PER_INCH),
        round(height * dpi / MM_PER_INCH),
        QImage.Format.Format_RGB32,
    )
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    try:
        paint_page(painter, image, document.pages[index], dpi)
        if guides:
            _paint_guides(painter, image, document.pages[index], dpi)
    finally:
        painter.end()
    return image


def _paint_guides(painter: QPainter, device: QPaintDevice, page: Page, dpi: float) -> None:
    if isinstance(page, CardFrontPage):
        trims = [face.rect for face in page.faces]
    elif isinstance(page, CardBackPage):
        trims = list(page.slots)
    else:
        return
    canvas = Canvas(painter, device, dpi)
    painter.save()
    pen = QPen(QColor("#98A2B3"), 1.0)
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for trim in trims:
        painter.drawRect(canvas.rect(trim))
    painter.restore()


def write_pdf(document: PrintDocument, path: Path) -> Path:
    """A vector PDF: QR codes as filled paths, text as real (selectable) text."""
    ensure_fonts()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    writer = QPdfWriter(str(partial))
    writer.setResolution(PDF_DPI)
    writer.setTitle(document.title)
    writer.setCreator("Frontdesk")
    writer.setPageLayout(
        QPageLayout(
            page_size(document.paper),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise InvalidInputError(f"Can't write {path}: the folder is not writable.")
    cache = TextCache()
    try:
        for index, page in enumerate(document.pages):
            if index:
                writer.newPage()
            paint_page(painter, writer, page, writer.resolution(), cache)
    finally:
        painter.end()
    partial.replace(path)  # nothing half-written is ever left under the real name
    return path


def write_png(document: PrintDocument, path: Path, dpi: int = PNG_DPI) -> list[Path]:
    """One PNG per page (``name.png``, or ``name-1.png``, ``name-2.png`` … for several)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = len(document.pages)
    written = []
    for index in range(count):
        target = path if count == 1 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
        image = render_image(document, index, dpi)
        if not image.save(str(target), "PNG"):
            raise InvalidInputError(f"Can't write {target}: the folder is not writable.")
        written.append(target)
    return written


def write_file(document: PrintDocument, path: Path) -> list[Path]:
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return [write_pdf(document, path)]
    if suffix == ".png":
        return write_png(document, path)
    raise InvalidInputError(f"Save as .pdf or .png, not {suffix or 'a file without a type'}.")


def has_backs(document: PrintDocument) -> bool:
    return any(isinstance(page, CardBackPage) for page in document.pages)


def page_size_mm(paper: Paper) -> QSizeF:
    return page_size(paper).size(QPageSize.Unit.Millimeter)
