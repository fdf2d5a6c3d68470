"""Patient lists shaped like the exports small clinics really have, with their real mess:
title rows, placeholders, totals, the same person twice with a reformatted phone, labelled
multi-phone cells, landline first, quoted newlines, split addresses, unsubscribed people.

Each writer returns the file; ``EXPECTED`` says, per fixture, the patients an import makes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

# The header layouts, column for column, as the products write them.
SQUARE_HEADER = [
    "Reference ID",
    "First Name",
    "Last Name",
    "Email Address",
    "Phone Number",
    "Nickname",
    "Company Name",
    "Street Address 1",
    "Street Address 2",
    "City",
    "State",
    "Postal Code",
    "Birthday",
    "Memo",
    "Square Customer ID",
    "Creation Source",
    "First Visit",
    "Last Visit",
    "Transaction Count",
    "Total Spend",
    "Email Subscription Status",
    "SMS Subscription Status",
]
GOOGLE_HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "E-mail 2 - Label",
    "E-mail 2 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
]
GOOGLE_LEGACY_HEADER = [
    "Name",
    "Given Name",
    "Additional Name",
    "Family Name",
    "Yomi Name",
    "Given Name Yomi",
    "Additional Name Yomi",
    "Family Name Yomi",
    "Name Prefix",
    "Name Suffix",
    "Initials",
    "Nickname",
    "Short Name",
    "Maiden Name",
    "Birthday",
    "Gender",
    "Location",
    "Billing Information",
    "Directory Server",
    "Mileage",
    "Occupation",
    "Hobby",
    "Sensitivity",
    "Priority",
    "Subject",
    "Notes",
    "Language",
    "Photo",
    "Group Membership",
    "E-mail 1 - Type",
    "E-mail 1 - Value",
    "Phone 1 - Type",
    "Phone 1 - Value",
    "Phone 2 - Type",
    "Phone 2 - Value",
    "Address 1 - Type",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
]
VAGARO_HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Cell Phone",
    "Day Phone",
    "Night Phone",
    "Address",
    "City",
    "State",
    "Zip",
    "Birthday",
    "Gender",
    "Customer Since",
    "Last Visit",
    "Referred By",
    "Email Marketing",
    "Text Marketing",
]
OUTLOOK_HEADER = [
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business Street 2",
    "Business Street 3",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Home Street",
    "Home Street 2",
    "Home Street 3",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other Street 2",
    "Other Street 3",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Assistant's Phone",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Callback",
    "Car Phone",
    "Company Main Phone",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "ISDN",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Primary Phone",
    "Radio Phone",
    "TTY/TDD Phone",
    "Telex",
    "Account",
    "Anniversary",
    "Assistant's Name",
    "Billing Information",
    "Birthday",
    "Business Address PO Box",
    "Categories",
    "Children",
    "Directory Server",
    "E-mail Address",
    "E-mail Type",
    "E-mail Display Name",
    "E-mail 2 Address",
    "E-mail 2 Type",
    "E-mail 2 Display Name",
    "E-mail 3 Address",
    "E-mail 3 Type",
    "E-mail 3 Display Name",
    "Gender",
    "Government ID Number",
    "Hobby",
    "Home Address PO Box",
    "Initials",
    "Internet Free Busy",
    "Keywords",
    "Language",
    "Location",
    "Manager's Name",
    "Mileage",
    "Notes",
    "Office Location",
    "Organizational ID Number",
    "Other Address PO Box",
    "Priority",
    "Private",
    "Profession",
    "Referred By",
    "Sensitivity",
    "Spouse",
    "User 1",
    "User 2",
    "User 3",
    "User 4",
    "Web Page",
]


def _csv(header: list[str], rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, unknown
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def square(path: Path) -> Path:
    """A title line, the same person twice (phone reformatted, email in capitals), split
    street addresses, an unsubscribed customer, `---` placeholders and a totals line."""
    rows = [
        {
            "Reference ID": "1001",
            "First Name": "Ann",
            "Last Name": "Lee",
            "Email Address": "ann.lee@example.org",
            "Phone Number": "07400 111001",
            "Street Address 1": "12 Harbour Road",
            "Street Address 2": "Flat 3",
            "City": "Leeds",
            "Postal Code": "LS1 4AB",
            "Square Customer ID": "SQ1",
            "Email Subscription Status": "subscribed",
            "SMS Subscription Status": "subscribed",
        },
        {
            "Reference ID": "1002",
            "First Name": "Bob",
            "Last Name": "Ray",
            "Email Address": "---",
            "Phone Number": "+44 (0)7400 111002",
            "Street Address 1": "4 Mill Lane",
            "City": "Leeds",
            "Postal Code": "LS2 9XY",
            "Square Customer ID": "SQ2",
            "SMS Subscription Status": "unsubscribed",
        },
        {  # Ann again: the phone in another format, the email in capitals, a birthday
            "Reference ID": "1003",
            "First Name": "Ann",
            "Last Name": "Lee",
            "Email Address": "ANN.LEE@EXAMPLE.ORG",
            "Phone Number": "+447400111001",
            "Birthday": "1984-02-29",
            "Square Customer ID": "SQ3",
        },
        {
            "Reference ID": "1004",
            "First Name": "Cara",
            "Last Name": "Doyle",
            "Email Address": "cara@example.org",
            "Phone Number": "N/A",
            "Street Address 1": "9 Quay Street",
            "City": "Hull",
            "Postal Code": "HU1 1AA",
            "Square Customer ID": "SQ4",
        },
    ]
    text = "Customer List\r\n" + _csv(SQUARE_HEADER, rows) + "Total customers: 4\r\n"
    path.write_text(text, encoding="utf-8")
    return path


def google(path: Path) -> Path:
    """Phones in labelled pairs, the mobile not first, two numbers in one cell; emails in
    pairs too; a quoted newline in the formatted address."""
    rows = [
        {
            "First Name": "Dana",
            "Last Name": "Ng",
            "Labels": "* myContacts",
            "E-mail 1 - Label": "* Home",
            "E-mail 1 - Value": "dana@example.org",
            "Phone 1 - Label": "Home",
            "Phone 1 - Value": "0113 496 0000",
            "Phone 2 - Label": "Mobile",
            "Phone 2 - Value": "07400 222001",
            "Address 1 - Formatted": "5 Park Row\nLeeds LS1 5HD",
            "Address 1 - Street": "5 Park Row",
            "Address 1 - City": "Leeds",
            "Address 1 - Postal Code": "LS1 5HD",
        },
        {
            "First Name": "Eli",
            "Last Name": "Ford",
            "E-mail 1 - Label": "* Other",
            "E-mail 1 - Value": "eli@example.org ::: eli.ford@work.example",
            "Phone 1 - Label": "Home ::: Mobile",
            "Phone 1 - Value": "0113 496 0001 ::: 07400 222002",
        },
        {
            "First Name": "Fay",
            "Last Name": "Gill",
            "Phone 1 - Label": "Work",
            "Phone 1 - Value": "+44 113 496 0002",
        },
    ]
    path.write_text(_csv(GOOGLE_HEADER, rows), encoding="utf-8")
    return path


def google_legacy(path: Path) -> Path:
    rows = [
        {
            "Name": "Gus Hart",
            "Given Name": "Gus",
            "Family Name": "Hart",
            "Group Membership": "* My Contacts ::: Clients",
            "E-mail 1 - Type": "* Home",
            "E-mail 1 - Value": "gus@example.org",
            "Phone 1 - Type": "Work",
            "Phone 1 - Value": "0113 496 0003",
            "Phone 2 - Type": "* Mobile",
            "Phone 2 - Value": "07400 222003",
        },
    ]
    path.write_text(_csv(GOOGLE_LEGACY_HEADER, rows), encoding="utf-8")
    return path


def vagaro(path: Path) -> Path:
    rows = [
        {
            "First Name": "Hana",
            "Last Name": "Ito",
            "Email": "hana@example.org",
            "Cell Phone": "07400 333001",
            "Day Phone": "0113 496 0004",
            "Address": "7 Kirk Gate",
            "City": "York",
            "Zip": "YO1 7HH",
            "Text Marketing": "Yes",
        },
        {
            "First Name": "Ian",
            "Last Name": "Jay",
            "Email": "ian@example.org",
            "Cell Phone": "---",
            "Night Phone": "07400 333002",
            "Text Marketing": "No",
        },
    ]
    path.write_text(_csv(VAGARO_HEADER, rows), encoding="utf-8")
    return path


def outlook(path: Path) -> Path:
    """Outlook's 90-column form, `;`-separated and in cp1252 (a European Windows)."""
    rows = [
        {
            "First Name": "José",
            "Last Name": "Müller",
            "Home Street": "3 Rue de l'Église",
            "Home City": "Leeds",
            "Home Postal Code": "LS6 2AA",
            "Business Street": "1 Office Park",
            "Business Phone": "0113 496 0005",
            "Home Phone": "0113 496 0006",
            "Mobile Phone": "07400 444001",
            "E-mail Address": "jose@example.org",
            "E-mail Type": "SMTP",
            "Birthday": "0/0/00",
        },
    ]
    path.write_bytes(_csv(OUTLOOK_HEADER, rows, ";").encode("cp1252"))
    return path


