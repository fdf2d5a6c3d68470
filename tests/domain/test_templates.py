"""Templates: unknown placeholders and over-long bodies refused on save; preview and opt-out."""

from __future__ import annotations

import re

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.templates import (
    OPT_OUT_WORDING,
    MissingValuesError,
    preview,
    render,
    render_partial,
    validate_body,
    with_opt_out,
)


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


def test_literal_braces_are_kept_and_a_missing_value_is_refused_not_blanked() -> None:
    assert render("{{not a placeholder}} {first_name}", {"first_name": "Wei"}) == (
        "{not a placeholder} Wei"
    )
    with pytest.raises(MissingValuesError, match=r"\{friend_name\}.*friend's name is not known"):
        render("Thank you {first_name}! {friend_name} has visited", {"first_name": "Wei"})
    with pytest.raises(MissingValuesError):
        render("Hi {first_name}", {"first_name": "  "})  # blank is missing too


def test_a_partial_render_keeps_the_unknown_placeholder_for_a_later_retry() -> None:
    held = render_partial("{{x}} Hi {first_name}, book at {link}", {"first_name": "Wei"})
    assert held == "{{x}} Hi Wei, book at {link}"
    assert render(held, {"link": "https://c.example/b?ref=WEI-K7QD"}) == (
        "{x} Hi Wei, book at https://c.example/b?ref=WEI-K7QD"
    )


@pytest.mark.parametrize(
    ("kind", "body", "named"),
    [
        ("poster_welcome", "Hi {first_name}!", "{first_name}"),
        ("keyword_reply", "{friend_name} says hi", "{friend_name}"),
        ("poster_welcome", "Your code {code}", "{code}"),
    ],
)
def test_a_placeholder_the_event_has_no_value_for_is_refused_on_save(
    kind: str, body: str, named: str
) -> None:
    with pytest.raises(InvalidInputError, match=re.escape(f"{named} is not known for a")):
        validate_body(kind, body)
    assert validate_body("reward_earned", "Thanks {first_name}, {friend_name} came in.")


def test_opt_out_wording_is_added_once() -> None:
    once = with_opt_out("Hi Sarah.")
    assert once == f"Hi Sarah. {OPT_OUT_WORDING}"
    assert with_opt_out(once) == once


def test_preview_uses_the_given_facts_and_reports_what_they_lack() -> None:
    facts = {"first_name": "Wei", "clinic_name": "Harbour Physio"}
    ok = preview("reminder", "Hi {first_name} from {clinic_name}", price_per_segment_micros=1)
    assert ok.text == "Hi Sarah from Harbour Physio"  # no facts given: the sample
    real = preview("reminder", "Hi {first_name}", price_per_segment_micros=1, values=facts)
    assert real.text == "Hi Wei" and real.error is None
    lacking = preview(
        "reminder", "Hi {first_name}: {link}", price_per_segment_micros=1, values=facts
    )
    assert (
        lacking.error is not None and "{link}" in lacking.error and "booking page" in lacking.error
    )


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
