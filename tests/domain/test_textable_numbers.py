"""Landlines, premium-rate and freephone numbers are kept on file but never texted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontdesk.domain import guardrails
from frontdesk.domain.phones import parse_phone, why_not_textable

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("0121 234 5678", "a landline"),
        ("0901 234 5678", "a premium-rate number"),
        ("0800 123 4567", "a freephone number"),
    ],
)
def test_a_number_that_cannot_take_texts_is_kept_and_says_why(typed: str, kind: str) -> None:
    stored = parse_phone(typed, "GB")  # accepted: the desk may still call it
    assert why_not_textable(stored) == f"the number on file is {kind}, which cannot receive texts"


@pytest.mark.parametrize(("typed", "region"), [("07400 123456", "GB"), ("(415) 555-0132", "US")])
def test_mobiles_and_numbers_that_may_be_mobiles_are_texted(typed: str, region: str) -> None:
    assert why_not_textable(parse_phone(typed, region)) is None


def test_the_guardrail_refuses_a_landline_with_its_reason() -> None:
    facts = guardrails.PatientFacts(
        has_phone=True,
        phone_invalid=False,
        consent=True,
        opted_out=False,
        last_marketing_at=None,
        last_ask_at=None,
        asks_total=0,
        not_mobile=why_not_textable(parse_phone("0121 234 5678", "GB")),
    )
    policy = guardrails.Policy("Europe/London")
    verdict = guardrails.check(facts, policy, NOW, marketing=True, referral_ask=True)
    assert not verdict.allowed
    assert verdict.reason == "the number on file is a landline, which cannot receive texts"
