"""The one-page PDF report: real QPdfWriter output, read back with pdfium."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from frontdesk.services.bundle import Services
from tests.dataio import report_data


@pytest.fixture
def services(sqlite_db, clock) -> Services:  # type: ignore[no-untyped-def]
    """Drawing is the same whatever the database; the figures are tested on both."""
    from frontdesk.services.bundle import build_services
    from frontdesk.services.records.context import SOLE_OWNER, ServiceContext

    built = build_services(ServiceContext(db=sqlite_db, clock=clock))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    with built.ctx.db.begin() as session:
        report_data.build(session)
    return built


def test_the_report_is_one_a4_page_with_the_figures(services: Services, tmp_path: Path) -> None:
    from frontdesk.ui.render.report_pdf import write_report_pdf

    target = write_report_pdf(services.reports.monthly("2026-10"), tmp_path / "october.pdf")
    pdf = pdfium.PdfDocument(target)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = pdf[0].get_textpage().get_text_range()
    for expected in (
        "Harbour Physio",
        "Referral report · October 2026",
        "INTRODUCTIONS",
        "Sarah Test",
        "Friendly ask",
        "Mirror poster (mirror)",
        "£105",  # referred revenue
        "7.0×",  # ROI: 10500 / (1500 + 9)
        "▼ 25% vs Sep",  # outstanding credit £15 against £20
    ):
        assert expected in text, expected
    assert not list(tmp_path.glob(".*partial"))
    image = pdf[0].render(scale=0.5).to_pil().convert("RGB")
    teal = sum(
        1
        for x in range(0, image.width, 2)
        for y in range(0, image.height, 2)
        if image.getpixel((x, y)) == (14, 124, 134)
    )
    assert teal > 150, "the charts and headings should be drawn in the brand colour"
