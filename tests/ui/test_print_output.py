"""Real PDFs and PNGs, read back like a person would: every QR scans to exactly its payload,
cards and crop marks sit where the spec puts them, and no text leaves its card."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from frontdesk.domain.referral_code import generate_code
from frontdesk.domain.referral_link import personal_link
from frontdesk.printing.card_layout import SAFE_INSET, card_sheet
from frontdesk.printing.documents import (
    CardFrontPage,
    CardPerson,
    ClinicMark,
    PrintDocument,
    card_document,
    poster_page,
)
from frontdesk.printing.geometry import Paper, Rect
from frontdesk.printing.payloads import poster_target
from frontdesk.printing.templates import TEMPLATES, template_for
from frontdesk.ui.render.printing.output import write_pdf, write_png
from tests.printing.pdfcheck import (
    decode_image,
    decode_pdf,
    glyphs,
    image_objects,
    page_sizes_mm,
    page_text,
    paths,
)

TOLERANCE = 0.2
CLINIC = ClinicMark(
    name="Harbour Physio & Sports Injury Clinic",
    booking_url="https://harbourphysio.example/book",
    sms_number="+447400123456",
    country="GB",
)
NAMES = (
    "Sarah",
    "Maximiliana-Alexandrina",
    "Wolfeschlegelsteinhausenbergerdorff",
    "王小明",
    "Σωκράτης",
    "Анастасия",
    "محمد",
    "Nguyễn Thị Minh Khai",
    "Zoë",
    "O'Sullivan-Fitzgerald",
)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Qt paints the files; pytest-qt's QApplication is enough (offscreen)."""


def cards(paper: Paper, names: tuple[str, ...] = NAMES, aftercare: bool = False) -> PrintDocument:
    rng = random.Random(11)
    people = []
    for index, name in enumerate(names):
        code = generate_code(name, rng)
        people.append(CardPerson(index + 1, name, code, personal_link(CLINIC.booking_url, code)))
    template = template_for("physio")
    return card_document(
        paper=paper,
        template=template,
        clinic=CLINIC,
        people=people,
        offer="£10 off your first appointment",
        contact=CLINIC.contact_line(),
        aftercare="Keep up your exercises little and often. " * 3 if aftercare else None,
    )


def _inside(box: Rect, area: Rect, tolerance: float) -> bool:
    return area.contains(box, tolerance)


@pytest.mark.parametrize("paper", [Paper.A4, Paper.LETTER])
def test_every_qr_on_a_full_card_sheet_decodes_to_exactly_its_payload(
    tmp_path: Path, paper: Paper
) -> None:
    document = cards(paper)
    pdf = write_pdf(document, tmp_path / "cards.pdf")
    (decoded,) = decode_pdf(pdf)
    page = document.pages[0]
    assert isinstance(page, CardFrontPage)
    assert sorted(d.text for d in decoded) == sorted(document.payloads)
    assert len(decoded) == 10
    assert image_objects(pdf) == 0  # the codes are vector paths, the words real text
    for face in page.faces:
        here = [d for d in decoded if _inside(d.box_mm, face.rect, 0.0)]
        assert [d.text for d in here] == [face.person.payload], face.person.first_name
        assert here[0].ec_level == "M"
        assert here[0].box_mm.w / face.qr.size >= 0.5 - 0.05  # type: ignore[union-attr]


@pytest.mark.parametrize("paper", [Paper.A4, Paper.LETTER])
def test_cards_and_crop_marks_are_where_the_spec_puts_them(tmp_path: Path, paper: Paper) -> None:
    pdf = write_pdf(cards(paper), tmp_path / "cards.pdf")
    width, height = page_sizes_mm(pdf)[0]
    assert (width, height) == pytest.approx(paper.size_mm, abs=0.3)
    sheet = card_sheet(paper)
    shapes = paths(pdf)
    card_shapes = [
        s.box_mm
        for s in shapes
        if s.filled and abs(s.box_mm.w - 85) < 0.5 and abs(s.box_mm.h - 55) < 0.5
    ]
    assert len(card_shapes) == 10
    for expected, drawn in zip(
        sheet.cards, sorted(card_shapes, key=lambda r: (round(r.y), r.x)), strict=True
    ):
        assert (drawn.x, drawn.y) == pytest.approx((expected.x, expected.y), abs=TOLERANCE)
    strokes = [s.box_mm for s in shapes if s.stroked and not s.filled]
    for mark in sheet.crop_marks:
        hits = [
            r
            for r in strokes
            if abs(r.center_x - (mark.x1 + mark.x2) / 2) < TOLERANCE
            and abs((r.y + r.h / 2) - (mark.y1 + mark.y2) / 2) < TOLERANCE
            and abs(max(r.w, r.h) - max(abs(mark.x2 - mark.x1), abs(mark.y2 - mark.y1)))
            < TOLERANCE + 0.2
        ]
        assert hits, f"no crop mark drawn at {mark}"


