"""Personal codes: the alphabet, the check symbol, folding of look-alikes, "did you mean"."""

from __future__ import annotations

import random
import string

import pytest

from frontdesk.domain.referral_code import (
    ALPHABET,
    FOLD,
    MODULUS,
    NAME_FALLBACK,
    SUFFIX_LEN,
    generate_code,
    is_valid,
    looks_like_code,
    name_part,
    near_misses,
    normalize_code,
    split_code,
)

LETTERS = string.ascii_uppercase


def sample_codes(count: int = 60) -> list[str]:
    rng = random.Random(2026)
    names = ["Sarah", "Tom", "Katarzyna", "Jo", "Li", "Oluwaseun", "Zoë", "Siobhán", "Ann", "Ulla"]
    return [generate_code(rng.choice(names), rng) for _ in range(count)]


def compact(code: str) -> str:
    return code.replace("-", "")


def valid(text: str) -> bool:
    parts = split_code(text)
    return parts is not None and is_valid(*parts)


def test_the_alphabet_has_no_look_alikes_and_a_prime_size() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == MODULUS == 31
    assert all(MODULUS % d for d in range(2, MODULUS))
    assert not set("OILSU") & set(ALPHABET)
    assert set(FOLD) == {ord(ch) for ch in "OILSU"}
    assert all(value in ALPHABET for value in FOLD.values())


def test_generated_codes_are_speakable_and_valid() -> None:
    for code in sample_codes(500):
        name, suffix = code.split("-")
        assert name.isalpha() and name.isupper() and 1 <= len(name) <= 8
        assert len(suffix) == SUFFIX_LEN and all(ch in ALPHABET for ch in suffix)
        assert valid(code), code


@pytest.mark.parametrize(
    ("first_name", "part"),
    [
        ("Sarah", "SARAH"),
        ("Zoë", "ZOE"),
        ("Siobhán", "SIOBHAN"),
        ("Anne-Marie", "ANNEMARI"),
        ("O'Brien", "OBRIEN"),
        ("Oluwaseun", "OLUWASEU"),
        ("محمد", "MHMD"),
        ("Дмитрий", "DMITRIY"),
        ("美咲", "MEIXIAO"),
        ("😀", NAME_FALLBACK),
        ("", NAME_FALLBACK),
    ],
)
def test_names_in_any_script_give_a_readable_name_part(first_name: str, part: str) -> None:
    assert name_part(first_name) == part


def test_every_single_substitution_is_detected() -> None:
    """Any one symbol replaced by any other, anywhere (name part included), is caught."""
    checked = 0
    for code in sample_codes():
        text = compact(code)
        cut = len(text) - SUFFIX_LEN
        for i, original in enumerate(text):
            pool = LETTERS if i < cut else ALPHABET
            for symbol in pool:
                if symbol == original:
                    continue
                typo = text[:i] + symbol + text[i + 1 :]
                assert not valid(typo), (code, typo)
                checked += 1
    assert checked > 10_000


def test_every_adjacent_transposition_is_detected_even_across_the_dash() -> None:
    checked = 0
    for code in sample_codes():
        text = compact(code)
        for i in range(len(text) - 1):
            if text[i] == text[i + 1]:
                continue
            typo = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            assert not valid(typo), (code, typo)
            checked += 1
    assert checked > 300


def test_each_typo_is_offered_the_real_code() -> None:
    """The typo's "did you mean" list contains the real code (it is one step away)."""
    rng = random.Random(5)
    for code in sample_codes(25):
        text = compact(code)
        i = rng.randrange(len(text))
        pool = LETTERS if i < len(text) - SUFFIX_LEN else ALPHABET
        substituted = text[:i] + rng.choice([s for s in pool if s != text[i]]) + text[i + 1 :]
        assert code in near_misses(substituted), (code, substituted)
        j = rng.randrange(len(text) - 1)
        if text[j] != text[j + 1]:
            swapped = text[:j] + text[j + 1] + text[j] + text[j + 2 :]
            assert code in near_misses(swapped), (code, swapped)


def test_a_digit_typed_into_the_name_part_is_still_offered_the_real_code() -> None:
    code = next(c for c in sample_codes() if c.startswith("SARAH"))
    typo = "SAR4H" + code[5:]
    assert not valid(typo)
    assert code in near_misses(typo)


def test_near_misses_of_a_valid_code_never_include_itself() -> None:
    for code in sample_codes(10):
        assert code not in near_misses(code)
        assert all(valid(candidate) for candidate in near_misses(code))


@pytest.mark.parametrize(
    "typed",
    ["sarah-k7qd", "SARAH K7QD", " sarah  k7qd ", "Sarah_K7QD", "sarahk7qd", "SARAH.K7QD"],
)
def test_input_is_case_space_and_dash_insensitive(typed: str) -> None:
    assert normalize_code(typed) == "SARAH-K7QD"


def test_look_alikes_fold_in_the_symbols() -> None:
    code = next(c for c in sample_codes(200) if any(ch in "01V5" for ch in c.split("-")[1]))
    name, suffix = code.split("-")
    blurred = suffix.replace("0", "O").replace("1", "l").replace("5", "S").replace("V", "U")
    assert normalize_code(f"{name}-{blurred}") == code
    assert valid(f"{name.lower()} {blurred.lower()}")


@pytest.mark.parametrize(
    ("text", "is_code"),
    [
        ("SARAH-K7QD", True),
        ("sarah k7qd", True),
        ("ANN-WARD", True),  # a code's shape and a separator: may be a code
        ("sarah", False),
        ("Sarah Connolly", False),  # too long a name part
        ("07400 123456", False),
        ("K7QD", False),  # no name part: the suffix search handles it
        ("Tom Baker", False),  # "BAKER" is five symbols, not four
        ("", False),
    ],
)
def test_looks_like_code(text: str, is_code: bool) -> None:
    assert looks_like_code(text) is is_code


def test_codes_without_a_digit_are_still_recognised() -> None:
    letters_only = [c for c in sample_codes(400) if not any(ch.isdigit() for ch in c)]
    assert letters_only  # about one code in five has no digit
    for code in letters_only:
        assert looks_like_code(code) and looks_like_code(compact(code).lower())
