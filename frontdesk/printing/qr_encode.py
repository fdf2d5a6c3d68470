"""A fast QR encoder that produces exactly the symbol the ``qrcode`` library would.

``qrcode`` is pure Python and spends ~5 ms a code trying all eight masks module by module;
a batch of 500 cards spent most of its time there. This module keeps ``qrcode``'s choices
(how the text is split into numeric/alphanumeric/byte segments, the smallest version, its
mask-penalty rules, function patterns and tables) and does the heavy parts with rows held
as Python ints: the per-version data-module order, every mask and the penalty scores are
bit operations and regular expressions. tests/printing/test_qr.py checks the result module
for module against ``qrcode`` for payloads of every size we print.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass

import qrcode
from qrcode import base, util
from qrcode.exceptions import DataOverflowError

_ALPHA_INDEX = {char: index for index, char in enumerate(util.ALPHA_NUM)}
_lock = threading.Lock()
_versions: dict[int, _Version] = {}
_generators: dict[int, list[list[int]]] = {}
_functions: dict[tuple[int, int, int], int] = {}


@dataclass(frozen=True)
class Encoded:
    version: int
    rows: tuple[str, ...]  # "1" is dark; column 0 first


@dataclass(frozen=True)
class _Version:
    """What every code of one version shares, packed into one int per matrix: n rows, then
    n columns, each a line of ``stride`` bits (bit c of a row is column c; the spare top bit
    keeps lines apart). Penalties then cost a handful of big-int operations per mask."""

    size: int
    stride: int
    data_bits: tuple[int, ...]  # per data module, in placement order: its row and column bit
    masks: tuple[int, ...]  # per mask: the data modules it darkens
    test: int  # function patterns with blank format info, as qrcode scores them
    lines: int  # every module of every line
    pairs: int  # bit c: modules c and c+1 of a line
    starts: int  # bit c: an 11-module window from c fits in its line
    rows: int  # every module of the rows
    row_pairs: int  # pairs within rows 0..n-2 (2×2 blocks start there)


def encode(payload: str, error_correction: int) -> Encoded:
    """The symbol ``qrcode.QRCode(error_correction=…, border=0)`` makes for ``payload``."""
    chunks = list(util.optimal_data_chunks(payload, minimum=20))  # QRCode.add_data's default
    version = _best_version(chunks, error_correction)
    codewords = _codewords(chunks, version, error_correction)
    layout = _version(version)
    bits = layout.data_bits
    data = 0
    for index, byte in enumerate(codewords):
        if byte:
            first = index * 8
            for bit in range(8):
                if byte & (0x80 >> bit):
                    data |= bits[first + bit]
    best, best_score = 0, 0
    for mask in range(8):
        score = _penalty(layout.test | (data ^ layout.masks[mask]), layout)
        if mask == 0 or score < best_score:
            best, best_score = mask, score
    n, stride = layout.size, layout.stride
    grid = _function_rows(version, error_correction, best) | (
        (data ^ layout.masks[best]) & layout.rows
    )
    full = (1 << n) - 1
    rows = (format((grid >> (r * stride)) & full, f"0{n}b")[::-1] for r in range(n))
    return Encoded(version, tuple(rows))


def _best_version(chunks: list[util.QRData], error_correction: int, start: int = 1) -> int:
    """``QRCode.best_fit``: the smallest version whose capacity holds the bits."""
    sizes = util.mode_sizes_for_version(start)
    needed = sum(4 + sizes[chunk.mode] + _data_bits(chunk) for chunk in chunks)
    version = bisect_left(util.BIT_LIMIT_TABLE[error_correction], needed, start)
    if version == 41:
        raise DataOverflowError()
    if sizes is not util.mode_sizes_for_version(version):
        return _best_version(chunks, error_correction, version)
    return version


def _data_bits(chunk: util.QRData) -> int:
    count = len(chunk.data)
    if chunk.mode == util.MODE_NUMBER:
        return count // 3 * 10 + (util.NUMBER_LENGTH[count % 3] if count % 3 else 0)
    if chunk.mode == util.MODE_ALPHA_NUM:
        return count // 2 * 11 + 6 * (count % 2)
    return count * 8


def _codewords(chunks: list[util.QRData], version: int, error_correction: int) -> list[int]:
    """``util.create_data``: segments, terminator, padding, then Reed-Solomon blocks."""
    value, length = 0, 0

    def put(number: int, bits: int) -> None:
        nonlocal value, length
        value = (value << bits) | number
        length += bits

    sizes = util.mode_sizes_for_version(version)
    for chunk in chunks:
        put(chunk.mode, 4)
        put(len(chunk.data), sizes[chunk.mode])
        data = chunk.data
        if chunk.mode == util.MODE_NUMBER:
            for i in range(0, len(data), 3):
                part = data[i : i + 3]
                put(int(part), util.NUMBER_LENGTH[len(part)])
        elif chunk.mode == util.MODE_ALPHA_NUM:
            for i in range(0, len(data) - 1, 2):
                put(_ALPHA_INDEX[data[i]] * 45 + _ALPHA_INDEX[data[i + 1]], 11)
            if len(data) % 2:
                put(_ALPHA_INDEX[data[-1]], 6)
        else:
            for byte in data:
                put(byte, 8)
    blocks = base.rs_blocks(version, error_correction)
    limit = sum(block.data_count for block in blocks) * 8
    if length > limit:
        raise DataOverflowError(f"Code length overflow ({length} > {limit})")
    put(0, min(limit - length, 4))
    put(0, -length % 8)
    stream = list(value.to_bytes(length // 8, "big"))
    pads = (limit - length) // 8
    stream += [util.PAD0 if i % 2 == 0 else util.PAD1 for i in range(pads)]
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data_part = stream[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(data_part)
        ec_blocks.append(_reed_solomon(data_part, block.total_count - block.data_count))
    out = [b[i] for i in range(max(map(len, data_blocks))) for b in data_blocks if i < len(b)]
    out += [b[i] for i in range(max(map(len, ec_blocks))) for b in ec_blocks if i < len(b)]
    return out


def _reed_solomon(data: list[int], count: int) -> list[int]:
    """The remainder of data·x^count divided by the generator: the same polynomial
    ``qrcode`` computes, by the usual shift-register division."""
    times = _generator_multiples(count)
    remainder = [0] * count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder.append(0)
        remainder = [r ^ m for r, m in zip(remainder[1:], times[factor], strict=True)]
    return remainder


def _generator_multiples(count: int) -> list[list[int]]:
    """The generator polynomial's coefficients after the leading 1, times each byte value."""
    with _lock:
        if count not in _generators:
            poly = [1]  # coefficients, highest power first
            for i in range(count):  # × (x + α^i)
                shifted = [*poly, 0]
                for j, coefficient in enumerate(poly):
                    if coefficient:
                        shifted[j + 1] ^= base.gexp(base.glog(coefficient) + i)
                poly = shifted
            logs = [base.glog(c) for c in poly[1:]]
            _generators[count] = [[0] * count] + [
                [base.gexp(log + base.glog(factor)) for log in logs] for factor in range(1, 256)
            ]
        return _generators[count]


