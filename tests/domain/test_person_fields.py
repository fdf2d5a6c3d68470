"""What can be typed for a person, and the words used when it cannot."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_money, max_visit_minor, parse_amount
from frontdesk.domain.person_fields import (
    clean_email,
    clean_name_part,
    clean_reason,
    split_full_name,
)


@pytest.mark.parametrize(
    "name",
    [
        "Sarah",
        "Anne-Marie",
        "O'Brien",
        "D’Arcy",
        "St. John",
        "Zoë",
        "محمد",
        "שרה",
        "美咲",
        "Дмитрий",
        "Nguyễn",
        "Møller",
        "Ngũgĩ",
        "Mehrd\u200cad",
        "María José",
    ],
)
def test_real_names_pass_unchanged(name: str) -> None:
    assert clean_name_part(name, "first name", required=True) == name


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please enter the patient's first name."),
        ("S" * 101, "101 characters long; 100 is the most we keep"),
        ("😀", "A first name needs letters; “😀” has none."),
        ("Sarah ❤", "can't contain emoji or symbols like “❤”"),
        ("R2D2", "A first name has no digits: “R2D2”."),
        ("Robert'); DROP TABLE patient;--", "not “)”"),
        ("<script>", "symbols like “<”"),
        ("Sаrah", "mixes alphabets (Cyrillic and Latin) in one word"),
        ("Sarah\u202e", "invisible control character (U+202E)"),
        ("Sar\x00ah", "invisible control character (U+0000)"),
    ],
)
def test_bad_names_are_refused_with_the_reason(typed: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        clean_name_part(typed, "first name", required=True)
    assert message in str(refused.value)


def test_spaces_are_tidied_and_full_names_split_at_the_last_word() -> None:
    assert clean_name_part("  Sarah   Jane ", "first name", required=True) == "Sarah Jane"
    name = split_full_name(" Sarah Jane  Connolly ")
    assert (name.first, name.last, name.full) == ("Sarah Jane", "Connolly", "Sarah Jane Connolly")
    assert split_full_name("Cher").last == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Sarah.Connolly@Example.ORG ", "sarah.connolly@example.org"),
        ("tom+clinic@mail.co.uk", "tom+clinic@mail.co.uk"),
        ("Zoë@Bücher.de", "zoë@xn--bcher-kva.de"),  # international addresses (RFC 6531)
        ("anna@bücher.de", "anna@xn--bcher-kva.de"),
        ("", None),
        ("   ", None),
    ],
)
def test_emails_are_normalised(typed: str, stored: str | None) -> None:
    assert clean_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("sarah.example.org", "has no @"),
        ("sarah@@example.org", "more than one @"),
        ("sarah@", "missing the end of its domain"),
        ("@example.org", "nothing before the @"),
        ("sarah@example", "missing the end of its domain"),
        ("sarah connolly@example.org", "has no spaces"),
        ("sarah..c@example.org", "characters an email can't have"),
        ("sa(rah)@example.org", "characters an email can't have"),
        ("sarah😀@example.org", "characters an email can't have"),
        ("sarah@exa_mple.org", "is not a domain an email can be sent to"),
        ("sarah@example.123", "is not a domain"),
        ("s" * 65 + "@example.org", "part before the @"),
        ("s" * 250 + "@example.org", "at most 254"),
        ("sarah@example.org\u200f", "invisible control character"),
        ("x'; DROP TABLE patient;--@example.org", "has no spaces"),
    ],
)
def test_bad_emails_are_refused_with_the_reason(typed: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        clean_email(typed)
    assert message in str(refused.value)


def test_reasons_are_words_of_a_sensible_length() -> None:
    assert clean_reason("  Forgot   the code ") == "Forgot the code"
    assert clean_reason("   ") is None
    with pytest.raises(InvalidInputError, match="in words"):
        clean_reason("!!!")
    with pytest.raises(InvalidInputError, match="under 500"):
        clean_reason("a" * 501)


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("55", 5500),
        ("55.5", 5550),
        ("55.05", 5505),
        ("£55.00", 5500),
        ("1,250.00", 125000),
        ("0", 0),
        (" 12 ", 1200),
        ("GBP 20", 2000),
    ],
)
def test_amounts_typed_at_the_desk(typed: str, minor: int) -> None:
    assert parse_amount(typed, "GBP") == minor


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please enter the amount"),
        ("-5", "can't be negative"),
        ("fifty", "is not an amount"),
        ("5.555", "too many decimals"),
        ("1,25", "is not an amount"),
        ("99999", "too large"),
        ("1e3", "is not an amount"),
        ("55.00; DROP", "is not an amount"),
    ],
)
def test_bad_amounts_are_explained(typed: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_amount(typed, "GBP", maximum=max_visit_minor("GBP"))


def test_money_is_shown_with_the_clinics_currency() -> None:
    assert format_money(2000, "GBP") == "£20.00"
    assert format_money(125050, "USD") == "$1,250.50"
    # A letter symbol is spaced from the digits, as CLDR writes it.
    assert format_money(999, "CHF") == "CHF 9.99"
    assert format_money(-1500, "GBP") == "\u2212£15.00"
    assert format_money(125050, "GBP", whole=True) == "£1,251"
