"""Each fraud rule fires on its pattern and stays quiet on the honest look-alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from frontdesk.domain.fraud_rules import (
    EarlierRecord,
    Person,
    ReferralFacts,
    Sighting,
    existed_before,
    household,
    run_rules,
    shared_contact,
    velocity,
)

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
SARAH = Person(
    1,
    "Sarah",
    "Connolly",
    phone="+447700900123",
    email="sarah@gmail.com",
    address="12 Harbour Rd",
    postcode="HB1 2AQ",
    created_at=NOW - timedelta(days=300),
)
TOM = Person(
    2,
    "Tom",
    "Baker",
    phone="+447700900456",
    email="tom@outlook.com",
    created_at=NOW,
    address="4 Mill Lane",
)
FACTS = ReferralFacts(
    referral_id=9, created_at=NOW, referrer=SARAH, referee=TOM, referrer_referral_times=(NOW,)
)


def test_an_honest_referral_raises_nothing() -> None:
    assert run_rules(FACTS) == []


def test_shared_contact_fires_when_the_phone_came_in_under_another_code() -> None:
    facts = replace(FACTS, sightings=(Sighting(4, "Mary Jones", "phone", TOM.phone or ""),))
    finding = shared_contact(facts)
    assert finding is not None and finding.rule == "shared_contact"
    assert "Mary Jones's code" in finding.explanation and "Sarah Connolly" in finding.explanation
    assert "•456" in finding.explanation  # the phone is masked in words
    assert finding.evidence["highlight"] == ["phone"]
    assert shared_contact(FACTS) is None


def test_velocity_fires_above_the_limit_only() -> None:
    five = tuple(NOW - timedelta(hours=h) for h in range(5))
    assert velocity(replace(FACTS, referrer_referral_times=five, velocity_limit=5)) is None
    six = (*five, NOW - timedelta(hours=23))
    finding = velocity(replace(FACTS, referrer_referral_times=six, velocity_limit=5))
    assert finding is not None and "6 referrals in 24 hours" in finding.explanation
    # Older than 24 hours does not count.
    spread = (*five, NOW - timedelta(hours=25))
    assert velocity(replace(FACTS, referrer_referral_times=spread, velocity_limit=5)) is None


def test_household_same_surname_and_address() -> None:
    sister = replace(TOM, last_name="Connolly", address="12 harbour road", postcode="hb1 2aq")
    finding = household(replace(FACTS, referee=sister))
    assert finding is not None and "share a surname and an address" in finding.explanation
    # Same surname, different address: not a household.
    assert household(replace(FACTS, referee=replace(sister, address="1 Other St"))) is None
    # Same address, different surname (flatmates): not flagged on address alone.
    assert household(replace(FACTS, referee=replace(TOM, address="12 Harbour Road"))) is None
    # Same address text but a different postcode: a different street in another town.
    assert household(replace(FACTS, referee=replace(sister, postcode="ZZ9 9ZZ"))) is None


def test_household_private_email_domain_but_not_a_public_provider() -> None:
    private = replace(
        FACTS,
        referrer=replace(SARAH, email="sarah@connolly-family.ie"),
        referee=replace(TOM, email="tom@connolly-family.ie"),
    )
    finding = household(private)
    assert finding is not None and "connolly-family.ie" in finding.explanation
    public = replace(FACTS, referee=replace(TOM, email="tom@gmail.com"))
    assert household(public) is None


def test_existed_before_by_earlier_record() -> None:
    earlier = EarlierRecord(7, "Thomas Baker", NOW - timedelta(days=400), "phone")
    finding = existed_before(replace(FACTS, earlier_records=(earlier,)))
    assert finding is not None
    assert "looks like Thomas Baker" in finding.explanation and "same phone" in finding.explanation


def test_existed_before_by_age_of_record_but_not_within_the_late_attach_window() -> None:
    old = replace(
        TOM, created_at=NOW - timedelta(days=200), first_visit_at=NOW - timedelta(days=199)
    )
    finding = existed_before(replace(FACTS, referee=old))
    assert finding is not None and "was already a patient" in finding.explanation
    # A friend who forgot the code and is attached 20 days after the first visit is fine.
    late = replace(
        TOM, created_at=NOW - timedelta(days=20), first_visit_at=NOW - timedelta(days=20)
    )
    assert existed_before(replace(FACTS, referee=late, late_attach_days=30)) is None


def test_a_friend_only_named_is_checked_for_contact_and_velocity_only() -> None:
    named = replace(FACTS, referee=None, sightings=(Sighting(3, "Mary Jones", "phone", "+4477"),))
    assert [f.rule for f in run_rules(named)] == ["shared_contact"]


def test_rules_already_recorded_are_skipped() -> None:
    facts = replace(FACTS, sightings=(Sighting(4, "Mary Jones", "phone", TOM.phone or ""),))
    assert run_rules(facts, skip=frozenset({"shared_contact"})) == []