def _penalty(grid: int, layout: _Version) -> int:
    """``util.lost_point`` for a packed matrix (rows and columns as lines)."""
    light = grid ^ layout.lines
    # Rule 1: a run of L >= 5 alike costs L - 2; bit c of ``five`` is set where modules
    # c..c+4 are alike, so a run sets L - 4 bits, and ``first`` once per run.
    alike = ~(grid ^ (grid >> 1)) & layout.pairs
    five = alike & (alike >> 1) & (alike >> 2) & (alike >> 3)
    score = five.bit_count() + 2 * (five & ~(five << 1)).bit_count()
    # Rule 3: 1011101 with four light modules before or after it, 40 each.
    core = (
        grid & (light >> 1) & (grid >> 2) & (grid >> 3) & (grid >> 4) & (light >> 5) & (grid >> 6)
    )
    after = (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10)
    before = light & (light >> 1) & (light >> 2) & (light >> 3)
    score += 40 * (((core & after) | ((core >> 4) & before)) & layout.starts).bit_count()
    # Rule 2: each 2×2 block alike costs 3.
    top = grid & layout.rows
    below = top >> layout.stride
    block = ~(top ^ below) & ~(top ^ (top >> 1)) & ~(below ^ (below >> 1)) & layout.row_pairs
    score += 3 * block.bit_count()
    # Rule 4: the balance of dark and light.
    dark = top.bit_count()
    n = layout.size
    return score + int(abs(float(dark) / (n**2) * 100 - 50) / 5) * 10


