"""The look and words of each clinic type's printed material.

Colours are hex strings and icons are qtawesome names: plain data the UI turns into paint.
Accent colours keep white text at a contrast of at least 4.5:1, and ``ink`` on ``tint`` too.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_money, typical


@dataclass(frozen=True)
class Palette:
    accent: str  # header panels and highlights; white text sits on it
    accent_deep: str  # a darker shade for gradients and small accent text
    tint: str  # a pale wash for offer boxes and QR frames
    ink: str  # body text
    muted: str  # captions


@dataclass(frozen=True)
class PrintTemplate:
    key: str
    label: str
    headline: str
    card_caption: str  # above the patient's first name on a card
    offer_lead: str  # before the friend's offer: "Your friend gets"
    icon: str  # a qtawesome icon drawn as the template's motif
    headline_serif: bool
    palette: Palette


TEMPLATES: dict[str, PrintTemplate] = {
    t.key: t
    for t in (
        PrintTemplate(
            key="physio",
            label="Physio",
            headline="Moving better? Pass it on.",
            card_caption="Recommended to you by",
            offer_lead="Bring a friend — they get",
            icon="mdi6.run-fast",
            headline_serif=False,
            palette=Palette(
                accent="#0E7C86",
                accent_deep="#0A5A62",
                tint="#E3F4F5",
                ink="#101828",
                muted="#475467",
            ),
        ),
        PrintTemplate(
            key="medspa",
            label="Med spa",
            headline="Share the glow.",
            card_caption="A gift to you from",
            offer_lead="Treat a friend — they enjoy",
            icon="mdi6.creation",
            headline_serif=True,
            palette=Palette(
                accent="#8C4A5E",
                accent_deep="#5E2F3E",
                tint="#F7ECEF",
                ink="#1F1418",
                muted="#5C4A50",
            ),
        ),
        PrintTemplate(
            key="massage",
            label="Massage",
            headline="Share a little calm.",
            card_caption="Passed on to you by",
            offer_lead="Send a friend — they get",
            icon="mdi6.spa-outline",
            headline_serif=True,
            palette=Palette(
                accent="#4D6B4F",
                accent_deep="#334A35",
                tint="#EDF2EA",
                ink="#15201A",
                muted="#4B5A4E",
            ),
        ),
    )
}

FIRST_VISIT_WORD = {"physio": "appointment", "medspa": "treatment", "massage": "massage"}
FRIEND_AMOUNT = {"physio": 10, "medspa": 25, "massage": 10}

AFTERCARE: dict[str, str] = {
    "physio": (
        "Keep up your exercises little and often. Some soreness for a day or two is normal; "
        "10 minutes of ice helps if anything flares up. Call us if pain gets worse."
    ),
    "medspa": (
        "Don't touch or massage the treated area for 6 hours. Skip hard exercise, saunas "
        "and alcohol for 24 hours and wear SPF 30+ daily. Call us with any concern."
    ),
    "massage": (
        "Drink plenty of water today and take it easy this evening. A warm bath helps if "
        "you feel a little stiff tomorrow. Book your next visit before you feel you need it."
    ),
}


def default_template_key(clinic_type: str) -> str:
    """The poster design a clinic type starts with (an "other" clinic gets the physio one)."""
    return clinic_type if clinic_type in TEMPLATES else "physio"


def template_for(key: str) -> PrintTemplate:
    try:
        return TEMPLATES[key]
    except KeyError:
        known = ", ".join(TEMPLATES)
        raise InvalidInputError(f"There is no poster template {key!r}; choose {known}.") from None


def default_friend_offer(clinic_type: str, currency: str, whose: str = "their") -> str:
    """The friend's offer until the owner words their own (setting print.friend_offer):
    "their" on posters, read by the patient who refers; "your" on cards, read by the friend."""
    money = format_money(
        typical(FRIEND_AMOUNT.get(clinic_type, 10), currency), currency, whole=True
    )
    return f"{money} off {whose} first {FIRST_VISIT_WORD.get(clinic_type, 'visit')}"


def default_aftercare(clinic_type: str) -> str:
    return AFTERCARE.get(clinic_type, AFTERCARE["physio"])