@pytest.mark.parametrize("paper", [Paper.A4, Paper.LETTER])
def test_no_text_leaves_its_card_however_long_or_foreign_the_name(
    tmp_path: Path, paper: Paper
) -> None:
    document = cards(paper, aftercare=True)
    pdf = write_pdf(document, tmp_path / "cards.pdf")
    sheet = card_sheet(paper)
    for page_index, areas in ((0, sheet.cards), (1, sheet.back_positions())):
        found = glyphs(pdf, page_index)
        assert len(found) > 300
        safe = [card.inset(SAFE_INSET - 0.5) for card in areas]
        strays = [g for g in found if not any(_inside(g.box_mm, a, 0.0) for a in safe)]
        assert strays == [], f"page {page_index}: {strays[:5]}"
    # Each code is drawn exactly in its own slot on its own card.
    front = document.pages[0]
    assert isinstance(front, CardFrontPage)
    found = glyphs(pdf, 0)
    for face in front.faces:
        slot = face.layout.code.rect.moved(face.rect.x, face.rect.y)
        drawn = "".join(g.char for g in found if _inside(g.box_mm, slot, 0.1))
        assert drawn == face.person.code


def test_card_text_is_real_text_in_every_script(tmp_path: Path) -> None:
    document = cards(Paper.A4)
    pdf = write_pdf(document, tmp_path / "cards.pdf")
    # NFKC: a CJK font may map a glyph back to its compatibility twin (小 → ⼩ U+2F29),
    # which looks and searches the same.
    raw = page_text(pdf)
    text = unicodedata.normalize("NFKC", raw)
    for name in ("Sarah", "Maximiliana-Alexandrina", "王小明", "Σωκράτης", "Анастасия", "Zoë"):
        assert name in text
    page = document.pages[0]
    assert isinstance(page, CardFrontPage)
    for face in page.faces:
        assert face.person.code in text
    # A name too long for any size is shortened with an ellipsis, not cut by the trim.
    assert "Wolfeschlegelsteinhausenbergerdorff" not in text
    assert "Wolfeschlegel" in text and "…" in raw


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("paper", list(Paper))
def test_every_poster_qr_decodes_and_prints_at_least_6_cm(
    tmp_path: Path, template: str, paper: Paper
) -> None:
    page = poster_page(
        paper=paper,
        template=template_for(template),
        clinic=CLINIC,
        payload=poster_target(CLINIC.booking_url, None, "FRIEND", "treatment-room-1"),
        headline=template_for(template).headline,
        offer="£10 off their first appointment",
        instruction="Scan with your phone camera and share the page with a friend.",
        contact=CLINIC.contact_line(),
        source_name="Treatment room 1",
        source_tag="treatment-room-1",
    )
    pdf = write_pdf(PrintDocument("Poster", paper, (page,)), tmp_path / "poster.pdf")
    assert page_sizes_mm(pdf)[0] == pytest.approx(paper.size_mm, abs=0.3)
    (decoded,) = decode_pdf(pdf, dpi=150)
    assert [d.text for d in decoded] == ["https://harbourphysio.example/book?src=treatment-room-1"]
    assert decoded[0].ec_level == "H"
    assert decoded[0].box_mm.w >= 60.0 - 0.5
    text = page_text(pdf)
    assert template_for(template).headline.split()[0] in text
    frame = page.layout.frame
    strays = [g for g in glyphs(pdf) if not _inside(g.box_mm, frame, 0.3)]
    assert strays == []


def test_a_poster_without_a_website_carries_an_sms_link_that_scans(tmp_path: Path) -> None:
    target = poster_target(None, CLINIC.sms_number, "FRIEND", "mirror")
    page = poster_page(
        paper=Paper.A5, template=template_for("medspa"), clinic=CLINIC, payload=target,
        headline="Share the glow.", offer="£25 off", instruction="Scan to text us.",
        contact="Text FRIEND to 07400 123456", source_name="Mirror", source_tag="mirror",
    )  # fmt: skip
    pdf = write_pdf(PrintDocument("Poster", Paper.A5, (page,)), tmp_path / "poster.pdf")
    assert [d.text for d in decode_pdf(pdf)[0]] == ["sms:+447400123456?body=FRIEND%20MIRROR"]


def test_png_export_is_300_dpi_and_scans(tmp_path: Path) -> None:
    document = cards(Paper.LETTER, NAMES[:3])
    (png,) = write_png(document, tmp_path / "cards.png")
    with Image.open(png) as image:
        assert image.size == (round(215.9 / 25.4 * 300), round(279.4 / 25.4 * 300))
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        decoded = decode_image(image.copy(), 300)
    assert sorted(d.text for d in decoded) == sorted(document.payloads)


def test_several_pages_become_numbered_pngs(tmp_path: Path) -> None:
    document = cards(Paper.A4, NAMES[:2], aftercare=True)
    written = write_png(document, tmp_path / "sheet.png")
    assert [p.name for p in written] == ["sheet-1.png", "sheet-2.png"]


def test_a_pdf_is_never_left_half_written(tmp_path: Path) -> None:
    target = tmp_path / "cards.pdf"
    write_pdf(cards(Paper.A4, NAMES[:1]), target)
    assert [p.name for p in tmp_path.iterdir()] == ["cards.pdf"]
