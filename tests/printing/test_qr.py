"""QR matrices decode to exactly their payload; sizes never print modules under 0.5 mm."""

from __future__ import annotations

import random
import string

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.qr import MIN_MODULE_MM, QUIET_ZONE, QrTooDenseError, fit_qr, make_qr
from tests.printing.pdfcheck import decode_image, qr_image

PAYLOADS = (
    "https://harbourphysio.example/book?ref=SARAH-K7QD",
    "sms:+447700900123?body=FRIEND%20RECEPTION",
    "https://x.example/?a=1&ref=MAXIMILI-TR2Z#top",
)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("with_logo", [False, True])
def test_every_matrix_decodes_to_exactly_its_payload(payload: str, with_logo: bool) -> None:
    code = make_qr(payload, with_logo=with_logo)
    found = decode_image(qr_image(code), dpi=150)
    assert [d.text for d in found] == [payload]
    assert found[0].ec_level == ("H" if with_logo else "M")


def test_a_logo_clears_a_centred_hole_and_raises_error_correction_to_h() -> None:
    plain = make_qr(PAYLOADS[0])
    marked = make_qr(PAYLOADS[0], with_logo=True)
    assert plain.error_correction == "M" and plain.logo_hole == 0
    assert marked.error_correction == "H"
    assert marked.version > plain.version  # H costs space
    hole, start = marked.logo_hole, marked.hole_start
    assert hole % 2 == marked.size % 2 and start * 2 + hole == marked.size
    assert 0.15 <= hole / marked.size <= 0.23
    assert not any(
        marked.is_dark(r, c) for r in range(start, start + hole) for c in range(start, start + hole)
    )


def test_the_quiet_zone_is_four_modules_on_each_side() -> None:
    code = make_qr(PAYLOADS[0])
    assert code.total_modules == code.size + 2 * QUIET_ZONE
    fit = fit_qr(code, 31.0)
    assert fit.symbol_mm == pytest.approx(31.0 * code.size / code.total_modules)


def test_a_roomy_slot_keeps_its_size() -> None:
    fit = fit_qr(make_qr(PAYLOADS[0]), 31.0, max_mm=40.0)
    assert fit.side_mm == 31.0 and fit.enlarged_from_mm is None
    assert fit.module_mm >= MIN_MODULE_MM


def test_a_dense_code_is_enlarged_to_keep_half_millimetre_modules() -> None:
    long_url = "https://harbourphysio.example/book/" + "a" * 180 + "?ref=SARAH-K7QD"
    code = make_qr(long_url)
    fit = fit_qr(code, 31.0, max_mm=45.0)
    assert fit.enlarged_from_mm == 31.0
    assert fit.module_mm >= MIN_MODULE_MM
    assert fit.side_mm <= 45.0


def test_a_code_too_dense_for_the_room_is_refused_with_a_reason() -> None:
    code = make_qr("https://harbourphysio.example/book/" + "a" * 300)
    with pytest.raises(QrTooDenseError) as refused:
        fit_qr(code, 31.0, max_mm=40.0, where="an 85 × 55 mm card")
    message = str(refused.value)
    assert "0.5 mm" in message and "85 × 55 mm card" in message
    assert "shorter booking address" in message


def test_non_ascii_payloads_are_refused_rather_than_mis_encoded() -> None:
    with pytest.raises(InvalidInputError, match="ASCII"):
        make_qr("https://café.example/")


def _reference(payload: str, with_logo: bool) -> tuple[int, tuple[str, ...]]:
    """What the ``qrcode`` library itself draws for a payload (before any logo hole)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_H if with_logo else ERROR_CORRECT_M, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    return qr.version, tuple("".join("1" if d else "0" for d in row) for row in qr.get_matrix())


def _payloads() -> list[str]:
    """Personal links like the cards print, plus numeric, alphanumeric and mixed text long
    enough to reach versions with version-information blocks (7+) and several RS blocks."""
    rng = random.Random(19)
    upper = string.ascii_uppercase + string.digits
    found = [f"https://harbourphysio.example/book?ref={name}-{rng.choice(upper)}7QD"
             for name in ("SARAH", "MAXIMILI", "ZOE", "WANG", "MUHAMMAD")]  # fmt: skip
    for length in (1, 9, 30, 61, 120, 180, 260, 400):
        found.append("".join(rng.choice(string.digits) for _ in range(length)))
        found.append("".join(rng.choice(upper + " $%*+-./:") for _ in range(length)))
        found.append("sms:+447700900123?body=" + "".join(rng.choice(upper) for _ in range(length)))
        found.append("".join(rng.choice(string.printable[:94]) for _ in range(length)))
    return found


@pytest.mark.parametrize("with_logo", [False, True])
def test_matrices_are_module_for_module_what_the_qrcode_library_draws(with_logo: bool) -> None:
    """Frontdesk encodes with its own fast path; a printed code must not change because of
    it: same version, same mask, same modules as ``qrcode`` (apart from the logo hole)."""
    for payload in _payloads():
        code = make_qr(payload, with_logo=with_logo)
        version, rows = _reference(payload, with_logo)
        assert code.version == version, payload
        start, end = code.hole_start, code.hole_start + code.logo_hole
        for r, (got, want) in enumerate(zip(code.rows, rows, strict=True)):
            if start <= r < end:
                got, want = got[:start] + got[end:], want[:start] + want[end:]
            assert got == want, (payload, r)
