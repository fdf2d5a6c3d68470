"""One place turns any error into words for the desk: typed messages, else a calm sentence."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from frontdesk.domain.errors import UNEXPECTED, SelfReferralError, in_words


def _real_operational_error() -> OperationalError:
    engine = create_engine("sqlite://")
    with pytest.raises(OperationalError) as caught, engine.connect() as connection:
        connection.execute(text("SELECT secret FROM no_such_table"))
    return caught.value


def test_a_typed_error_shows_its_own_message() -> None:
    error = SelfReferralError("Sara has the same phone as Sarah Connolly.")
    assert in_words(error) == "Sara has the same phone as Sarah Connolly."


def test_a_database_fault_becomes_a_calm_sentence_and_the_detail_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = _real_operational_error()
    with caplog.at_level(logging.ERROR, logger="frontdesk.domain.errors"):
        words = in_words(error)
    assert words == UNEXPECTED
    assert "SELECT" not in words and "no_such_table" not in words
    assert "no_such_table" in caplog.text  # the detail is kept for whoever supports the desk


def test_a_screen_may_say_what_failed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.CRITICAL):
        words = in_words(sqlite3.DatabaseError("file is not a database"), "Reports not loaded.")
    assert words == "Reports not loaded."


def test_a_file_error_names_the_file_in_the_os_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nowhere" / "cards.pdf"
    with pytest.raises(OSError) as caught:
        missing.write_bytes(b"")
    assert in_words(caught.value) == f"Couldn't use the file {missing}: No such file or directory."
