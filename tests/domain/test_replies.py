"""Reply classification: STOP family, START family, ratings, poster keyword, anything else."""

from __future__ import annotations

import pytest

from frontdesk.domain.replies import BALANCE, KEYWORD, OPT_IN, OPT_OUT, RATING, TEXT, classify


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        " Stop ",
        "STOP.",
        "Stop 🙏",
        "stopall",
        "UNSUBSCRIBE",
        "cancel",
        "End",
        "quit!",
        "\tSTOP\n",
    ],
)
def test_stop_family_opts_out(text: str) -> None:
    assert classify(text).intent == OPT_OUT


@pytest.mark.parametrize("text", ["START", "unstop", "Yes", "yes!! 😀"])
def test_start_family_opts_in(text: str) -> None:
    assert classify(text).intent == OPT_IN


@pytest.mark.parametrize(
    ("text", "rating"),
    [("5", 5), (" 4 👍", 4), ("1", 1), ("3/5", 3), ("4 out of 5", 4), ("Five", 5), ("５", 5)],
)
def test_ratings(text: str, rating: int) -> None:
    meaning = classify(text)
    assert (meaning.intent, meaning.rating) == (RATING, rating)


@pytest.mark.parametrize(
    "text", ["please don't stop texting", "my sister Anna wants to book", "6", "0", "4 thanks", ""]
)
def test_everything_else_is_for_the_desk(text: str) -> None:
    assert classify(text).intent == TEXT


def test_poster_keyword() -> None:
    assert classify(" friend ", poster_keyword="FRIEND").intent == KEYWORD
    assert classify("friend", poster_keyword=None).intent == TEXT


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("FRIEND", ()),
        ("friend", ()),
        (" Friend! ", ()),
        ("FRIEND TREATMENT ROOM 2", ("TREATMENT", "ROOM", "2")),
        ("friend reception.", ("RECEPTION",)),
        ("Friend, mirror please 🙏", ("MIRROR", "PLEASE")),
    ],
)
def test_the_poster_keyword_with_or_without_its_tag(text: str, rest: tuple[str, ...]) -> None:
    meaning = classify(text, "FRIEND")
    assert (meaning.intent, meaning.rest) == (KEYWORD, rest)


def test_the_keyword_is_only_a_keyword_as_the_first_word() -> None:
    assert classify("my friend wants to book", "FRIEND").intent == TEXT
    assert classify("FRIEND", None).intent == TEXT  # no keyword configured


@pytest.mark.parametrize(
    "text",
    [
        "CREDIT",
        "balance",
        "Balance?",
        "my credit please",
        "What's my balance",
        "How much credit do I have?",
    ],
)
def test_credit_and_balance_ask_for_the_balance(text: str) -> None:
    assert classify(text, "FRIEND").intent == BALANCE


def test_balance_inside_a_sentence_is_for_the_desk() -> None:
    assert classify("can I use my credit on Tuesday", "FRIEND").intent == TEXT
