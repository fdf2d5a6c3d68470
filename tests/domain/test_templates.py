"""Templates: unknown placeholders and over-long bodies refused on save; preview and opt-out."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.templates import OPT_OUT_WORDING, preview, render, validate_body, with_opt_out


def test_unknown_placeholder_is_refused_and_named() -> None:
    with pytest.raises(InvalidInputError, match=r"Unknown placeholder \{frist_name\}"):
        validate_body("referral_ask", "Hi {frist_name}, your code is {code}")


def test_a_body_over_1600_characters_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="1,601 characters"):
        validate_body("reminder", "a" * 1601)
    assert validate_body("reminder", "a" * 1600) == "a" * 1600


@pytest.mark.parametrize("body", ["Hi {first_name", "Hi {first_name!r}", "Hi {code:>10}", "{}"])
def test_malformed_braces_are_refused(body: str) -> None:
    with pytest.raises(InvalidInputError):
        validate_body("reminder", body)


def test_literal_braces_and_missing_values() -> None:
    assert render("{{not a placeholder}} {first_name}", {}) == "{not a placeholder}"


def test_opt_out_wording_is_added_once() -> None:
    once = with_opt_out("Hi Sarah.")
    assert once == f"Hi Sarah. {OPT_OUT_WORDING}"
    assert with_opt_out(once) == once


def test_preview_renders_sample_values_with_segments_and_cost() -> None:
    result = preview(
        "referral_ask", "Hi {first_name}, code {code} 🎉", price_per_segment_micros=40_000
    )
    assert result.error is None
    assert result.text.startswith("Hi Sarah, code SARAH-K7QD 🎉")
    assert result.text.endswith(OPT_OUT_WORDING)  # a marketing kind
    assert result.segments.encoding == "UCS-2"
    assert result.cost_micros == result.segments.segments * 40_000


def test_preview_of_a_bad_body_reports_the_error_instead_of_raising() -> None:
    result = preview("reminder", "Hi {nope}", price_per_segment_micros=40_000)
    assert result.error is not None and "{nope}" in result.error
