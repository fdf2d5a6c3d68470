"""Guardrails and ask rules as pure, explainable decisions with exact clinic-local times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.ask_rules import (
    DAYS_AFTER,
    HAPPY,
    NTH_VISIT,
    PLAN_COMPLETE,
    AskRule,
    VisitFacts,
    rating_outcome,
    triggered_at_checkin,
)
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.guardrails import PatientFacts, Policy, check, quiet_hours_end

LONDON = Policy("Europe/London")
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 12:00 in London (GMT)


def facts(**changes: object) -> PatientFacts:
    base = {
        "has_phone": True,
        "phone_invalid": False,
        "consent": True,
        "opted_out": False,
        "last_marketing_at": None,
        "last_ask_at": None,
        "asks_total": 0,
    }
    return PatientFacts(**{**base, **changes})  # type: ignore[arg-type]


def ask(f: PatientFacts, now: datetime = NOON, policy: Policy = LONDON):  # type: ignore[no-untyped-def]
    return check(f, policy, now, marketing=True, referral_ask=True)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"has_phone": False}, "no mobile number on file"),
        ({"phone_invalid": True}, "the mobile number on file is not valid"),
        ({"opted_out": True}, "opted out of texts"),
        ({"consent": False}, "no SMS consent"),
        ({"asks_total": 3}, "already asked 3 times (lifetime cap 3)"),
        ({"last_ask_at": NOON - timedelta(days=12)}, "asked 12 days ago (minimum gap 60 days)"),
        ({"last_marketing_at": NOON - timedelta(hours=2)}, "already had a marketing text that day"),
    ],
)
def test_each_guardrail_refuses_with_a_reason(changes: dict[str, object], reason: str) -> None:
    verdict = ask(facts(**changes))
    assert not verdict.allowed
    assert verdict.reason.startswith(reason)


def test_the_gap_is_respected_to_the_day() -> None:
    assert ask(facts(last_ask_at=NOON - timedelta(days=60))).allowed
    assert not ask(facts(last_ask_at=NOON - timedelta(days=59, hours=23))).allowed


def test_a_marketing_text_yesterday_does_not_block_today() -> None:
    assert ask(facts(last_marketing_at=NOON - timedelta(days=1))).allowed


def test_non_marketing_texts_need_no_consent_but_respect_opt_out() -> None:
    no_consent = facts(consent=False)
    assert check(no_consent, LONDON, NOON, marketing=False, referral_ask=False).allowed
    opted = facts(opted_out=True)
    assert not check(opted, LONDON, NOON, marketing=False, referral_ask=False).allowed


def test_quiet_hours_delay_to_nine_in_the_clinic_time_zone() -> None:
    late = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # 21:30 London
    verdict = ask(facts(), now=late)
    assert verdict.allowed and verdict.delayed
    assert verdict.send_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert "09:00" in verdict.reason


def test_quiet_hours_follow_the_clinic_zone_not_utc() -> None:
    sydney = Policy("Australia/Sydney")  # UTC+11 in November
    at = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 23:00 in Sydney
    assert quiet_hours_end(at, sydney) == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)
    early = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 07:00 London, still quiet
    assert quiet_hours_end(early, LONDON) == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_quiet_hours_across_a_daylight_saving_change() -> None:
    # The night the clocks go forward in London: 23:00 GMT → 09:00 BST is 08:00 UTC.
    night = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert quiet_hours_end(night, LONDON) == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)


def test_a_daytime_window_that_does_not_cross_midnight() -> None:
    lunch = Policy(
        "Europe/London",
        quiet_start=datetime(1, 1, 1, 12).time(),
        quiet_end=datetime(1, 1, 1, 14).time(),
    )
    assert quiet_hours_end(NOON, lunch) == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert quiet_hours_end(NOON - timedelta(hours=1), lunch) == NOON - timedelta(hours=1)


def test_ask_rules_fire_on_the_visit_that_matches() -> None:
    rules = (
        AskRule("*", NTH_VISIT, 4),
        AskRule("*", PLAN_COMPLETE),
        AskRule("*", HAPPY),
        AskRule("Injectables", DAYS_AFTER, 14, "soft_checkin"),
    )
    third = VisitFacts("Follow-up", happy=False, plan_complete=False, attended_count=3)
    fourth = VisitFacts("Follow-up", happy=False, plan_complete=False, attended_count=4)
    happy = VisitFacts("Follow-up", happy=True, plan_complete=True, attended_count=2)
    assert triggered_at_checkin(rules, third) == []
    assert triggered_at_checkin(rules, fourth) == [rules[0]]
    assert triggered_at_checkin(rules, happy) == [rules[1], rules[2]]
    assert "after the 4th attended visit" in rules[0].describe()
    assert rules[3].describe() == "soft check-in 14 days after an Injectables visit"


def test_a_rule_needs_a_sensible_number() -> None:
    with pytest.raises(InvalidInputError):
        AskRule("*", NTH_VISIT, 0)
    with pytest.raises(InvalidInputError):
        AskRule("*", "whenever")


def test_ratings_of_four_and_five_ask_lower_go_to_the_desk() -> None:
    assert [rating_outcome(r) for r in range(1, 6)] == ["desk"] * 3 + ["referral_ask"] * 2
