"""Prefix ranges: exactly the strings that start with the prefix, nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.store.engine import Database
from frontdesk.store.models import Patient
from frontdesk.store.prefix import has_prefix, upper_bound


def test_upper_bound_is_the_next_string_after_every_extension() -> None:
    assert upper_bound("sar") == "sas"
    assert upper_bound("ab ") == "ab!"
    assert upper_bound("a\ud7ff") == "a\ue000"  # never a surrogate
    assert upper_bound("a\U0010ffff") == "b"
    with pytest.raises(ValueError):
        upper_bound("")


def test_has_prefix_matches_like_startswith_on_both_databases(database: Database) -> None:
    from tests.conftest import TEST_NOW

    names = ["sara", "sarah connolly", "sarb", "sar", "sa", "zoe obrien", "sar_h", "sarzzz"]
    with database.begin() as session:
        for name in names:
            session.add(Patient(first_name=name, name_norm=name, created_at=TEST_NOW))
    with database.read() as session:
        for prefix in ["sar", "sarah", "sa", "sar_", "z", "q"]:
            found = session.scalars(
                select(Patient.name_norm).where(
                    has_prefix(Patient.name_norm, prefix, database.dialect)
                )
            )
            assert sorted(found) == sorted(n for n in names if n.startswith(prefix)), prefix
