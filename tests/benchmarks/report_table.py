"""The JSON figures as a Markdown table for the README."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def markdown_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| benchmark | size | metric | value | baseline | ratio | target | met |",
        "|---|---:|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        unit = row["unit"]
        value = f"{_fmt(row['value'])} {unit}" if row["value"] is not None else row.get("note", "—")
        baseline = f"{_fmt(row['baseline'])} {unit}" if "baseline" in row else "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.get("met")]
        lines.append(
            f"| {row['name']} | {_fmt(row['size'])} | {row['metric']} | {value} | {baseline} "
            f"| {_fmt(row.get('ratio'))} | {row.get('target') or '—'} | {met} |"
        )
    return "\n".join(lines)