# name → (phone, email, address, postcode, birth year, SMS consent, opted out)
EXPECTED: dict[str, dict[str, tuple[object, ...]]] = {
    "square": {
        "Ann Lee": (
            "+447400111001",
            "ann.lee@example.org",
            "12 Harbour Road, Flat 3, Leeds",
            "LS1 4AB",
            1984,
            True,
            False,
        ),
        "Bob Ray": ("+447400111002", None, "4 Mill Lane, Leeds", "LS2 9XY", None, False, True),
        "Cara Doyle": (
            None,
            "cara@example.org",
            "9 Quay Street, Hull",
            "HU1 1AA",
            None,
            False,
            False,
        ),
    },
    "google": {
        "Dana Ng": (
            "+447400222001",
            "dana@example.org",
            "5 Park Row, Leeds",
            "LS1 5HD",
            None,
            False,
            False,
        ),
        "Eli Ford": ("+447400222002", "eli@example.org", None, None, None, False, False),
        "Fay Gill": ("+441134960002", None, None, None, None, False, False),
    },
    "google_legacy": {
        "Gus Hart": ("+447400222003", "gus@example.org", None, None, None, False, False),
    },
    "vagaro": {
        "Hana Ito": (
            "+447400333001",
            "hana@example.org",
            "7 Kirk Gate, York",
            "YO1 7HH",
            None,
            True,
            False,
        ),
        "Ian Jay": ("+447400333002", "ian@example.org", None, None, None, False, False),
    },
    "outlook": {
        "José Müller": (
            "+447400444001",
            "jose@example.org",
            "3 Rue de l'Église, Leeds",
            "LS6 2AA",
            None,
            False,
            False,
        ),
    },
}
WRITERS = {
    "square": square,
    "google": google,
    "google_legacy": google_legacy,
    "vagaro": vagaro,
    "outlook": outlook,
}


