"""Reading one line of a patient list: every kind of bad value gets its own words."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_fields import PRESETS, auto_map, validate_mapping
from frontdesk.domain.import_rows import (
    ParsedRow,
    RowParser,
    RowProblem,
    birth_year_of,
    email_problem,
    split_full_name,
    tidy_case,
)

FIELDS = ("first_name", "last_name", "phone", "email", "birth", "sms_consent", "sms_opt_out")


def parse(*cells: str, fields: tuple[str | None, ...] = FIELDS) -> ParsedRow | RowProblem | None:
    return RowParser(fields, "GB", 2026, len(fields)).parse(list(cells), 7)


def test_a_good_row_becomes_a_patient() -> None:
    row = parse(
        "  Sarah ", "Connolly", "07400 123456", "Sarah.C@Example.org", "12/03/1985", "Y", ""
    )
    assert isinstance(row, ParsedRow)
    assert (row.first_name, row.last_name, row.phone_e164) == ("Sarah", "Connolly", "+447400123456")
    assert (row.email, row.email_norm) == ("Sarah.C@Example.org", "sarah.c@example.org")
    assert row.birth_year == 1985
    assert row.sms_consent and not row.opted_out
    assert row.line == 7 and row.warnings == ()


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (("", "", "07400 123456", "", "", "", ""), "No name: the name is empty."),
        (("", "Connolly", "", "", "", "", ""), "No first name (last name 'Connolly')."),
        (
            ("Sarah", "Connolly", "0740012", "", "", "", ""),
            "Phone: 0740012 is too short for GB: 6 digits where a GB mobile has 10 "
            "(not counting a leading 0).",
        ),
        (
            ("Sarah", "Connolly", "07400 1234567", "", "", "", ""),
            "Phone: “07400 1234567” is too long for GB. Mobiles in GB look like 07400 123456.",
        ),
        (
            ("Sarah", "Connolly", "call her", "", "", "", ""),
            "Phone: “call her” has letters in it; a phone number has digits.",
        ),
        (
            ("Sarah", "C", "", "sarah.example.org", "", "", ""),
            "Email 'sarah.example.org' has no @.",
        ),
        (
            ("Sarah", "C", "", "sarah@example", "", "", ""),
            "Email 'sarah@example' has no dot in 'example' after the @.",
        ),
        (
            ("Sarah", "C", "", "a@x.org; b@y.org", "", "", ""),
            "Email 'a@x.org; b@y.org' has a space in it.",
        ),
        (
            ("sarah@example.org", "C", "", "", "", "", ""),
            "First name 'sarah@example.org' looks like an email address.",
        ),
        (("12345", "C", "", "", "", "", ""), "First name '12345' has no letters in it."),
    ],
)
def test_each_bad_value_is_named_in_its_reason(cells: tuple[str, ...], reason: str) -> None:
    row = parse(*cells)
    assert isinstance(row, RowProblem)
    assert reason in row.reasons
    assert row.line == 7


def test_a_row_with_several_problems_lists_them_all() -> None:
    row = parse("", "", "0740012", "nope", "", "", "")
    assert isinstance(row, RowProblem)
    assert len(row.reasons) == 3


def test_a_value_split_by_an_unquoted_comma_is_spotted() -> None:
    fields = ("first_name", "last_name", "address")
    row = RowParser(fields, "GB", 2026, 3).parse(["Sarah", "Connolly", "1 High St", "Leeds"], 3)
    assert isinstance(row, RowProblem)
    assert row.reasons == (
        "Has 4 values but the file has 3 columns (a comma or semicolon inside a value that is "
        "not in quotes?).",
    )


def test_short_rows_are_padded_and_blank_rows_skipped() -> None:
    assert isinstance(parse("Sarah", "Connolly"), ParsedRow)
    assert parse("", " ", "", "", "", "", "") is None


def test_doubtful_extras_are_warnings_not_problems() -> None:
    row = parse("Sarah", "Connolly", "07400 123456", "", "31/31/85", "maybe", "")
    assert isinstance(row, ParsedRow)
    assert row.birth_year is None and row.sms_consent is False
    assert row.warnings == (
        "Date of birth '31/31/85' is not a date; imported without it.",
        "SMS consent 'maybe' is not yes or no; treated as no.",
    )


def test_an_opt_out_wins_over_consent() -> None:
    row = parse("Sarah", "Connolly", "07400 123456", "", "", "yes", "yes")
    assert isinstance(row, ParsedRow)
    assert row.opted_out and not row.sms_consent


def test_the_other_phone_is_used_only_when_the_mobile_is_empty() -> None:
    fields = ("first_name", "phone", "other_phone", "other_phone")
    parser = RowParser(fields, "GB", 2026, 4)
    row = parser.parse(["Sarah", "", "12", "020 7946 0018"], 2)
    assert isinstance(row, ParsedRow) and row.phone_e164 == "+442079460018"
    row = parser.parse(["Sarah", "", "12", ""], 3)
    assert isinstance(row, ParsedRow) and row.phone_e164 is None
    assert row.warnings == ("Phone '12' is not a usable number; imported without a phone.",)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("1985-03-12", 1985),
        ("12/03/1985", 1985),
        ("03/25/1985", 1985),
        ("3/4/85", 1985),
        ("12.03.07", 2007),
        ("1985", 1985),
        ("3 Mar 1985", 1985),
        ("March 3, 1985", 1985),
        ("1985-03-12T00:00:00", 1985),
        ("31/02/1985", None),
        ("25/25/1985", None),
        ("soon", None),
    ],
)
def test_birth_years_from_any_common_date(text: str, year: int | None) -> None:
    assert birth_year_of(text, 2026) == year


def test_names_are_split_and_tidied() -> None:
    assert split_full_name("Connolly, Sarah") == ("Sarah", "Connolly")
    assert split_full_name("Dr. Sarah Jane Connolly") == ("Sarah Jane", "Connolly")
    assert split_full_name("Cher") == ("Cher", "")
    assert tidy_case("O'BRIEN-MCKAY") == "O'Brien-McKay"
    assert tidy_case("sarah") == "Sarah"
    assert tidy_case("DeVito") == "DeVito"


def test_international_emails_are_fine() -> None:
    assert email_problem("siobhán@example.ie") is None
    assert email_problem("josé@correo.es") is None
    assert email_problem("@example.org") == "has nothing before the @"
    assert email_problem("a@b@c.org") == "has more than one @ (two addresses in one cell?)"


# -- the mapping step ------------------------------------------------------------------------


def test_headers_map_by_any_common_spelling() -> None:
    headers = ["Forename", "SURNAME", "Cell Phone", "E-mail Address", "D.O.B.", "Notes"]
    assert auto_map(headers) == ("first_name", "last_name", "phone", "email", "birth", None)


def test_a_preset_knows_its_systems_column_names() -> None:
    headers = ["Patient ID", "First Name", "Last Name", "Mobile", "Address 1", "Address 2"]
    headers += ["Post Code", "Accepted SMS Marketing"]
    assert auto_map(headers, PRESETS["cliniko"]) == (
        None,
        "first_name",
        "last_name",
        "phone",
        "address",
        "address",
        "postcode",
        "sms_consent",
    )


def test_separate_name_columns_win_over_a_whole_name() -> None:
    assert auto_map(["Name", "First Name", "Last Name"]) == (None, "first_name", "last_name")


def test_a_mapping_without_a_name_is_refused_with_the_columns_shown() -> None:
    with pytest.raises(InvalidInputError, match="No column is set to First name or Full name"):
        validate_mapping(["Mobile", "Email"], ["phone", "email"])


def test_two_columns_for_one_field_are_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        validate_mapping(["First", "Email", "Email 2"], ["first_name", "email", "email"])
    assert caught.value.message == (
        "Two columns are both set to Email: 'Email' and 'Email 2'. Choose one."
    )
