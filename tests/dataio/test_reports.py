"""The monthly report against a clinic whose every figure is known (see report_data)."""

from __future__ import annotations

import csv
import io

import pytest

from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.bundle import Services
from frontdesk.services.reports.csv_export import report_csv
from frontdesk.services.reports.dto import MonthlyReport
from tests.dataio import report_data


@pytest.fixture
def clinic(services: Services) -> tuple[Services, dict[str, int]]:
    with services.ctx.db.begin() as session:
        ids = report_data.build(session)
    return services, ids


@pytest.fixture
def october(clinic: tuple[Services, dict[str, int]]) -> MonthlyReport:
    return clinic[0].reports.monthly("2026-10")


def test_october_headline_figures(october: MonthlyReport) -> None:
    f = october.this
    assert (f.month, f.label) == ("2026-10", "October 2026")
    assert (f.asks_sent, f.introductions, f.booked, f.attended) == (1, 4, 2, 1)
    assert (f.cohort_booked, f.cohort_attended) == (2, 2)
    assert (f.intro_to_booked, f.intro_to_attended, f.ask_to_intro) == (0.5, 0.5, 4.0)
    assert (f.rewards_issued, f.rewards_issued_minor, f.rewards_redeemed_minor) == (2, 3000, 1500)
    assert f.outstanding_credit_minor == 1500  # £20 + £20 + £10 − £15 − £20 expired
    assert (f.sms_messages, f.sms_cost_minor, f.sms_cost_estimated) == (2, 9, False)
    assert (f.referred_revenue_minor, f.referred_visits) == (10500, 2)
    assert f.roi == round(10500 / (1500 + 9), 2)
    assert not october.is_partial
    assert october.comparison == october.last and october.comparison_label == "Sep"


def test_september_counts_the_unpriced_ask_at_the_setting_price(
    clinic: tuple[Services, dict[str, int]],
) -> None:
    september = clinic[0].reports.monthly("2026-09").this
    # 2 segments × 40,000 millionths of a pound = 8p, marked as an estimate.
    assert (september.asks_sent, september.sms_cost_minor, september.sms_cost_estimated) == (
        1,
        8,
        True,
    )
    assert september.introductions == 0  # Gus was introduced at 00:30 on 1 Oct, London time
    assert september.outstanding_credit_minor == 2000


def test_who_and_what_brought_octobers_referrals(
    october: MonthlyReport, clinic: tuple[Services, dict[str, int]]
) -> None:
    ids = clinic[1]
    top = {
        (p.name, p.introductions, p.attended, p.rewards_minor, p.lifetime_attended)
        for p in october.top_referrers
    }
    assert top == {("Sarah Test", 3, 1, 2000, 2), ("Dan Test", 1, 0, 0, 0)}
    assert october.top_referrers[0].patient_id == ids["Sarah"]
    assert [(r.key, r.visits, r.attended, r.revenue_minor) for r in october.by_visit_type] == [
        ("Initial assessment", 1, 1, 6000),
        ("Follow-up", 1, 0, 4500),
    ]
    assert [
        (r.key, r.asks, r.introductions, r.booked, r.attended) for r in october.by_template
    ] == [
        ("Friendly ask", 0, 3, 2, 2),
        ("Standard ask", 1, 0, 0, 0),
        ("No text sent (word of mouth)", None, 1, 0, 0),
    ]
    assert [(r.key, r.introductions) for r in october.by_poster] == [("Mirror poster (mirror)", 0)]


def test_this_month_to_date_is_compared_with_last_month_to_the_same_day(
    clinic: tuple[Services, dict[str, int]],
) -> None:
    report = clinic[0].reports.monthly()
    assert report.month == "2026-11" and report.is_partial
    this = report.this
    assert (this.introductions, this.booked, this.attended) == (1, 0, 1)
    assert (this.referred_revenue_minor, this.rewards_redeemed_minor) == (10500, 1000)
    assert this.outstanding_credit_minor == 500
    assert [(p.key, p.introductions) for p in report.by_poster] == [("Mirror poster (mirror)", 1)]
    assert report.comparison_label == "1–25 Oct"
    before = report.comparison
    # 1–25 Oct (to 09:30 UTC): the expiry at noon on the 25th is not in yet.
    assert (before.introductions, before.booked, before.attended) == (4, 2, 1)
    assert before.outstanding_credit_minor == 3500
    assert report.last.outstanding_credit_minor == 1500


def test_the_trend_covers_twelve_months_ending_with_the_report_month(
    october: MonthlyReport,
) -> None:
    assert [m.month for m in october.trend][:2] == ["2025-11", "2025-12"]
    assert october.trend[-1] == october.this and october.trend[-2] == october.last
    assert [m.introductions for m in october.trend[-3:]] == [0, 0, 4]
    assert october.revenue_12_months_minor == 10500
    assert october.cost_12_months_minor == 1500 + 9 + 8


def test_the_csv_has_the_headline_table_and_every_block(october: MonthlyReport) -> None:
    rows = list(csv.reader(io.StringIO(report_csv(october))))
    assert rows[0][0] == "Harbour Physio — referral report, October 2026"
    table = {row[0]: row[1:] for row in rows if row}
    assert table["Introductions"] == ["4", "0", ""]
    assert table["Outstanding credit (liability)"] == ["15.00", "20.00", "-25.0"]
    assert table["Introduced → attended"][0] == "50.0"
    assert table["Friendly ask"] == ["0", "3", "2", "2"]
    assert table["Sarah Test"][0].startswith("SARAH-")
    assert ["2026-10", "1", "4", "2", "1", "2", "30.00", "105.00", "6.96"] in rows


def test_a_bad_month_is_explained(services: Services) -> None:
    with pytest.raises(InvalidInputError, match="Give the month as YYYY-MM, like 2026-10"):
        services.reports.monthly("October")
    with pytest.raises(InvalidInputError, match="YYYY-MM"):
        services.reports.monthly("2026-13")


def test_an_empty_clinic_reports_zeros_not_errors(services: Services) -> None:
    report = services.reports.monthly("2026-10")
    assert report.this.introductions == 0 and report.this.roi is None
    assert report.top_referrers == () and report.by_template == ()
    assert "(none this month)" in report_csv(report)


def test_every_figure_opens_the_rows_behind_it(
    clinic: tuple[Services, dict[str, int]],
) -> None:
    rows = clinic[0].report_rows
    intros = rows.rows("2026-10", "introductions")
    assert intros.title == "Introductions · October 2026" and intros.total == 4
    assert [row[2] for row in intros.rows] == ["Gus Test", "Tom Test", "Anna Test", "Ben Test"]
    assert intros.rows[0][0] == "1 Oct 2026 00:30"  # London time
    assert [row[2] for row in rows.rows("2026-10", "attended").rows] == ["Tom Test"]
    visits = rows.rows("2026-10", "referred_revenue")
    assert [(row[1], row[3]) for row in visits.rows] == [
        ("Tom Test", "£60.00"),
        ("Tom Test", "£45.00"),
    ]
    assert [row[2] for row in rows.rows("2026-10", "rewards_issued").rows] == ["£20.00", "£10.00"]
    assert rows.rows("2026-10", "asks_sent").rows[0][1] == "Dan Test"
    with pytest.raises(InvalidInputError, match="no figure called 'profit'"):
        rows.rows("2026-10", "profit")
