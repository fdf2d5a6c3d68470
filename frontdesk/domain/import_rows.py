"""One line of a patient list → a patient's details, or the specific reasons it cannot be one.

Problems keep a row out of the import ("Phone: That number is too short for GB: 0770 090.");
warnings let it in with the doubtful value left out ("Date of birth '31/31/85' is not a
date; imported without it."). Every message names the value, so a person can find and fix
it in their spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_fields import address_rank, header_key
from frontdesk.domain.import_phones import Hint, choose_phone, hint_of, split_values
from frontdesk.domain.names import normalize_email
from frontdesk.domain.person_fields import clean_name_part
from frontdesk.domain.phone_batch import BulkPhoneParser

MAX_NAME = 100
MAX_EMAIL = 254
MAX_ADDRESS = 300
MAX_POSTCODE = 20
MAX_PAYER = 40
MAX_SOURCE = 200
OLDEST_BIRTH_YEAR = 1900
NAME_CACHE = 20_000

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "master"}
_SPACES = re.compile(r"\s+")
# Letters of any script are allowed (internationalised addresses: "siobhán@…", "josé@…").
_EMAIL_LOCAL = re.compile(r"^[\w!#$%&'*+/=?^`{|}~.-]+$")
_EMAIL_DOMAIN = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,63}$")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
_NUMERIC_DATE = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_YES = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "on", "opted in", "optedin", "subscribed"}
_YES |= {"accepted", "agreed", "consented", "ok", "sms"}
_NO = {"no", "n", "false", "f", "0", "off", "opted out", "optedout", "unsubscribed", "declined"}
_NO |= {"refused", "none", "-", "n/a", "na", "not subscribed", "never subscribed"}
# A consent column saying the person withdrew: recorded as an opt-out, not just "no".
_WITHDRAWN = {"unsubscribed", "opted out", "optedout", "opted-out", "optout", "withdrawn"}


@dataclass(slots=True)
class ParsedRow:
    line: int
    first_name: str
    last_name: str
    phone_e164: str | None
    email: str | None
    email_norm: str | None
    birth_year: int | None
    address: str | None
    postcode: str | None
    payer_type: str | None
    source: str | None
    sms_consent: bool
    opted_out: bool
    warnings: tuple[str, ...] = ()
    other_phones: tuple[str, ...] = ()  # the row's other valid numbers (a landline, say)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class RowProblem:
    line: int
    name: str  # as much of the name as could be read, to help find the row
    reasons: tuple[str, ...]


class RowParser:
    """Reads rows for one mapping: column indexes are worked out once, not per row."""

    def __init__(
        self,
        fields: Sequence[str | None],
        region: str,
        this_year: int,
        width: int,
        headers: Sequence[str] | None = None,
    ) -> None:
        self.width = width
        self.region = region
        self.this_year = this_year
        self.phones = BulkPhoneParser(region)
        self._cols: dict[str, list[int]] = {}
        for index, field in enumerate(fields):
            if field:
                self._cols.setdefault(field, []).append(index)
        one = {field: indexes[0] for field, indexes in self._cols.items()}
        self._full = one.get("full_name")
        self._first = one.get("first_name")
        self._last = one.get("last_name")
        self._mobile = one.get("phone")
        self._email_at = one.get("email")
        self._birth = one.get("birth")
        self._consent = one.get("sms_consent")
        self._opt_out = one.get("sms_opt_out")
        self._postcode = one.get("postcode")
        self._payer = one.get("payer_type")
        self._source = one.get("source")
        names = list(headers) if headers is not None else [""] * len(fields)
        # Street first, town last, whatever order the export's columns come in.
        self._addresses = tuple(
            sorted(self._cols.get("address", ()), key=lambda i: address_rank(names[i]))
        )
        self._others = tuple(self._cols.get("other_phone", ()))
        # Every phone column with what its header says it holds, and its label column
        # (Google's "Phone 1 - Label" beside "Phone 1 - Value"), if it has one.
        labels = {_stem(names[i]): i for i in self._cols.get("phone_label", ())}
        self._phone_cols: tuple[tuple[int, Hint, int | None, bool], ...] = tuple(
            (
                i,
                Hint.MOBILE if field == "phone" else hint_of(names[i]),
                labels.get(_stem(names[i])),
                field == "phone",
            )
            for i, field in enumerate(fields)
            if field in ("phone", "other_phone")
        )
        self._name_ok: dict[str, str | None] = {}

    def parse(self, cells: Sequence[str], line: int) -> ParsedRow | RowProblem | None:
        """None for a blank row (skipped quietly: spreadsheets end with a few)."""
        values = [_clean(cell) for cell in cells]
        if not any(values):
            return None
        problems: list[str] = []
        warnings: list[str] = []
        width = self.width
        if len(values) != width:
            if len(values) > width and any(values[width:]):
                problems.append(
                    f"Has {len(values)} values but the file has {width} columns "
                    "(a comma or semicolon inside a value that is not in quotes?)."
                )
            values.extend([""] * (width - len(values)))

        def get(index: int | None) -> str:
            return "" if index is None else values[index]

        first, last = self._names(get(self._full), get(self._first), get(self._last), problems)
        phone, other_phones = self._phone(values, problems, warnings)
        email_values = split_values(get(self._email_at))
        email = email_values[0] if email_values else None
        if email is not None:
            reason = email_problem(email)
            if reason:
                problems.append(f"Email '{email[:60]}' {reason}.")
        birth = get(self._birth)
        birth_year = self._birth_year(birth, warnings) if birth else None
        consent_text = get(self._consent)
        consent = _yes_no(consent_text, "SMS consent", warnings)
        opted_out = _yes_no(get(self._opt_out), "SMS opt-out", warnings)
        if consent_text.strip().lower() in _WITHDRAWN:
            opted_out = True  # "Unsubscribed" stays unsubscribed
        address = ", ".join(values[i] for i in self._addresses if values[i]) or None
        if address and len(address) > MAX_ADDRESS:
            warnings.append(f"Address is longer than {MAX_ADDRESS} characters; it was shortened.")
            address = address[:MAX_ADDRESS].rstrip(" ,")
        postcode = get(self._postcode).upper() or None
        if postcode and len(postcode) > MAX_POSTCODE:
            warnings.append(f"Postcode '{postcode[:30]}' is too long; imported without it.")
            postcode = None
        if problems:
            return RowProblem(line=line, name=f"{first} {last}".strip(), reasons=tuple(problems))
        return ParsedRow(
            line=line,
            first_name=first,
            last_name=last,
            phone_e164=phone,
            email=email,
            email_norm=normalize_email(email),
            birth_year=birth_year,
            address=address,
            postcode=postcode,
            payer_type=get(self._payer)[:MAX_PAYER] or None,
            source=get(self._source)[:MAX_SOURCE] or None,
            sms_consent=bool(consent) and not opted_out,
            opted_out=bool(opted_out),
            warnings=tuple(warnings),
            other_phones=other_phones,
        )

    # -- names -------------------------------------------------------------------------------
    def _names(self, full: str, first: str, last: str, problems: list[str]) -> tuple[str, str]:
        if self._full is not None:
            first, last = split_full_name(full)
        elif " " in first:
            first = _drop_title(first)
        if not first and not last:
            problems.append("No name: the name is empty.")
        elif not first:
            problems.append(f"No first name (last name '{last[:40]}').")
        for label, value in (("First name", first), ("Last name", last)):
            if not value or (value[0].isalpha() and len(value) <= MAX_NAME and "@" not in value):
                continue
            if len(value) > MAX_NAME:
                problems.append(f"{label} is longer than {MAX_NAME} characters.")
            elif "@" in value:
                problems.append(f"{label} '{value[:40]}' looks like an email address.")
            elif not any(ch.isalpha() for ch in value):
                problems.append(f"{label} '{value[:40]}' has no letters in it.")
        if not problems:
            for label, value in (("first name", first), ("last name", last)):
                refused = self._desk_refuses(value, label)
                if refused:
                    problems.append(refused)
        return tidy_case(first), tidy_case(last)

    def _desk_refuses(self, value: str, label: str) -> str | None:
        """What the desk would say about this name (``=HYPERLINK(…)``, digits, symbols)."""
        key = f"{label}\x00{value}"
        if key not in self._name_ok:
            if len(self._name_ok) >= NAME_CACHE:
                self._name_ok.clear()  # common names repeat; a long list must not pile up
            try:
                clean_name_part(value, label, required=False)
                self._name_ok[key] = None
            except InvalidInputError as error:
                self._name_ok[key] = error.message
        return self._name_ok[key]

    # -- contact details ---------------------------------------------------------------------
    def _phone(
        self, values: list[str], problems: list[str], warnings: list[str]
    ) -> tuple[str | None, tuple[str, ...]]:
        """(the mobile, the other numbers): every phone column and every value in a cell."""
        candidates: list[tuple[str, Hint, bool]] = []
        for index, hint, label_at, strict in self._phone_cols:
            cell = values[index]
            if not cell:
                continue
            if label_at is not None and values[label_at]:
                hint = hint_of(values[label_at])
            candidates.extend((value, hint, strict) for value in split_values(cell))
        if not candidates:
            return None, ()
        choice = choose_phone(self.phones, candidates)
        strict_errors = [reason for _value, reason, strict in choice.invalid if strict]
        if choice.mobile is None and strict_errors:
            problems.append(f"Phone: {strict_errors[0]}")
        elif choice.invalid:
            value = choice.invalid[0][0]
            kept = "imported without it" if choice.mobile else "imported without a phone"
            warnings.append(f"Phone '{value[:30]}' is not a usable number; {kept}.")
        return choice.mobile, choice.others

    def _birth_year(self, text: str, warnings: list[str]) -> int | None:
        year = birth_year_of(text, self.this_year)
        if year is None:
            warnings.append(f"Date of birth '{text[:30]}' is not a date; imported without it.")
        elif not OLDEST_BIRTH_YEAR <= year <= self.this_year:
            warnings.append(f"Date of birth '{text[:30]}' is out of range; imported without it.")
            return None
        return year


def _stem(header: str) -> str:
    """'Phone 1 - Label' and 'Phone 1 - Value' share the stem 'phone1'."""
    key = header_key(header)
    for suffix in ("label", "type", "value"):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def _clean(cell: str) -> str:
    """Trimmed, with runs of spaces, tabs and line breaks made one space."""
    value = cell.strip()
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:
        return _SPACES.sub(" ", value)
    return value


def email_problem(email: str) -> str | None:
    """Why an email address cannot be right, in words; None when it looks deliverable."""
    if " " in email:
        return "has a space in it"
    if email.count("@") == 0:
        return "has no @"
    if email.count("@") > 1:
        return "has more than one @ (two addresses in one cell?)"
    if len(email) > MAX_EMAIL:
        return f"is longer than {MAX_EMAIL} characters"
    local, domain = email.split("@")
    if not local:
        return "has nothing before the @"
    if not domain:
        return "has nothing after the @"
    if "." not in domain:
        return f"has no dot in '{domain[:40]}' after the @"
    if not _EMAIL_LOCAL.match(local) or ".." in local or local.startswith("."):
        return "has characters an address cannot have before the @"
    if not _EMAIL_DOMAIN.match(domain):
        return f"has an impossible domain '{domain[:40]}'"
    return None


def split_full_name(text: str) -> tuple[str, str]:
    """'Connolly, Sarah' and 'Dr Sarah Jane Connolly' → ('Sarah'/'Sarah Jane', 'Connolly')."""
    if "," in text:
        last, _, first = text.partition(",")
        return _drop_title(first.strip()), last.strip()
    words = _drop_title(text).split(" ")
    if len(words) == 1:
        return words[0], ""
    return " ".join(words[:-1]), words[-1]


def _drop_title(text: str) -> str:
    words = text.split(" ")
    if len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        return " ".join(words[1:])
    return text


def tidy_case(text: str) -> str:
    """SHOUTED or all-lower names become 'Sarah O'Brien-McKay'; mixed case is left alone."""
    if not text or (not text.isupper() and not text.islower()):
        return text
    out = []
    for part in re.split(r"([ '\-])", text.lower()):
        if part.startswith("mc") and len(part) > 2:
            out.append("Mc" + part[2:].capitalize())
        else:
            out.append(part.capitalize())
    return "".join(out)


