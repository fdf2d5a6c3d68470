"""The fast QR encoder reads ``qrcode``'s internals; these fail loudly when they move.

``frontdesk/printing/qr_encode.py`` copies ``qrcode``'s choices by calling its helpers and
tables directly (not its public API). ``pyproject.toml`` caps ``qrcode`` to the major version
tested; when that cap is raised, this file says which internal moved rather than letting a
card print a symbol that differs from ``qrcode``'s.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import pytest
import qrcode
from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from frontdesk.printing.qr_encode import encode

# (module, attribute, the parameters qr_encode passes it, in order) — None for a table.
USED: tuple[tuple[object, str, tuple[str, ...] | None], ...] = (
    (util, "optimal_data_chunks", ("data", "minimum")),
    (util, "mode_sizes_for_version", ("version",)),
    (util, "mask_func", ("pattern",)),
    (util, "ALPHA_NUM", None),
    (util, "BIT_LIMIT_TABLE", None),
    (util, "NUMBER_LENGTH", None),
    (util, "MODE_NUMBER", None),
    (util, "MODE_ALPHA_NUM", None),
    (util, "PAD0", None),
    (util, "PAD1", None),
    (util, "QRData", None),
    (base, "rs_blocks", ("version", "error_correction")),
    (base, "gexp", ("n",)),
    (base, "glog", ("n",)),
    (qrcode.QRCode, "setup_position_probe_pattern", ("self", "row", "col")),
    (qrcode.QRCode, "setup_position_adjust_pattern", ("self",)),
    (qrcode.QRCode, "setup_timing_pattern", ("self",)),
    (qrcode.QRCode, "setup_type_info", ("self", "test", "mask_pattern")),
    (qrcode.QRCode, "setup_type_number", ("self", "test")),
)


def _moved(what: str) -> str:
    return (
        f"qrcode {version('qrcode')} moved {what}; frontdesk/printing/qr_encode.py reads it. "
        "Update the fast encoder (or keep the qrcode cap in pyproject.toml)."
    )


@pytest.mark.parametrize(("owner", "name", "params"), USED, ids=[u[1] for u in USED])
def test_each_qrcode_internal_the_encoder_reads_is_still_there(
    owner: object, name: str, params: tuple[str, ...] | None
) -> None:
    where = f"{getattr(owner, '__name__', owner)}.{name}"
    assert hasattr(owner, name), _moved(f"{where} (gone)")
    if params is not None:
        found = tuple(inspect.signature(getattr(owner, name)).parameters)
        assert found[: len(params)] == params, _moved(
            f"{where}: its parameters are now {found}, the encoder passes {params}"
        )


def test_qrcode_tables_keep_the_shapes_the_encoder_indexes() -> None:
    assert len(util.BIT_LIMIT_TABLE[ERROR_CORRECT_M]) == 41, _moved(
        "util.BIT_LIMIT_TABLE (no longer one capacity per version 0..40)"
    )
    assert util.ALPHA_NUM[:11] == b"0123456789A", _moved("util.ALPHA_NUM (alphabet order)")
    chunk = next(iter(util.optimal_data_chunks("HELLO123", minimum=20)))
    assert isinstance(chunk.data, bytes) and hasattr(chunk, "mode"), _moved(
        "util.QRData (.data is no longer bytes or .mode is gone)"
    )
    qr = qrcode.QRCode(version=1, border=0)
    assert hasattr(qr, "modules") and hasattr(qr, "modules_count"), _moved(
        "QRCode.modules / modules_count"
    )


SAMPLES = (
    "https://harbourphysio.example/book?ref=SARAH-K7QD",  # byte mode, version 4-5
    "SARAH-K7QD",  # alphanumeric
    "447700900123447700900123",  # numeric
    "sms:+447700900123?body=FRIEND%20RECEPTION",  # mixed segments
    "https://harbourphysio.example/book/" + "a" * 180 + "?ref=SARAH-K7QD",  # version >= 7
)


@pytest.mark.parametrize("payload", SAMPLES)
@pytest.mark.parametrize(
    "level", [ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H]
)
def test_the_fast_encoder_draws_what_the_public_qrcode_api_draws(payload: str, level: int) -> None:
    qr = qrcode.QRCode(error_correction=level, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    public = tuple("".join("1" if m else "0" for m in row) for row in qr.get_matrix())
    fast = encode(payload, level)
    assert fast.version == qr.version, _moved(
        f"its version choice for {payload!r} ({qr.version}, the fast encoder picked {fast.version})"
    )
    assert fast.rows == public, _moved(
        f"how it draws {payload!r} at level {level} (mask, penalty or layout rules): the fast "
        "encoder's symbol no longer matches qrcode's module for module"
    )
