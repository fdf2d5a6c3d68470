"""Table models of the Reports screen: one per table view, filled with report DTO rows.

Numbers show as text and sort as numbers (``SORT_ROLE``); the money columns use the clinic's
currency, so their columns are made when the report arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from frontdesk.domain.money import format_money
from frontdesk.services.reports.drilldown import DrillDown
from frontdesk.services.reports.dto import BreakdownRow, TopReferrer
from frontdesk.ui.widgets.row_model import Column, RowTableModel


def _count(title: str, value: Callable[[Any], int | None], currency: str = "") -> Column[Any]:
    """A right-aligned figure: "—" where there is none, money when a currency is given."""

    def text(row: Any) -> str:
        number = value(row)
        if number is None:
            return "—"
        return format_money(number, currency) if currency else f"{number:,}"

    def sort(row: Any) -> int:
        number = value(row)
        return -1 if number is None else number

    return Column(title, text, sort=sort, align_right=True)


class TopReferrersModel(RowTableModel[TopReferrer]):
    align_headers = True

    def fill(self, people: Sequence[TopReferrer], currency: str) -> None:
        columns: tuple[Column[TopReferrer], ...] = (
            Column("Name", lambda p: p.name),
            Column("Code", lambda p: p.code or "—", sort=lambda p: p.code or ""),
            _count("Introductions", lambda p: p.introductions),
            _count("Attended", lambda p: p.attended),
            _count("Rewards earned", lambda p: p.rewards_minor, currency),
            _count("All-time attended", lambda p: p.lifetime_attended),
        )
        self.set_columns(columns, people)


class BreakdownModel(RowTableModel[BreakdownRow]):
    """A breakdown's rows with only the columns it uses (asks, introductions, … revenue)."""

    align_headers = True
    TITLES: tuple[tuple[str, str], ...] = (
        ("asks", "Asks sent"),
        ("introductions", "Introductions"),
        ("booked", "Booked"),
        ("attended", "Attended"),
        ("visits", "Visits"),
        ("revenue_minor", "Revenue"),
    )

    def __init__(self, title: str, fields: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._title = title
        self._fields = tuple(fields)
        self.fill((), "")

    def fill(self, rows: Sequence[BreakdownRow], currency: str) -> None:
        names = dict(self.TITLES)
        if "visits" in self._fields:
            names["attended"] = "First visits"
        columns: list[Column[BreakdownRow]] = [Column(self._title, lambda row: row.key)]
        for field in self._fields:
            money = currency if field == "revenue_minor" else ""
            columns.append(
                _count(names[field], lambda row, f=field: getattr(row, f), money)  # type: ignore[misc]
            )
        self.set_columns(columns, rows)


class DrillDownModel(RowTableModel[tuple[str, ...]]):
    align_headers = True  # every column is text, read from the left

    def set_drilldown(self, drill: DrillDown) -> None:
        columns = [
            Column[tuple[str, ...]](title, lambda row, i=i: row[i])  # type: ignore[misc]
            for i, title in enumerate(drill.columns)
        ]
        self.set_columns(columns, drill.rows)