def _blank(version: int) -> qrcode.QRCode:
    """``qrcode``'s own function patterns (finders, alignment, timing) for a version."""
    qr = qrcode.QRCode(version=version, border=0)
    n = qr.modules_count = version * 4 + 17
    qr.modules = [[None] * n for _ in range(n)]
    qr.setup_position_probe_pattern(0, 0)
    qr.setup_position_probe_pattern(n - 7, 0)
    qr.setup_position_probe_pattern(0, n - 7)
    qr.setup_position_adjust_pattern()
    qr.setup_timing_pattern()
    return qr


def _pack(modules: list[list[bool | None]], stride: int) -> int:
    """Rows then columns of a matrix as one int (see ``_Version``)."""
    n = len(modules)
    packed = 0
    for r in range(n):
        for c in range(n):
            if modules[r][c]:
                packed |= (1 << (r * stride + c)) | (1 << ((n + c) * stride + r))
    return packed


def _repeat(line: int, stride: int, count: int) -> int:
    return sum(line << (k * stride) for k in range(count))


def _function_rows(version: int, error_correction: int, mask: int) -> int:
    """The dark function modules of a finished symbol, format and version info included."""
    key = (version, error_correction, mask)
    with _lock:
        if key in _functions:
            return _functions[key]
    qr = _blank(version)
    qr.error_correction = error_correction
    qr.setup_type_info(False, mask)
    if version >= 7:
        qr.setup_type_number(False)
    n = qr.modules_count
    stride = n + 1
    rows = _pack(qr.modules, stride) & _repeat((1 << n) - 1, stride, n)
    with _lock:
        return _functions.setdefault(key, rows)


def _version(version: int) -> _Version:
    with _lock:
        if version in _versions:
            return _versions[version]
    qr = _blank(version)
    qr.setup_type_info(True, 0)  # scoring sees blank format info, as in qrcode
    if version >= 7:
        qr.setup_type_number(True)
    n, modules = qr.modules_count, qr.modules
    stride = n + 1
    order: list[tuple[int, int]] = []
    inc, row = -1, n - 1
    for col in range(n - 1, 0, -2):  # the zigzag of QRCode.map_data
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if modules[row][c] is None:
                    order.append((row, c))
            row += inc
            if row < 0 or n <= row:
                row -= inc
                inc = -inc
                break
    data_bits = tuple((1 << (r * stride + c)) | (1 << ((n + c) * stride + r)) for r, c in order)
    masks = []
    for mask in range(8):
        flips = util.mask_func(mask)
        masks.append(sum(bit for (r, c), bit in zip(order, data_bits, strict=True) if flips(r, c)))
    full = (1 << n) - 1
    layout = _Version(
        size=n,
        stride=stride,
        data_bits=data_bits,
        masks=tuple(masks),
        test=_pack(modules, stride),
        lines=_repeat(full, stride, 2 * n),
        pairs=_repeat(full >> 1, stride, 2 * n),
        starts=_repeat(full >> 10, stride, 2 * n),
        rows=_repeat(full, stride, n),
        row_pairs=_repeat(full >> 1, stride, n - 1),
    )
    with _lock:
        return _versions.setdefault(version, layout)
