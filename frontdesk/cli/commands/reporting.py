"""report: the monthly report as text, JSON, CSV or a one-page PDF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, out_file
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_money
from frontdesk.domain.report_periods import change
from frontdesk.services.records.dto import to_json
from frontdesk.services.reports.csv_export import report_csv
from frontdesk.services.reports.dto import MonthlyReport
from frontdesk.store.atomic_file import commit, new_temp_beside, replacing


def register(sub: SubParsers) -> None:
    rep = sub.add_parser(
        "report",
        help="the monthly referral report",
        description="This month against last, the 12-month funnel, top referrers and ROI.",
    )
    rep.add_argument("--month", help="YYYY-MM (default: this month, to date)")
    rep.add_argument("--format", choices=("text", "json", "csv", "pdf"), help="default: text")
    rep.add_argument("--out", type=out_file, help="write to this file (needed for pdf)")
    rep.set_defaults(handler=cmd_report)


def cmd_report(ctx: CliContext, args: argparse.Namespace) -> Output:
    fmt = args.format or ("json" if args.json else "text")
    if fmt == "pdf" and args.out is None:
        raise InvalidInputError("A PDF report needs a file: add --out report.pdf.")
    report = ctx.services.reports.monthly(args.month)
    if args.out is None:
        if fmt == "csv":
            return Output(report, report_csv(report))
        return Output(report, summary(report))
    target: Path = args.out
    if fmt == "pdf":
        from frontdesk.ui.render.report_pdf import write_report_pdf  # Qt only for the PDF

        # Painted into a new O_EXCL file of ours (its own scratch name is then unguessable),
        # renamed over the target once whole.
        temp = new_temp_beside(target)
        try:
            write_report_pdf(report, temp)
            commit(temp, target)
        finally:
            temp.unlink(missing_ok=True)
    else:
        content = (
            report_csv(report)
            if fmt == "csv"
            else json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n"
        )
        with replacing(target, encoding="utf-8-sig" if fmt == "csv" else "utf-8") as handle:
            handle.write(content)
    return Output(
        {"month": report.month, "format": fmt, "path": str(target)},
        f"Saved the {report.label} report to {target}.",
    )


def summary(report: MonthlyReport) -> str:
    """A plain-text report for a terminal: the headline figures, this month vs last."""
    cur = report.currency
    this, last = report.this, report.comparison
    heading = f"{report.clinic_name} — referrals, {report.label}"
    if report.is_partial:
        heading += " (month to date)"

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.0f}%"

    def moved(a: float | int | None, b: float | int | None) -> str:
        delta = change(a, b)
        return "" if delta is None else f"{delta * 100:+.0f}%"

    rows = [
        ("Asks sent", this.asks_sent, last.asks_sent, str),
        ("Introductions", this.introductions, last.introductions, str),
        ("Booked", this.booked, last.booked, str),
        ("Attended (new patients)", this.attended, last.attended, str),
        ("Introduced → attended", this.intro_to_attended, last.intro_to_attended, pct),
        ("Rewards issued", this.rewards_issued, last.rewards_issued, str),
        (
            "Rewards issued (value)",
            this.rewards_issued_minor,
            last.rewards_issued_minor,
            lambda v: format_money(v, cur),
        ),
        (
            "Outstanding credit",
            this.outstanding_credit_minor,
            last.outstanding_credit_minor,
            lambda v: format_money(v, cur),
        ),
        (
            "Referred revenue",
            this.referred_revenue_minor,
            last.referred_revenue_minor,
            lambda v: format_money(v, cur),
        ),
        ("ROI", this.roi, last.roi, lambda v: "—" if v is None else f"{v:.1f}×"),
    ]
    lines = [
        heading,
        "",
        f"{'':<26}{this.short_label:>12}{report.comparison_label:>12}{'change':>9}",
    ]
    for label, a, b, show in rows:
        lines.append(f"{label:<26}{show(a):>12}{show(b):>12}{moved(a, b):>9}")
    if report.top_referrers:
        lines += ["", "Top referrers:"]
        for person in report.top_referrers[:5]:
            lines.append(
                f"  {person.name} ({person.code or 'no code'}): {person.attended} attended, "
                f"{person.introductions} introduced"
            )
    return "\n".join(lines)