def google_many(path: Path, count: int) -> dict[str, tuple[str, str | None]]:
    """``count`` Google contacts with the usual mess: the mobile second behind a landline
    on every third, two numbers in one cell on every fifth, `---` placeholders, and every
    seventh contact exported twice (the phone reformatted, the email in capitals).
    Returns name → (mobile, email) as an import should leave them."""
    rows: list[dict[str, str]] = []
    expected: dict[str, tuple[str, str | None]] = {}
    for index in range(count):
        first = "".join(chr(97 + (index // 26**k) % 26) for k in range(4)).capitalize()
        last = "Lee" + "".join(chr(97 + (index // 26**k) % 26) for k in range(4, 6))
        national = f"7400{index:06d}"
        landline = f"0113 496 {index % 10_000:04d}"
        email = f"{first.lower()}.{index}@example.org" if index % 4 else "---"
        row = {"First Name": first, "Last Name": last, "E-mail 1 - Value": email}
        if index % 3 == 0:
            row |= {
                "Phone 1 - Label": "Home",
                "Phone 1 - Value": landline,
                "Phone 2 - Label": "Mobile",
                "Phone 2 - Value": f"0{national}",
            }
        elif index % 5 == 0:
            both = f"{landline} ::: +44{national}"
            row |= {"Phone 1 - Label": "Home ::: Mobile", "Phone 1 - Value": both}
        else:
            mobile = f"0{national[:4]} {national[4:]}"
            row |= {"Phone 1 - Label": "Mobile", "Phone 1 - Value": mobile}
        rows.append(row)
        if index % 7 == 0:
            again = dict(row, **{"E-mail 1 - Value": email.upper()})
            for key in ("Phone 1 - Value", "Phone 2 - Value"):
                if again.get(key, "").startswith("0" + national[:4]):
                    again[key] = f"+44 {national[:4]} {national[4:]}"
            rows.append(again)
        expected[f"{first} {last}"] = (f"+44{national}", None if email == "---" else email)
    path.write_text(_csv(GOOGLE_HEADER, rows), encoding="utf-8")
    return expected
