"""What printed codes point at: personal links, poster targets and their source tags."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.payloads import (
    display_address,
    parse_poster_sms,
    poster_target,
    slugify_tag,
)


def test_poster_target_carries_the_source_tag() -> None:
    assert (
        poster_target("https://h.example/book", None, "FRIEND", "treatment-room-1")
        == "https://h.example/book?src=treatment-room-1"
    )


def test_poster_without_a_website_texts_the_keyword_and_tag() -> None:
    target = poster_target(None, "+447700900123", "friend", "mirror")
    assert target == "sms:+447700900123?body=FRIEND%20MIRROR"
    assert parse_poster_sms("friend mirror", "FRIEND") == "mirror"
    assert parse_poster_sms("Friend", "FRIEND") == ""
    assert parse_poster_sms("Thanks, see you Tuesday", "FRIEND") is None


def test_poster_with_nowhere_to_send_people_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="booking page"):
        poster_target(None, None, "FRIEND", "reception")


@pytest.mark.parametrize(
    ("name", "tag"),
    [
        ("Reception", "reception"),
        ("Treatment room 1", "treatment-room-1"),
        ("  Mirror — upstairs ", "mirror-upstairs"),
        ("Salle d'attente", "salle-d-attente"),
        ("候诊室", "houzhenshi"),
    ],
)
def test_source_tags_are_slugs_of_the_poster_name(name: str, tag: str) -> None:
    assert slugify_tag(name) == tag


def test_a_name_with_nothing_printable_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="poster's name"):
        slugify_tag("!!!")


def test_display_address_reads_like_print() -> None:
    assert (
        display_address("https://www.harbourphysio.example/book/") == "harbourphysio.example/book"
    )
