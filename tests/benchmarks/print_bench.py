"""Print: 500 personal cards (50 sheets of fronts, each followed by its aftercare backs) from
a list of people to a PDF file on disk, against the same pages of plain text through Qt's
PDF writer.

Each repeat prints a new batch (fresh codes), so no QR code or laid-out name is carried
over from the previous repeat; text shared by every card (clinic name, offer, backs) is
laid out once per document, as in the app. The baseline draws the same words at the same
places with ``drawText`` — no fitting, no QR codes — on the same number of pages: what the
machine's PDF writer costs before any layout work.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from tests.benchmarks.harness import Row, Settings, log, median

PRINT_LIMIT_S = 5.0
OFFER = "£10 off your first appointment"
CONTACT = "harbourphysio.example/book"
AFTERCARE = "Keep up your exercises."


def cards(settings: Settings) -> list[Row]:
    from PySide6.QtGui import QGuiApplication

    from frontdesk.printing.documents import card_document
    from frontdesk.printing.geometry import Paper
    from frontdesk.printing.templates import template_for
    from frontdesk.ui.render.printing.output import write_pdf
    from tests.ui.test_print_output import CLINIC

    _app = QGuiApplication.instance() or QGuiApplication([])
    count = 50 if settings.quick else 500
    rng = random.Random(5)
    walls, cpus, prepares, baselines = [], [], [], []
    pages = size_kb = 0
    for repeat in range(settings.repeats):
        people = _people(count, rng)
        path = settings.work / f"cards-{repeat}.pdf"
        started, cpu = time.perf_counter(), time.process_time()
        document = card_document(
            paper=Paper.A4, template=template_for("physio"), clinic=CLINIC, people=people,
            offer=OFFER, contact=CONTACT, aftercare=AFTERCARE,
        )  # fmt: skip
        prepared = time.perf_counter()
        write_pdf(document, path)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        prepares.append(prepared - started)
        pages, size_kb = len(document.pages), path.stat().st_size / 1024
        path.unlink()
        baselines.append(_plain_text_pdf(settings.work / f"plain-{repeat}.pdf", people))
    value, base = median(walls), median(baselines)
    log(
        f"  print {count} cards ({pages} pages, {size_kb:,.0f} KB): {value:.2f} s "
        f"(prepare {median(prepares):.2f} s, CPU {median(cpus):.2f} s); "
        f"plain text {base:.2f} s"
    )
    target = f"<= {PRINT_LIMIT_S:g} s" if count == 500 else None
    return [
        Row("print", count, "cards_to_pdf", value, "s", baseline=base, target=target,
            met=value <= PRINT_LIMIT_S if target else None,
            extra={"pages": pages, "pdf_kb": round(size_kb), "repeats": len(walls),
                   "prepare_s": round(median(prepares), 3), "cpu_s": round(median(cpus), 3),
                   "baseline_is": "the same words on the same pages with QPdfWriter drawText, "
                   "no fitting, no QR codes"}),
    ]  # fmt: skip


def _people(count: int, rng: random.Random) -> list:
    from frontdesk.domain.referral_code import generate_code
    from frontdesk.domain.referral_link import personal_link
    from frontdesk.printing.documents import CardPerson
    from tests.ui.test_print_output import CLINIC, NAMES

    people = []
    for index in range(count):
        name = NAMES[index % len(NAMES)]
        code = generate_code(name, rng)
        people.append(CardPerson(index, name, code, personal_link(CLINIC.booking_url, code)))
    return people


def _plain_text_pdf(path: Path, people: list) -> float:
    """Seconds to write every card's words, front and back, as bare text on A4 pages."""
    from PySide6.QtCore import QMarginsF, QPointF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from frontdesk.printing.card_layout import PER_SHEET, card_sheet
    from frontdesk.printing.geometry import Paper
    from frontdesk.printing.text_slots import Face
    from frontdesk.ui.render.printing.fonts import ensure_fonts, print_font
    from tests.ui.test_print_output import CLINIC

    ensure_fonts()
    slots = card_sheet(Paper.A4).cards
    started = time.perf_counter()
    writer = QPdfWriter(str(path))
    writer.setResolution(1200)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                    QMarginsF(0, 0, 0, 0))
    )  # fmt: skip
    px = 1200 / 25.4
    painter = QPainter(writer)
    painter.setFont(print_font(Face.SANS, 7.0))
    for start in range(0, len(people), PER_SHEET):
        batch = people[start : start + PER_SHEET]
        if start:
            writer.newPage()
        for person, slot in zip(batch, slots, strict=False):
            front = (CLINIC.name, "Recommended to you by", person.first_name,
                     "Your welcome offer", OFFER, person.code, "Scan, or quote this code",
                     CONTACT)  # fmt: skip
            for line, words in enumerate(front):
                painter.drawText(QPointF((slot.x + 4) * px, (slot.y + 6 + 5 * line) * px), words)
        writer.newPage()
        for slot in slots[: len(batch)]:
            back = ("Aftercare", CLINIC.name, CONTACT, AFTERCARE, "Your next visit", "Date",
                    "Time")  # fmt: skip
            for line, words in enumerate(back):
                painter.drawText(QPointF((slot.x + 4) * px, (slot.y + 6 + 6 * line) * px), words)
    painter.end()
    elapsed = time.perf_counter() - started
    path.unlink()
    return elapsed
