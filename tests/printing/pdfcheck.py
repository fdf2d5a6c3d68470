"""Reading produced PDFs the way a person's phone and eyes would: rasterise, decode, measure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image

from frontdesk.printing.geometry import MM_PER_POINT, Rect
from frontdesk.printing.qr import QUIET_ZONE, QrCode

DECODE_DPI = 200


@dataclass(frozen=True)
class Decoded:
    text: str
    ec_level: str
    box_mm: Rect  # the symbol's bounding box on the page, quiet zone excluded


def decode_image(image: Image.Image, dpi: float) -> list[Decoded]:
    found = []
    for result in zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode):
        pos = result.position
        xs = [p.x for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
        ys = [p.y for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
        k = 25.4 / dpi
        box = Rect(min(xs) * k, min(ys) * k, (max(xs) - min(xs)) * k, (max(ys) - min(ys)) * k)
        found.append(Decoded(result.text, result.ec_level, box))
    return found


def decode_pdf(path: Path, dpi: float = DECODE_DPI) -> list[list[Decoded]]:
    """Every QR code on every page, as a phone would read them from the printout."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            pages.append(decode_image(image, dpi))
        return pages
    finally:
        pdf.close()


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [(w * MM_PER_POINT, h * MM_PER_POINT) for w, h in (p.get_size() for p in pdf)]
    finally:
        pdf.close()


@dataclass(frozen=True)
class Glyph:
    char: str
    box_mm: Rect  # top-left origin, like the layouts


def glyphs(path: Path, page_index: int = 0) -> list[Glyph]:
    """Every character of real (selectable) text on a page, with its box in mm."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        height = page.get_height()
        text = page.get_textpage()
        found = []
        for i in range(text.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(text.raw, i))
            if char.isspace() or char in "\x00\ufffe\uffff\r\n":
                continue
            left, bottom, right, top = text.get_charbox(i)
            if right - left <= 0 and top - bottom <= 0:
                continue
            found.append(
                Glyph(
                    char,
                    Rect(
                        left * MM_PER_POINT,
                        (height - top) * MM_PER_POINT,
                        (right - left) * MM_PER_POINT,
                        (top - bottom) * MM_PER_POINT,
                    ),
                )
            )
        return found
    finally:
        pdf.close()


def page_text(path: Path, page_index: int = 0) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[page_index].get_textpage().get_text_range()
    finally:
        pdf.close()


@dataclass(frozen=True)
class Shape:
    box_mm: Rect
    filled: bool
    stroked: bool


def paths(path: Path, page_index: int = 0) -> list[Shape]:
    """The vector path objects of a page with their bounds in mm (top-left origin)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        height = page.get_height()
        shapes = []
        for obj in page.get_objects(max_depth=4):
            if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            left, bottom, right, top = obj.get_bounds()
            fill_mode = pdfium_c.c_int()
            stroke = pdfium_c.FPDF_BOOL()
            pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke)
            shapes.append(
                Shape(
                    Rect(
                        left * MM_PER_POINT,
                        (height - top) * MM_PER_POINT,
                        (right - left) * MM_PER_POINT,
                        (top - bottom) * MM_PER_POINT,
                    ),
                    filled=fill_mode.value != 0,
                    stroked=bool(stroke.value),
                )
            )
        return shapes
    finally:
        pdf.close()


def qr_image(code: QrCode, pixels_per_module: int = 6) -> Image.Image:
    """A matrix drawn straight to pixels, quiet zone included, for decoding without Qt."""
    side = code.total_modules * pixels_per_module
    image = Image.new("L", (side, side), 255)
    for row in range(code.size):
        for col in range(code.size):
            if code.is_dark(row, col):
                x = (QUIET_ZONE + col) * pixels_per_module
                y = (QUIET_ZONE + row) * pixels_per_module
                image.paste(0, (x, y, x + pixels_per_module, y + pixels_per_module))
    return image


def image_objects(path: Path, page_index: int = 0) -> int:
    """How many raster images a page holds (a vector QR and real text need none)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        objects = pdf[page_index].get_objects(max_depth=4)
        return sum(1 for obj in objects if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE)
    finally:
        pdf.close()
