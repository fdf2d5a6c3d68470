"""What a patient list's columns can mean, and how to guess it from their headers.

A mapping says, for every column of the file, which patient field it fills (or none).
``auto_map`` guesses it from the header names — every common spelling ("Mobile", "Cell
Phone", "E-mail Address", "DOB", "Surname", …) — and a preset adds the exact column names
of a known practice system's export, so those files map with no questions asked.

The presets are *shaped like* those systems' patient exports as they are commonly seen; the
vendors do not publish a fixed column list, so the mapping step always shows what matched
and lets the person correct it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_presets import PRESETS, Preset


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    help: str
    repeatable: bool = False  # several columns may feed it (address lines, spare phones)


FIELDS: tuple[ImportField, ...] = (
    ImportField("first_name", "First name", "Given name, as the patient likes to be called."),
    ImportField("last_name", "Last name", "Family name (surname)."),
    ImportField(
        "full_name",
        "Full name",
        "The whole name in one column: 'Sarah Connolly' or 'Connolly, Sarah'.",
    ),
    ImportField("phone", "Mobile phone", "The number texts go to."),
    ImportField(
        "other_phone",
        "Other phone",
        "Used only when the mobile is empty (home, work or a single 'Phone' column).",
        repeatable=True,
    ),
    ImportField(
        "phone_label",
        "Phone label",
        "Says what the phone column beside it holds ('Mobile', 'Home'), as Google writes.",
        repeatable=True,
    ),
    ImportField("email", "Email", "One email address."),
    ImportField("birth", "Date of birth", "Any date format, or just the year."),
    ImportField("address", "Address", "Street lines and town; several columns are joined.", True),
    ImportField("postcode", "Postcode / ZIP", "Postal code."),
    ImportField("sms_consent", "SMS consent", "Yes/no: agreed to receive texts."),
    ImportField("sms_opt_out", "SMS opt-out", "Yes/no: asked not to be texted (wins)."),
    ImportField("payer_type", "Payer type", "Insurer or payer category, e.g. Medicare, private."),
    ImportField("source", "Referral source", "How the patient found the clinic (kept as a note)."),
)
FIELD_KEYS = frozenset(field.key for field in FIELDS)
FIELD_BY_KEY = {field.key: field for field in FIELDS}


def header_key(text: str) -> str:
    """Headers compared without case, accents, spaces or punctuation ('E-mail' → 'email')."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


# Every common spelling of each field, already in ``header_key`` form.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": (
        "firstname",
        "first",
        "forename",
        "forenames",
        "givenname",
        "given",
        "fname",
        "christianname",
        "preferredfirstname",
        "patientfirstname",
        "clientfirstname",
    ),
    "last_name": (
        "lastname",
        "last",
        "surname",
        "familyname",
        "lname",
        "patientlastname",
        "clientlastname",
        "patientsurname",
    ),
    "full_name": (
        "name",
        "fullname",
        "patient",
        "patientname",
        "client",
        "clientname",
        "contactname",
        "displayname",
    ),
    "phone": (
        "mobile",
        "mobilephone",
        "mobilenumber",
        "mobileno",
        "cell",
        "cellphone",
        "cellnumber",
        "smsnumber",
        "mobiletel",
        "patientmobile",
        "clientmobile",
        "primaryphone",
    ),
    "other_phone": (
        "phone",
        "phonenumber",
        "telephone",
        "tel",
        "homephone",
        "home",
        "workphone",
        "work",
        "landline",
        "daytimephone",
        "otherphone",
        "phone2",
        "phone1",
        "dayphone",
        "nightphone",
        "businessphone",
    ),
    "email": (
        "email",
        "emailaddress",
        "email1value",
        "mail",
        "emailid",
        "primaryemail",
        "patientemail",
    ),
    "birth": (
        "dob",
        "dateofbirth",
        "birthdate",
        "birthday",
        "born",
        "birthyear",
        "yearofbirth",
        "datebirth",
    ),
    "address": (
        "address",
        "address1",
        "address2",
        "address3",
        "addressline1",
        "addressline2",
        "street",
        "streetaddress",
        "addr1",
        "addr2",
        "streetaddress1",
        "streetaddress2",
        "city",
        "town",
        "suburb",
        "state",
        "county",
        "province",
    ),
    "postcode": ("postcode", "postalcode", "zip", "zipcode", "postcodezip", "pcode"),
    "sms_consent": (
        "smsconsent",
        "consent",
        "textconsent",
        "acceptedsmsmarketing",
        "smsmarketing",
        "sendsms",
        "receivesms",
        "smsoptin",
        "textoptin",
        "marketingconsent",
        "sendpromotionaltexts",
        "smssubscriptionstatus",
        "textmarketing",
        "smsmarketing",
    ),
    "sms_opt_out": ("smsoptout", "optout", "optedout", "unsubscribed", "donottext", "nosms"),
    "payer_type": ("payer", "payertype", "insurer", "insurance", "fundingtype", "paymenttype"),
    "source": ("referralsource", "source", "howdidyouhear", "referredby", "leadsource"),
}