def _yes_no(text: str, label: str, warnings: list[str]) -> bool | None:
    if not text:
        return None
    folded = text.strip().lower()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    warnings.append(f"{label} '{text[:30]}' is not yes or no; treated as no.")
    return False


def birth_year_of(text: str, this_year: int) -> int | None:
    """The year of a date written any common way (day/month order does not matter here,
    but the date must exist): 1985-03-12, 12/03/1985, 3/12/85, 12.03.1985, 3 Mar 1985,
    March 3, 1985, 1985."""
    if len(text) == 10 and text[2] == text[5] and text[2] in "/.-":  # the usual dd/mm/yyyy
        day, month, year = text[:2], text[3:5], text[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            return _checked(int(year), int(month), int(day)) or _checked(
                int(year), int(day), int(month)
            )
    cleaned = text.strip().split("T")[0].split(" 00:00")[0].strip()
    if len(cleaned) == 4 and cleaned.isdigit():
        return int(cleaned)
    numeric = _NUMERIC_DATE.fullmatch(cleaned)
    if numeric:
        a, b, c = (int(x) for x in numeric.groups())
        if len(numeric.group(1)) == 4:
            return _checked(a, b, c)
        if len(numeric.group(3)) not in (2, 4):
            return None
        year = c if len(numeric.group(3)) == 4 else _century(c, this_year)
        return _checked(year, b, a) or _checked(year, a, b)
    words = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]([A-Za-z]+)\.?,?[ \-](\d{2,4})", cleaned)
    if words:
        day, month, year = int(words.group(1)), _MONTHS.get(words.group(2).lower()), words.group(3)
        return _checked(_year(year, this_year), month, day) if month else None
    words = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{2,4})", cleaned)
    if words:
        month, day, year = _MONTHS.get(words.group(1).lower()), int(words.group(2)), words.group(3)
        return _checked(_year(year, this_year), month, day) if month else None
    return None


def _year(text: str, this_year: int) -> int:
    return int(text) if len(text) == 4 else _century(int(text), this_year)


def _century(two_digits: int, this_year: int) -> int:
    """'85' → 1985 and '07' → 2007: a birth year is never in the future."""
    year = this_year - this_year % 100 + two_digits
    return year - 100 if year > this_year else year


def _checked(year: int, month: int | None, day: int) -> int | None:
    try:
        date(year, month or 0, day)
    except ValueError:
        return None
    return year
