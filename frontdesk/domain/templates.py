"""Message templates: which placeholders each kind may use, validation on save, rendering.

Placeholders are ``{name}``. A template is checked when it is saved, not when it is sent,
so the owner learns at once that ``{frist_name}`` is not a thing — or that ``{friend_name}``
has no value for a poster reply — and nothing half-renders later. ``{{`` and ``}}`` stand for
literal braces. Rendering is strict: a value the event does not have is reported, never
left as a gap (the outbox holds such a text with the problem in words).
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
POSTER_WELCOME = "poster_welcome"
BALANCE_REPLY = "balance_reply"


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
        KindInfo(
            POSTER_WELCOME,
            "Poster reply to a new number",
            False,
            "Answers someone not yet on file who texted the poster keyword: how to book and "
            "the welcome offer.",
        ),
        KindInfo(
            BALANCE_REPLY,
            "Balance reply",
            False,
            "Answers a patient who texted CREDIT or BALANCE with their credit and code.",
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
    "credit_expiry": "When the patient's credit expires, as a sentence",
    "friend_name": "The referred friend's first name",
    "booking_link": "The clinic's booking page",
}

# What a patient's own facts give every text sent to them.
_PATIENT_VALUES = frozenset(
    {"first_name", "clinic_name", "code", "link", "referrer_reward", "friend_reward", "balance"}
    | {"credit_expiry", "booking_link"}
)
# Which placeholders have a value for each kind's event; anything else is refused on save.
KIND_VALUES: dict[str, frozenset[str]] = {
    REFERRAL_ASK: _PATIENT_VALUES,
    SOFT_CHECKIN: _PATIENT_VALUES,
    REWARD_EARNED: _PATIENT_VALUES | {"friend_name"},
    WELCOME_OFFER: _PATIENT_VALUES,
    REMINDER: _PATIENT_VALUES,
    KEYWORD_REPLY: _PATIENT_VALUES,
    POSTER_WELCOME: frozenset({"clinic_name", "friend_reward", "booking_link"}),
    BALANCE_REPLY: _PATIENT_VALUES,
}

# Why a value can be missing when a text is queued, for the outbox's problem line.
MISSING_REASONS: dict[str, str] = {
    "link": "the clinic has no booking page (Settings → Clinic)",
    "booking_link": "the clinic has no booking page (Settings → Clinic)",
    "code": "the patient has no active referral code",
    "first_name": "the patient has no first name on file",
    "friend_name": "the friend's name is not known",
    "referrer_reward": "the reward program gives the referrer nothing",
    "friend_reward": "the reward program gives the friend nothing",
}

# Only for a preview with no real patient yet; the preview then says it is a sample.
SAMPLE_VALUES: dict[str, str] = {
    "first_name": "Sarah",
    "clinic_name": "Harbour Physio",
    "code": "SARAH-K7QD",
    "link": "https://harbourphysio.example/book?ref=SARAH-K7QD",
    "referrer_reward": "£20.00 credit",
    "friend_reward": "£10.00 credit",
    "balance": "£20.00",
    "credit_expiry": "It expires on 3 Mar 2027.",
    "friend_name": "Alex",
    "booking_link": "https://harbourphysio.example/book",
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
    used = list(dict.fromkeys(placeholders_in(cleaned)))
    allowed = KIND_VALUES[kind]
    usable = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS if p in allowed)
    unknown = [name for name in used if name not in PLACEHOLDERS]
    if unknown:
        shown = ", ".join(f"{{{u}}}" for u in unknown)
        raise InvalidInputError(f"Unknown placeholder {shown}. You can use: {usable}.")
    unavailable = [name for name in used if name not in allowed]
    if unavailable:
        shown = ", ".join(f"{{{u}}}" for u in unavailable)
        label = KINDS[kind].label.lower()
        raise InvalidInputError(f"{shown} is not known for a {label}. This text can use: {usable}.")
    return cleaned


class MissingValuesError(InvalidInputError):
    """A template needs values this event does not have (the text is held, not sent)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(missing_problem(missing))


def missing_problem(missing: list[str]) -> str:
    names = ", ".join(f"{{{m}}}" for m in missing)
    reasons = "; ".join(dict.fromkeys(MISSING_REASONS.get(m, "it has no value") for m in missing))
    return f"It needs {names}, but {reasons}. Fix that or change the template, then press Retry."


def missing_in(body: str, values: Mapping[str, str]) -> list[str]:
    """The placeholders of ``body`` with no (or a blank) value, in order, once each."""
    return [
        name
        for name in dict.fromkeys(placeholders_in(body))
        if not str(values.get(name, "")).strip()
    ]


def render(body: str, values: Mapping[str, str]) -> str:
    """Fill every placeholder; a missing value raises ``MissingValuesError``, never a gap."""
    missing = missing_in(body, values)
    if missing:
        raise MissingValuesError(missing)
    return (
        string.Formatter().vformat(body, (), {k: str(v).strip() for k, v in values.items()}).strip()
    )


def render_partial(body: str, values: Mapping[str, str]) -> str:
    """Fill what is known and keep the rest as ``{name}``: a held text stays a template, so
    Retry can fill it once the clinic has the missing fact."""
    out: list[str] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(body):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is None:
            continue
        value = str(values.get(field, "")).strip()
        out.append(value.replace("{", "{{").replace("}", "}}") if value else f"{{{field}}}")
    return "".join(out)


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
    """What the editor shows while typing: the text a patient would get, its parts and cost.

    ``values`` are the real facts of an example event (the same ones the outbox renders
    from); without them the sample values stand in. A placeholder the example has no value
    for is shown as the problem the outbox would report, never filled in silently."""
    facts = dict(SAMPLE_VALUES if values is None else values)
    try:
        cleaned = validate_body(kind, body)
        text = render(cleaned, facts)
    except InvalidInputError as error:
        info = analyze(body)
        return Preview(body, info, info.segments * price_per_segment_micros, error.message)
    if KINDS[kind].marketing and first_marketing:
        text = with_opt_out(text)
    info = analyze(text)
    return Preview(text, info, info.segments * price_per_segment_micros)