_BY_SYNONYM = {syn: key for key, synonyms in SYNONYMS.items() for syn in synonyms}


def preset_for(key: str | None) -> Preset | None:
    if key is None or not key.strip():
        return None
    try:
        return PRESETS[key.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise InvalidInputError(f"There is no preset called {key!r}. Known: {known}.") from None


def detect_preset(headers: Sequence[str]) -> Preset | None:
    """The export a header comes from, by the columns only that export has."""
    keys = {header_key(header) for header in headers}
    for preset in PRESETS.values():
        if preset.signature and all(key in keys for key in preset.signature):
            return preset
    return None


def auto_map(headers: Sequence[str], preset: Preset | None = None) -> tuple[str | None, ...]:
    """The field each column fills (None: ignored). A field that takes one column gets the
    first column that names it; later ones are left for the person to decide."""
    taken: set[str] = set()
    result: list[str | None] = []
    for header in headers:
        key = header_key(header)
        field: str | None = preset.field_for(key) if preset is not None else None
        if field is None:
            field = _BY_SYNONYM.get(key)
        field = field or None
        if field is not None and field in taken and not FIELD_BY_KEY[field].repeatable:
            field = None
        if field is not None:
            taken.add(field)
        result.append(field)
    if "first_name" in taken and "full_name" in taken:
        # Separate name columns are the more precise reading; the whole name is redundant.
        result = [None if field == "full_name" else field for field in result]
    return tuple(result)


def header_score(cells: Sequence[str]) -> int:
    """How many cells are known column names (of any preset or common spelling): a header
    has several, a title line or a data row almost never more than one."""
    score = 0
    for cell in cells:
        key = header_key(cell)
        if not key:
            continue
        if key in _BY_SYNONYM or any(p.field_for(key) is not None for p in PRESETS.values()):
            score += 1
    return score


def looks_like_header(cells: Sequence[str]) -> bool:
    return header_score(cells) > 0


# Address parts are joined street first, town last, whatever order the columns come in.
_ADDRESS_ORDER = (
    ("2", 1),
    ("extended", 1),
    ("3", 2),
    ("city", 3),
    ("town", 3),
    ("suburb", 3),
    ("state", 4),
    ("region", 4),
    ("county", 4),
    ("province", 4),
)


def address_rank(header: str) -> int:
    key = header_key(header)
    return next((rank for word, rank in _ADDRESS_ORDER if word in key), 0)


def validate_mapping(headers: Sequence[str], fields: Sequence[str | None]) -> None:
    """Refuse a mapping that cannot produce a patient, with the words to fix it."""
    if len(fields) != len(headers):
        raise InvalidInputError(
            f"The mapping has {len(fields)} entries but the file has {len(headers)} columns."
        )
    seen: dict[str, str] = {}
    for header, field in zip(headers, fields, strict=True):
        if field is None:
            continue
        if field not in FIELD_KEYS:
            raise InvalidInputError(f"Column {header!r} is mapped to an unknown field {field!r}.")
        if field in seen and not FIELD_BY_KEY[field].repeatable:
            label = FIELD_BY_KEY[field].label
            raise InvalidInputError(
                f"Two columns are both set to {label}: {seen[field]!r} and {header!r}. Choose one."
            )
        seen[field] = header
    if "first_name" not in seen and "full_name" not in seen:
        raise InvalidInputError(
            "No column is set to First name or Full name, so patients would have no name. "
            f"Columns in the file: {', '.join(repr(h) for h in headers)}."
        )
    if "first_name" in seen and "full_name" in seen:
        raise InvalidInputError(
            "Choose either First name (with Last name) or Full name, not both: "
            f"{seen['first_name']!r} and {seen['full_name']!r}."
        )
