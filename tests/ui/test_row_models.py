"""One table-model base: every screen's model is a RowTableModel and its roles are its own.

The search dropdown's model is checked here (the other screens' models are checked in their
screens' tests); the guard below fails when a screen grows its own Qt model or role again.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from frontdesk.services.patients.dto import TodayRow
from frontdesk.services.records.dto import PatientRef, SearchHit
from frontdesk.services.reports.drilldown import DrillDown
from frontdesk.services.reports.dto import BreakdownRow
from frontdesk.ui.screens.checkin.today_model import TodayModel
from frontdesk.ui.screens.reports.models import BreakdownModel, DrillDownModel
from frontdesk.ui.search import SearchResultsModel
from frontdesk.ui.widgets.row_model import ROW_ROLE, SORT_ROLE

UI = Path(__file__).resolve().parents[2] / "ui"
BASE = UI / "widgets" / "row_model.py"


def _hit(pid: int, name: str, code: str | None) -> SearchHit:
    return SearchHit(
        patient=PatientRef(pid, name, "+447400100001", None, code),
        masked_phone="+44 ••• ••• •001",
        matched_on="name",
        score=1.0,
        birth_year=None,
        last_visit=None,
        badge=None,
        fact="£20 credit",
    )


def test_no_screen_defines_its_own_qt_model_or_custom_role() -> None:
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        if path == BASE:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\(QAbstract(Table|List|Item)Model\b", r"\bUserRole\b"):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(UI.parent)}: {pattern}")
    assert offenders == [], "use ui/widgets/row_model.py (RowTableModel, ROW_ROLE, SORT_ROLE)"


def test_search_results_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = SearchResultsModel()
    qtmodeltester.check(model)
    model.set_hits([_hit(1, "Sarah Connolly", "SARAH-K7QD"), _hit(2, "Tom Baker", None)])
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert first.data() == "Sarah Connolly"
    assert first.data(ROW_ROLE) is model.hit(0)
    assert first.data(Qt.ItemDataRole.ToolTipRole) == "Matched on name"
    spoken = first.data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Sarah Connolly, +44 ••• ••• •001, SARAH-K7QD, £20 credit"


def test_a_drilldown_model_takes_its_columns_from_the_figure(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = DrillDownModel()
    model.set_drilldown(DrillDown("Attended", ("When", "Who"), (("3 Nov", "Tom"),), 1))
    qtmodeltester.check(model)
    assert model.columnCount() == 2
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Who"
    assert model.index(0, 1).data() == "Tom"


def test_breakdown_numbers_sort_as_numbers_and_missing_ones_show_a_dash() -> None:
    model = BreakdownModel("Poster", ("introductions", "revenue_minor"))
    rows = [
        BreakdownRow(
            key=key,
            asks=None,
            introductions=n,
            booked=0,
            attended=0,
            visits=None,
            revenue_minor=None,
        )
        for key, n in (("A", 9), ("B", 10), ("C", None))
    ]
    model.fill(rows, "GBP")
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["B", "A", "C"]  # 10 > 9, not "9"
    assert model.index(2, 1).data() == "—"
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )


def test_a_column_colour_paints_only_its_own_column() -> None:
    model = TodayModel("Europe/London")
    at = datetime(2026, 11, 3, 9, 30).astimezone()
    model.set_rows(
        [
            TodayRow(
                at=at,
                patient=PatientRef(1, "Tom", None, None, "T"),
                state="checked_in",
                visit_type=None,
                visit_id=None,
            )
        ]
    )
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) == QColor("#067647")
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
