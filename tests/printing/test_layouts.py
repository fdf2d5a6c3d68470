"""Geometry as data: where cards, crop marks and poster parts go, against the spec."""

from __future__ import annotations

from dataclasses import fields

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.card_layout import (
    CARD_H,
    CARD_W,
    SAFE_INSET,
    card_back,
    card_front,
    card_sheet,
)
from frontdesk.printing.geometry import Paper, Rect
from frontdesk.printing.poster_layout import MIN_SYMBOL_MM, poster_layout
from frontdesk.printing.qr import fit_qr, make_qr
from frontdesk.printing.text_slots import TextSlot

TOLERANCE = 0.2
# The spec, worked out by hand: two columns of five 85 × 55 mm cards, centred.
EXPECTED_ORIGIN = {Paper.A4: (20.0, 11.0), Paper.LETTER: (22.95, 2.2)}


@pytest.mark.parametrize("paper", [Paper.A4, Paper.LETTER])
def test_ten_cards_sit_edge_to_edge_centred_on_the_sheet(paper: Paper) -> None:
    sheet = card_sheet(paper)
    left, top = EXPECTED_ORIGIN[paper]
    assert len(sheet.cards) == 10
    for index, card in enumerate(sheet.cards):
        row, col = divmod(index, 2)
        assert card.x == pytest.approx(left + col * 85.0, abs=TOLERANCE)
        assert card.y == pytest.approx(top + row * 55.0, abs=TOLERANCE)
        assert (card.w, card.h) == (85.0, 55.0)


@pytest.mark.parametrize("paper", [Paper.A4, Paper.LETTER])
def test_crop_marks_sit_on_every_cut_line_in_the_margins(paper: Paper) -> None:
    sheet = card_sheet(paper)
    left, top = EXPECTED_ORIGIN[paper]
    cuts_x = {round(left + k * 85.0, 2) for k in range(3)}
    cuts_y = {round(top + k * 55.0, 2) for k in range(6)}
    vertical = [m for m in sheet.crop_marks if m.is_vertical]
    horizontal = [m for m in sheet.crop_marks if not m.is_vertical]
    assert {round(m.x1, 2) for m in vertical} == cuts_x
    assert {round(m.y1, 2) for m in horizontal} == cuts_y
    assert len(vertical) == 6 and len(horizontal) == 12  # both ends of every cut
    grid = sheet.grid
    for mark in sheet.crop_marks:
        xs, ys = sorted((mark.x1, mark.x2)), sorted((mark.y1, mark.y2))
        assert xs[0] >= 0 and ys[0] >= 0 and xs[1] <= paper.width and ys[1] <= paper.height
        outside = xs[1] < grid.x or xs[0] > grid.right or ys[1] < grid.y or ys[0] > grid.bottom
        assert outside, f"{mark} touches a card"
        assert max(xs[1] - xs[0], ys[1] - ys[0]) > 0.5


def test_a4_crop_marks_are_full_length_with_a_gap() -> None:
    sheet = card_sheet(Paper.A4)
    top_mark = next(m for m in sheet.crop_marks if m.is_vertical and m.y2 < 11)
    assert top_mark.y2 == pytest.approx(11.0 - 2.0)
    assert top_mark.y2 - top_mark.y1 == pytest.approx(5.0)


def test_backs_mirror_the_fronts_for_long_edge_duplex() -> None:
    sheet = card_sheet(Paper.A4)
    backs = sheet.back_positions()
    assert backs[0] == sheet.cards[1] and backs[1] == sheet.cards[0]
    assert backs[8] == sheet.cards[9]


def test_cards_do_not_print_on_a5() -> None:
    with pytest.raises(InvalidInputError, match="A4 or US Letter"):
        card_sheet(Paper.A5)


def _slots(layout: object) -> list[Rect]:
    rects = []
    for field in fields(layout):  # type: ignore[arg-type]
        value = getattr(layout, field.name)
        if isinstance(value, TextSlot):
            rects.append(value.rect)
        elif isinstance(value, tuple):
            rects.extend(v.rect for v in value if isinstance(v, TextSlot))
    return rects


@pytest.mark.parametrize("extra", [0, 180])
def test_every_card_text_slot_stays_inside_the_safe_area(extra: int) -> None:
    code = make_qr("https://harbourphysio.example/book/" + "a" * extra + "?ref=SARAH-K7QD")
    fit = fit_qr(code, 31.0, max_mm=40.0)
    safe = Rect(0, 0, CARD_W, CARD_H).inset(SAFE_INSET)
    front = card_front(fit)
    for rect in [*_slots(front), *_slots(card_back())]:
        assert safe.contains(rect, tolerance=1e-9), rect
    assert Rect(0, 0, CARD_W, CARD_H).inset(1.0).contains(front.qr)
    # The text column never runs under the code.
    assert front.name.rect.right < front.qr.x + 4 * fit.module_mm


@pytest.mark.parametrize("paper", list(Paper))
@pytest.mark.parametrize("payload_len", [10, 60, 160])
def test_poster_codes_print_at_least_6_cm_inside_the_frame(paper: Paper, payload_len: int) -> None:
    code = make_qr("https://h.example/" + "b" * payload_len, with_logo=True)
    layout = poster_layout(paper, code)
    assert layout.qr_fit.symbol_mm >= MIN_SYMBOL_MM - 1e-6
    assert layout.frame.contains(layout.qr_frame)
    assert layout.header.bottom < layout.offer_box.y < layout.offer_box.bottom < layout.qr_frame.y
    assert layout.qr_frame.bottom < layout.instruction.rect.y
    assert layout.instruction.rect.bottom < layout.footer_rule_y
    for rect in _slots(layout):
        assert layout.frame.contains(rect, tolerance=1e-9), rect
