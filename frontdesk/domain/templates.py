"""Message templates: which placeholders each kind may use, validation on save, rendering.

Placeholders are ``{name}``. A template is checked when it is saved, not when it is sent,
so the owner learns at once that ``{frist_name}`` is not a thing and nothing half-renders
later. ``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.plain_text import refuse_control_characters
from frontdesk.domain.sms_segments import SegmentInfo, analyze

MAX_BODY = 1_600  # Twilio refuses a longer Body

REFERRAL_ASK = "referral_ask"
SOFT_CHECKIN = "soft_checkin"
REWARD_EARNED = "reward_earned"
WELCOME_OFFER = "welcome_offer"
REMINDER = "reminder"
KEYWORD_REPLY = "keyword_reply"


@dataclass(frozen=True)
class KindInfo:
    kind: str
    label: str
    marketing: bool
    help: str


KINDS: dict[str, KindInfo] = {
    k.kind: k
    for k in (
        KindInfo(REFERRAL_ASK, "Referral ask", True, "Asks a happy patient to pass on their code."),
        KindInfo(
            SOFT_CHECKIN,
            "Soft check-in",
            True,
            "Asks how the patient feels (reply 1-5); 4-5 leads to a referral ask.",
        ),
        KindInfo(
            REWARD_EARNED, "Reward earned", False, "Tells a referrer that their reward is ready."
        ),
        KindInfo(
            WELCOME_OFFER, "Welcome offer", False, "Tells a referred friend about their offer."
        ),
        KindInfo(REMINDER, "Reminder", False, "A plain reminder from the clinic."),
        KindInfo(
            KEYWORD_REPLY,
            "Poster keyword reply",
            False,
            "Answers a patient who texted the poster keyword with their personal code.",
        ),
    )
}

PLACEHOLDERS: dict[str, str] = {
    "first_name": "The patient's first name",
    "clinic_name": "The clinic's name",
    "code": "The patient's personal referral code",
    "link": "The patient's personal referral link",
    "referrer_reward": "What the referrer earns, e.g. £20 credit",
    "friend_reward": "What the friend gets, e.g. £10 off the first visit",
    "balance": "The patient's credit balance",
    "friend_name": "The referred friend's first name",
}

SAMPLE_VALUES: dict[str, str] = {
    "first_name": "Sarah",
    "clinic_name": "Harbour Physio",
    "code": "SARAH-K7QD",
    "link": "https://harbourphysio.example/book?ref=SARAH-K7QD",
    "referrer_reward": "£20 credit",
    "friend_reward": "£10 off the first visit",
    "balance": "£20.00",
    "friend_name": "Tom",
}

OPT_OUT_WORDING = "Reply STOP to opt out."
_OPT_OUT_PRESENT = re.compile(r"\bSTOP\b")


def placeholders_in(body: str) -> list[str]:
    """The placeholder names a body uses, in order; malformed braces raise a clear error."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError:
        raise InvalidInputError(
            "A brace is not closed. Placeholders look like {first_name}; write {{ or }} for "
            "a literal brace."
        ) from None
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field or spec or conversion or not re.fullmatch(r"[a-z_]+", field):
            raise InvalidInputError(
                f"{{{field}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}} is not a placeholder. Use names like "
                "{first_name} or {code}."
            )
        names.append(field)
    return names


def validate_body(kind: str, body: str) -> str:
    """The body as it will be stored, or an error naming exactly what is wrong."""
    if kind not in KINDS:
        raise InvalidInputError(f"There is no message kind {kind!r}. Kinds: {', '.join(KINDS)}.")
    cleaned = body.strip()
    if not cleaned:
        raise InvalidInputError("A message cannot be empty.")
    refuse_control_characters(cleaned, "This message", lines=True)
    if len(cleaned) > MAX_BODY:
        raise InvalidInputError(
            f"This message is {len(cleaned):,} characters; texts can be at most {MAX_BODY:,}."
        )
    unknown = [name for name in placeholders_in(cleaned) if name not in PLACEHOLDERS]
    if unknown:
        known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        shown = ", ".join(f"{{{u}}}" for u in dict.fromkeys(unknown))
        raise InvalidInputError(f"Unknown placeholder {shown}. You can use: {known}.")
    return cleaned


def render(body: str, values: Mapping[str, str]) -> str:
    """Fill the placeholders; a value the caller did not supply becomes empty, never '{x}'."""
    return string.Formatter().vformat(body, (), _Blank(values)).strip()


class _Blank(dict[str, str]):
    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__(values)

    def __missing__(self, key: str) -> str:
        return ""


def with_opt_out(body: str) -> str:
    """The body with the opt-out wording added (once) for a patient's first marketing text."""
    if _OPT_OUT_PRESENT.search(body):
        return body
    return f"{body.rstrip()} {OPT_OUT_WORDING}"


@dataclass(frozen=True)
class Preview:
    text: str
    segments: SegmentInfo
    cost_micros: int
    error: str | None = None


def preview(
    kind: str,
    body: str,
    *,
    price_per_segment_micros: int,
    values: Mapping[str, str] | None = None,
    first_marketing: bool = True,
) -> Preview:
    """What the editor shows while typing: the text a patient would get, its parts and cost."""
    sample = {**SAMPLE_VALUES, **(values or {})}
    try:
        cleaned = validate_body(kind, body)
    except InvalidInputError as error:
        info = analyze(body)
        return Preview(body, info, info.segments * price_per_segment_micros, error.message)
    text = render(cleaned, sample)
    if KINDS[kind].marketing and first_marketing:
        text = with_opt_out(text)
    info = analyze(text)
    return Preview(text, info, info.segments * price_per_segment_micros)
