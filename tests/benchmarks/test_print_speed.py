"""How long printing takes (not part of the default run):

.venv/bin/pytest tests/benchmarks/test_print_speed.py -s
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from frontdesk.domain.referral_code import generate_code
from frontdesk.printing.documents import CardPerson, card_document
from frontdesk.printing.geometry import Paper
from frontdesk.printing.payloads import personal_link
from frontdesk.printing.templates import template_for
from tests.printing.pdfcheck import decode_pdf
from tests.ui.test_print_output import CLINIC, NAMES
from ui.printing.output import render_image, write_pdf


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Qt paints the files."""


def _people(count: int) -> list[CardPerson]:
    rng = random.Random(5)
    people = []
    for index in range(count):
        name = NAMES[index % len(NAMES)]
        code = generate_code(name, rng)
        people.append(CardPerson(index, name, code, personal_link(CLINIC.booking_url, None, code)))
    return people


def test_five_hundred_cards(tmp_path: Path) -> None:
    started = time.perf_counter()
    document = card_document(
        paper=Paper.A4, template=template_for("physio"), clinic=CLINIC, people=_people(500),
        offer="£10 off your first appointment", contact="harbourphysio.example/book",
        aftercare="Keep up your exercises.",
    )  # fmt: skip
    prepared = time.perf_counter()
    pdf = write_pdf(document, tmp_path / "cards.pdf")
    written = time.perf_counter()
    print(
        f"\n500 cards ({len(document.pages)} pages): prepare {prepared - started:.2f} s, "
        f"PDF {written - prepared:.2f} s, {pdf.stat().st_size / 1024:.0f} KB"
    )
    assert written - started < 60


def test_preview_and_decode(tmp_path: Path) -> None:
    document = card_document(
        paper=Paper.A4, template=template_for("physio"), clinic=CLINIC, people=_people(10),
        offer="£10 off your first appointment", contact="harbourphysio.example/book",
        aftercare=None,
    )  # fmt: skip
    started = time.perf_counter()
    for _ in range(5):
        render_image(document, 0, 96)
    preview = (time.perf_counter() - started) / 5
    pdf = write_pdf(document, tmp_path / "sheet.pdf")
    started = time.perf_counter()
    (found,) = decode_pdf(pdf)
    decode = time.perf_counter() - started
    print(
        f"\npreview of a sheet at 96 dpi: {preview * 1000:.0f} ms; decode 10 codes: {decode:.2f} s"
    )
    assert len(found) == 10
