"""Segment counts a clinic pays for: GSM-7, extension characters, UCS-2 and emoji."""

from __future__ import annotations

import pytest

from frontdesk.domain.money import format_micros
from frontdesk.domain.sms_segments import GSM7, UCS2, analyze, cost_micros


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", GSM7, 0, 1),
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("€" * 80, GSM7, 160, 1),  # extension chars: two septets each
        ("€" * 81, GSM7, 162, 2),
        ("[" + "a" * 158, GSM7, 160, 1),
        ("é" * 160, GSM7, 160, 1),  # é is in the basic GSM table
        ("ê" + "a" * 69, UCS2, 70, 1),  # ê is not: the whole text turns UCS-2
        ("ê" + "a" * 70, UCS2, 71, 2),
        ("ê" * 134, UCS2, 134, 2),
        ("ê" * 135, UCS2, 135, 3),
        ("😀" * 35, UCS2, 70, 1),  # an emoji is a surrogate pair: two UTF-16 units
        ("😀" * 36, UCS2, 72, 2),
    ],
)
def test_segment_counts(text: str, encoding: str, units: int, segments: int) -> None:
    info = analyze(text)
    assert (info.encoding, info.units, info.segments) == (encoding, units, segments)


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 plain septets then '€' (2 septets) would straddle the 153 boundary: it moves on.
    info = analyze("a" * 152 + "€" + "a" * 152)
    assert info.units == 306
    assert info.segments == 3  # 152 | 2+151 | 1 — naive 306/153 would say 2


def test_a_surrogate_pair_is_never_split_across_parts() -> None:
    info = analyze("a" * 66 + "😀" + "a" * 66)
    assert info.units == 134
    assert info.segments == 3  # naive 134/67 would say 2


def test_one_emoji_makes_the_whole_message_ucs2_and_is_named() -> None:
    info = analyze("Hi Sarah, thanks for visiting! 😊")
    assert info.encoding == UCS2
    assert info.non_gsm == ("😊",)
    assert "UCS-2 because of 😊" in info.describe()


def test_remaining_in_segment_for_the_editor_counter() -> None:
    assert analyze("a" * 150).remaining_in_segment == 10
    assert analyze("a" * 200).remaining_in_segment == 106  # 2 parts of 153


def test_cost_estimate() -> None:
    info = analyze("a" * 307)
    assert cost_micros(info, 40_000) == 120_000
    assert format_micros(120_000, "GBP") == "£0.12"
    assert format_micros(7_900, "USD") == "$0.008"
    # The same dollar sign as the card and the ledger (it was "C$" here, "CA$" in Reports).
    assert format_micros(40_000, "CAD") == "$0.04"
