"""The Patients screen's pages: name order, filters by name, code, phone and email."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.engine import Database
from tests.services.checkin_helpers import Recorder, add, desk_services


@pytest.fixture
def desk(database: Database, clock: FixedClock) -> Services:
    services = desk_services(database, clock, Recorder())
    for i, (first, last) in enumerate(
        [
            ("Sarah", "Connolly"),
            ("Zoë", "Adams"),
            ("Tom", "Baker"),
            ("Ann", "Ward"),
            ("Sarah", "Smith"),
            ("Ólafur", "Arnalds"),
        ]
    ):
        add(services, first, last, f"07400 12345{i}", f"{first.lower()}{i}@example.org")
    return services


def test_pages_in_name_order_with_visits(desk: Services, clock: FixedClock) -> None:
    tom = desk.lookup.resolve("tom baker")
    desk.checkin.check_in(SOLE_OWNER, tom.id, "Initial assessment", 5500)
    first = desk.patient_list.page("", 0, 4)
    assert first.total == 6 and first.offset == 0
    assert [r.patient.name for r in first.rows] == [
        "Ann Ward",
        "Ólafur Arnalds",
        "Sarah Connolly",
        "Sarah Smith",
    ]
    rest = desk.patient_list.page("", 4, 4)
    assert [r.patient.name for r in rest.rows] == ["Tom Baker", "Zoë Adams"]
    assert rest.rows[0].visits == 1 and rest.rows[0].last_visit == clock.now()
    assert rest.rows[1].visits == 0 and rest.rows[1].last_visit is None
    clock.advance(timedelta(days=1))


FILTERS = [
    ("sarah", ["Sarah Connolly", "Sarah Smith"]),
    ("sm", ["Sarah Smith"]),
    ("zoe", ["Zoë Adams"]),
    ("olafur", ["Ólafur Arnalds"]),
    ("123452", ["Tom Baker"]),
    ("07400 123453", ["Ann Ward"]),
    ("ann3@", ["Ann Ward"]),
    ("", None),
    ("!!!", []),
    ("😀", []),
    ("'; DROP TABLE patient;--", []),
    ("%", []),
    ("x" * 500, []),
]


def test_the_filter(desk: Services) -> None:
    for text, names in FILTERS:
        page = desk.patient_list.page(text)
        found = [row.patient.name for row in page.rows]
        if names is None:
            assert len(found) == 6
        else:
            assert found == names, text
            assert page.total == len(names)


def test_the_filter_finds_a_code_or_its_last_four(desk: Services) -> None:
    tom = desk.lookup.resolve("tom baker")
    code = tom.code or ""
    for typed in (code, code.lower().replace("-", " "), code[-4:].lower()):
        assert [r.patient.id for r in desk.patient_list.page(typed).rows] == [tom.id], typed
