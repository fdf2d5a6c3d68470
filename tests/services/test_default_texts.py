"""The shipped texts of every clinic type: each validates for its kind, and a clinic with no
booking page gets wording that needs no link (so nothing is held for want of one)."""

from __future__ import annotations

import pytest

from frontdesk.domain.ask_rules import AskRule
from frontdesk.domain.clinic_profile import CLINIC_TYPES
from frontdesk.domain.sms_segments import analyze
from frontdesk.domain.templates import KIND_VALUES, KINDS, SAMPLE_VALUES, render, validate_body
from frontdesk.services.messaging.templates import clinic_defaults, default_body


@pytest.mark.parametrize("clinic_type", CLINIC_TYPES)
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("booking_page", [True, False])
def test_every_default_text_validates_and_renders_whole(
    clinic_type: str, kind: str, booking_page: bool
) -> None:
    body = default_body(clinic_type, kind, booking_page)
    assert validate_body(kind, body) == body
    facts = {k: v for k, v in SAMPLE_VALUES.items() if k in KIND_VALUES[kind]}
    if not booking_page:
        facts = {k: v for k, v in facts.items() if k not in ("link", "booking_link")}
    text = render(body, facts)  # raises if the text needed a value the clinic cannot have
    assert "{" not in text and "  " not in text
    if kind not in ("referral_ask", "soft_checkin"):  # marketing texts add opt-out wording
        assert analyze(text).encoding == "GSM-7"


@pytest.mark.parametrize("clinic_type", CLINIC_TYPES)
def test_every_default_ask_rule_names_a_visit_type_of_its_clinic(clinic_type: str) -> None:
    defaults = clinic_defaults(clinic_type)
    for raw in defaults["ask_rules"]:
        rule = AskRule.from_dict(raw)
        assert rule.visit_type == "*" or rule.visit_type in defaults["visit_types"], rule
