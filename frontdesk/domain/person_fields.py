"""Checking what a receptionist typed for a person: names, emails, free-text reasons.

Each refusal says exactly what is wrong ("a name has no digits: “Sarah2”"), because the
person reading it is standing at a desk with a patient in front of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from frontdesk.domain.errors import InvalidInputError

NAME_MAX = 100
EMAIL_MAX = 254
EMAIL_LOCAL_MAX = 64
REASON_MAX = 500
# Inside a name, besides letters and combining marks: spaces and the joiners real names use.
_NAME_PUNCTUATION = set(" '’-.\u200c\u200d")  # ZWNJ/ZWJ: Persian, Indic names
_ALLOWED_INVISIBLE = set("\t\n\u200c\u200d")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL_ALLOWED = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+$")


@dataclass(frozen=True)
class PersonName:
    first: str
    last: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}".strip()


def _shown(text: str, limit: int = 30) -> str:
    """What was typed, quoted safely for a message (shortened, no control characters)."""
    clean = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return f"“{clean[:limit]}{'…' if len(clean) > limit else ''}”"


def _script(ch: str) -> str | None:
    """The alphabet a letter belongs to, from its Unicode name ("LATIN", "CYRILLIC", …)."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    word = name.split(" ")[0]
    # CJK ideographs, kana and hangul commonly mix inside one East Asian name.
    return "CJK" if word in {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"} else word


def _reject_invisible(text: str, what: str) -> None:
    for ch in text:
        category = unicodedata.category(ch)
        if category in {"Cc", "Cf", "Co", "Cs"} and ch not in _ALLOWED_INVISIBLE:
            raise InvalidInputError(
                f"The {what} contains an invisible control character (U+{ord(ch):04X}); "
                "please retype it."
            )


def clean_name_part(raw: str, what: str, *, required: bool) -> str:
    """One name field, trimmed, or an InvalidInputError saying what is wrong with it."""
    _reject_invisible(raw, what)
    text = unicodedata.normalize("NFC", " ".join(raw.split()))
    if not text:
        if required:
            raise InvalidInputError(f"Please enter the patient's {what}.")
        return ""
    if len(text) > NAME_MAX:
        raise InvalidInputError(
            f"That {what} is {len(text)} characters long; {NAME_MAX} is the most we keep."
        )
    if not any(ch.isalpha() for ch in text):
        raise InvalidInputError(f"A {what} needs letters; {_shown(text)} has none.")
    for ch in text:
        if ch.isalpha() or unicodedata.category(ch).startswith("M") or ch in _NAME_PUNCTUATION:
            continue
        if ch.isdigit():
            raise InvalidInputError(f"A {what} has no digits: {_shown(text)}.")
        if unicodedata.category(ch).startswith("S"):
            raise InvalidInputError(
                f"A {what} can't contain emoji or symbols like “{ch}”: {_shown(text)}."
            )
        raise InvalidInputError(
            f"A {what} can have letters, spaces, hyphens and apostrophes, not “{ch}”: "
            f"{_shown(text)}."
        )
    for word in re.split(r"[ \-]", text):
        scripts = {_script(ch) for ch in word if ch.isalpha()} - {None}
        if len(scripts) > 1:
            names = " and ".join(sorted(s.title() for s in scripts if s))
            raise InvalidInputError(
                f"{_shown(word)} mixes alphabets ({names}) in one word; was it typed with "
                "another keyboard layout?"
            )
    return text


def split_full_name(raw: str) -> PersonName:
    """ "Sarah Jane Connolly" → first "Sarah Jane", last "Connolly" (one word: first only)."""
    text = clean_name_part(raw, "name", required=True)
    words = text.split(" ")
    if len(words) == 1:
        return PersonName(first=text, last="")
    return PersonName(first=" ".join(words[:-1]), last=words[-1])


def clean_person_name(first: str, last: str) -> PersonName:
    return PersonName(
        first=clean_name_part(first, "first name", required=True),
        last=clean_name_part(last, "last name", required=False),
    )


def clean_email(raw: str | None) -> str | None:
    """The email as it will be stored and matched (trimmed, lower case), None when blank."""
    if raw is None:
        return None
    _reject_invisible(raw, "email")
    text = raw.strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX:
        raise InvalidInputError(
            f"That email is {len(text)} characters long; an email has at most {EMAIL_MAX}."
        )
    if any(ch.isspace() for ch in text):
        raise InvalidInputError(f"An email has no spaces: {_shown(text, 60)}.")
    if text.count("@") == 0:
        raise InvalidInputError(f"{_shown(text, 60)} has no @, so it isn't an email address.")
    if text.count("@") > 1:
        raise InvalidInputError(f"{_shown(text, 60)} has more than one @.")
    if text.endswith("@"):
        raise InvalidInputError(
            f"{_shown(text, 60)} is missing the end of its domain (like example.com)."
        )
    if text.startswith("@"):
        raise InvalidInputError(f"{_shown(text, 60)} has nothing before the @.")
    local, domain = text.rsplit("@", 1)
    local = local.lower()
    try:
        domain = domain.lower().rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInputError(
            f"{_shown(domain)} is not a domain an email can be sent to."
        ) from None
    if not local or len(local) > EMAIL_LOCAL_MAX:
        raise InvalidInputError(f"The part before the @ in {_shown(text, 60)} is not valid.")
    # ASCII as RFC 5322 allows, plus letters and digits of any script (RFC 6531).
    ascii_part = "".join(ch for ch in local if ch.isascii())
    foreign_ok = all(ch.isalnum() for ch in local if not ch.isascii())
    bad_ascii = bool(ascii_part) and not _LOCAL_ALLOWED.match(ascii_part)
    if bad_ascii or not foreign_ok or local.startswith(".") or ".." in local:
        raise InvalidInputError(
            f"The part before the @ in {_shown(text, 60)} has characters an email can't have."
        )
    labels = domain.split(".")
    if len(labels) < 2:
        raise InvalidInputError(
            f"{_shown(text, 60)} is missing the end of its domain (like .com or .co.uk)."
        )
    if not all(_DOMAIN_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidInputError(f"{_shown(domain)} is not a domain an email can be sent to.")
    return f"{local}@{domain}"


def clean_reason(raw: str | None, what: str = "reason") -> str | None:
    """A written reason (for an override or a late attach); None when blank."""
    if raw is None:
        return None
    _reject_invisible(raw, what)
    text = " ".join(raw.split())
    if not text:
        return None
    if len(text) > REASON_MAX:
        raise InvalidInputError(f"Please keep the {what} under {REASON_MAX} characters.")
    if not any(ch.isalpha() for ch in text):
        raise InvalidInputError(f"Please write the {what} in words.")
    return text
