"""Presets: the column names of exports clinics actually have, so those files map with no
questions asked, and the header that tells which export a file is.

Square, Vagaro, Google Contacts (the current and the legacy layout), Outlook and four
practice systems. The presets are *shaped like* those products' exports as they are
commonly seen; the vendors do not publish a fixed column list, so the mapping step always
shows what matched and lets the person correct it (and remembers the correction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    description: str
    columns: dict[str, str]  # header_key of an exact column name → field ("" = ignore)
    # (regex over header_key, field) for numbered columns ("Phone 3 - Value").
    patterns: tuple[tuple[str, str], ...] = ()
    # header_keys that together say "this file is that export" (all must be present).
    signature: tuple[str, ...] = ()
    compiled: tuple[tuple[re.Pattern[str], str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        compiled = tuple((re.compile(rx), target) for rx, target in self.patterns)
        object.__setattr__(self, "compiled", compiled)

    def field_for(self, key: str) -> str | None:
        """The field a column fills under this preset; "" = ignore it; None = not known."""
        if key in self.columns:
            return self.columns[key]
        for pattern, target in self.compiled:
            if pattern.fullmatch(key):
                return target
        return None


# Google Contacts writes numbered groups: "Phone 1 - Label", "Phone 1 - Value", … The
# first email and the first address are the patient's; every phone is read.
_GOOGLE_PATTERNS = (
    (r"phone\d+value", "other_phone"),
    (r"phone\d+(label|type)", "phone_label"),
    (r"email1value", "email"),
    (r"email\d+(label|type|value)", ""),
    (r"address1(street|extendedaddress|city|region)", "address"),
    (r"address1postalcode", "postcode"),
    (r"address\d+\w*", ""),
)

PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            "square",
            "Square customers",
            "A Square customer export (Reference ID, Email Address, Phone Number, Street "
            "Address 1/2, Email Subscription Status…).",
            {
                "firstname": "first_name",
                "lastname": "last_name",
                "emailaddress": "email",
                "phonenumber": "phone",
                "streetaddress1": "address",
                "streetaddress2": "address",
                "city": "address",
                "state": "address",
                "postalcode": "postcode",
                "birthday": "birth",
                "smssubscriptionstatus": "sms_consent",
                "textmessagesubscriptionstatus": "sms_consent",
                "emailsubscriptionstatus": "",
                "creationsource": "",
                "nickname": "",
                "companyname": "",
                "memo": "",
            },
            signature=("squarecustomerid",),
        ),
        Preset(
            "vagaro",
            "Vagaro customer list",
            "A Vagaro customer list (Cell Phone, Day Phone, Night Phone, Address, City, "
            "State, Zip, Birthday, Text Marketing…).",
            {
                "firstname": "first_name",
                "lastname": "last_name",
                "email": "email",
                "cellphone": "phone",
                "mobilephone": "phone",
                "dayphone": "other_phone",
                "nightphone": "other_phone",
                "homephone": "other_phone",
                "workphone": "other_phone",
                "address": "address",
                "address2": "address",
                "city": "address",
                "state": "address",
                "zip": "postcode",
                "zipcode": "postcode",
                "birthday": "birth",
                "textmarketing": "sms_consent",
                "smsmarketing": "sms_consent",
                "textpromotions": "sms_consent",
                "marketingtext": "sms_consent",
                "emailmarketing": "",
                "emailpromotions": "",
                "referredby": "source",
                "customersince": "",
            },
            signature=("cellphone", "dayphone", "nightphone"),
        ),
        Preset(
            "google",
            "Google Contacts",
            "A Google Contacts export (First Name, Last Name, Phone 1 - Label, "
            "Phone 1 - Value, E-mail 1 - Value, Address 1 - Street…).",
            {
                "firstname": "first_name",
                "middlename": "",
                "lastname": "last_name",
                "birthday": "birth",
                "name": "",
                "fileas": "",
                "nickname": "",
            },
            patterns=_GOOGLE_PATTERNS,
            signature=("phone1label", "phone1value"),
        ),
        Preset(
            "google_legacy",
            "Google Contacts (older layout)",
            "The older Google Contacts CSV (Name, Given Name, Family Name, Phone 1 - Type, "
            "Phone 1 - Value, Group Membership…).",
            {
                "name": "",
                "givenname": "first_name",
                "additionalname": "",
                "familyname": "last_name",
                "birthday": "birth",
                "groupmembership": "",
            },
            patterns=_GOOGLE_PATTERNS,
            signature=("givenname", "phone1type"),
        ),
        Preset(
            "outlook",
            "Outlook contacts",
            "An Outlook contacts export (the ~90-column form: Mobile Phone, Home Phone, "
            "Business Phone, Home Street, E-mail Address…), comma or semicolon separated.",
            {
                "title": "",
                "firstname": "first_name",
                "middlename": "",
                "lastname": "last_name",
                "mobilephone": "phone",
                "homephone": "other_phone",
                "homephone2": "other_phone",
                "primaryphone": "other_phone",
                "businessphone": "other_phone",
                "businessphone2": "other_phone",
                "otherphone": "other_phone",
                "carphone": "other_phone",
                "homestreet": "address",
                "homestreet2": "address",
                "homestreet3": "address",
                "homecity": "address",
                "homestate": "address",
                "homepostalcode": "postcode",
                "emailaddress": "email",
                "birthday": "birth",
            },
            patterns=((r"(business|other)\w*", ""), (r"email\d\w*", "")),
            signature=("homestreet", "businessstreet"),
        ),
        Preset(
            "cliniko",
            "Shaped like Cliniko",
            "A Cliniko-style patient export (First Name, Last Name, Address 1-3, Post Code, "
            "Accepted SMS Marketing…).",
            {
                "firstname": "first_name",
                "lastname": "last_name",
                "preferredfirstname": "",
                "dateofbirth": "birth",
                "email": "email",
                "mobile": "phone",
                "mobilephone": "phone",
                "homephone": "other_phone",
                "workphone": "other_phone",
                "address1": "address",
                "address2": "address",
                "address3": "address",
                "city": "address",
                "state": "address",
                "postcode": "postcode",
                "acceptedsmsmarketing": "sms_consent",
                "referralsource": "source",
            },
        ),
        Preset(
            "jane",
            "Shaped like Jane App",
            "A Jane-style patient list (First Name, Last Name, Mobile Phone, Home Phone, "
            "Birth Date, Postal Code…).",
            {
                "firstname": "first_name",
                "preferredname": "",
                "lastname": "last_name",
                "email": "email",
                "mobilephone": "phone",
                "homephone": "other_phone",
                "workphone": "other_phone",
                "birthdate": "birth",
                "dob": "birth",
                "address": "address",
                "address2": "address",
                "city": "address",
                "province": "address",
                "postalcode": "postcode",
                "smsreminders": "sms_consent",
                "referredby": "source",
            },
        ),
        Preset(
            "nookal",
            "Shaped like Nookal",
            "A Nookal-style client export (FirstName, LastName, DOB, Mobile, Addr1, Postcode…).",
            {
                "firstname": "first_name",
                "lastname": "last_name",
                "dob": "birth",
                "mobile": "phone",
                "homephone": "other_phone",
                "workphone": "other_phone",
                "email": "email",
                "addr1": "address",
                "addr2": "address",
                "addr3": "address",
                "city": "address",
                "state": "address",
                "postcode": "postcode",
                "category": "payer_type",
                "referralsource": "source",
            },
        ),
        Preset(
            "mindbody",
            "Shaped like Mindbody",
            "A Mindbody-style client list (Client Name as 'Last, First' or First/Last Name, "
            "Cell Phone, Birth Date, Send Promotional Texts…).",
            {
                "clientname": "full_name",
                "name": "full_name",
                "firstname": "first_name",
                "lastname": "last_name",
                "cellphone": "phone",
                "mobilephone": "phone",
                "homephone": "other_phone",
                "workphone": "other_phone",
                "email": "email",
                "birthdate": "birth",
                "address": "address",
                "address2": "address",
                "city": "address",
                "state": "address",
                "postalcode": "postcode",
                "zip": "postcode",
                "sendpromotionaltexts": "sms_consent",
                "referredby": "source",
            },
        ),
    )
}
