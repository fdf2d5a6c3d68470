"""import and export: a patient list in from CSV (with a dry run listing every bad row);
patients, referrals and the reward ledger out to CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, out_file
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.import_fields import FIELD_BY_KEY, PRESETS
from frontdesk.services.dataio.csv_encoding import ENCODINGS
from frontdesk.services.dataio.import_dto import ImportPreview, ImportResult

SHOWN_ROWS = 200  # the text output lists this many rows per section; --json lists them all


def register(sub: SubParsers) -> None:
    imp = sub.add_parser(
        "import",
        help="import a patient list from a CSV file",
        description="Import patients from CSV (UTF-8, UTF-16, Windows-1252/1250 or Latin-1, "
        "worked out from the file; comma, semicolon or tab). Exports of Square, Vagaro, Google "
        "Contacts and Outlook are recognised from their header. Nothing is written unless every "
        "row can be imported, or --skip-bad is given.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help="column names of a practice system's export: "
        + "; ".join(f"{key} = {p.label.lower()}" for key, p in PRESETS.items()),
    )
    imp.add_argument(
        "--encoding",
        choices=sorted(ENCODINGS),
        help="read the file in this encoding instead of the one worked out from it "
        "(the dry run shows which was used)",
    )
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument(
        "--duplicates",
        choices=("report", "merge"),
        default="report",
        help="patients already on file (same phone or email): list them (default) or fill in "
        "what is missing on file",
    )
    imp.add_argument("--skip-bad", action="store_true", help="import the good rows, skip the bad")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="set a column's field by header or number, e.g. --map 'Cell=phone' --map 4=ignore. "
        f"Fields: {', '.join(FIELD_BY_KEY)}",
    )
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser(
        "export",
        help="export patients (with codes, for mail merge), referrals or the reward ledger",
        description="Write a CSV file (UTF-8, opens in Excel). Owner only.",
    )
    exp.add_argument("what", choices=("patients", "referrals", "ledger"))
    exp.add_argument("--out", required=True, type=out_file, help="the CSV file to write")
    exp.set_defaults(handler=cmd_export)


def _overrides(pairs: list[str]) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip():
            raise InvalidInputError(f"--map takes COLUMN=FIELD, like 'Cell=phone', not {pair!r}.")
        result[column.strip()] = field.strip() or None
    return result


def _progress(enabled: bool):  # type: ignore[no-untyped-def]
    if not enabled:
        return None

    def show(stage: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r{stage.capitalize()} {done:,} of {total:,} rows…   ")
        if stage == "writing" and done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> Output:
    options = {
        "preset": args.preset,
        "overrides": _overrides(args.map),
        "duplicates": args.duplicates,
        "encoding": args.encoding,
        "progress": _progress(sys.stderr.isatty() and not args.json),
    }
    if args.dry_run:
        preview = ctx.services.imports.preview(args.file, **options)
        blocked = bool(preview.problems) and not args.skip_bad
        text = describe_preview(preview, args.skip_bad)
        return Output(preview, text, exit_code=2 if blocked else 0)
    result = ctx.services.imports.run(ctx.actor, args.file, skip_problems=args.skip_bad, **options)
    return Output(result, describe_result(result))


def cmd_export(ctx: CliContext, args: argparse.Namespace) -> Output:
    result = ctx.services.exports.export(ctx.actor, args.what, args.out)
    noun = {"patients": "patient", "referrals": "referral", "ledger": "ledger entry"}[args.what]
    plural = (
        noun if result.rows == 1 else ("ledger entries" if noun == "ledger entry" else noun + "s")
    )
    return Output(result, f"Exported {result.rows:,} {plural} to {result.path}.")


def describe_preview(preview: ImportPreview, skip_bad: bool) -> str:
    shape = preview.shape
    chosen = (
        "chosen"
        if not shape.encoding_detected
        else f"worked out; --encoding {shape.encoding_key} to keep it"
    )
    header = f"header on line {shape.header_line}" if shape.has_header else "no header row"
    skipped = (
        f", {shape.skipped_rows:,} title/blank/total lines left out" if shape.skipped_rows else ""
    )
    lines = [
        f"{shape.file_name}: {shape.encoding} ({chosen}), {shape.delimiter}-separated, "
        f"{preview.data_rows:,} rows, {header}{skipped}.",
        *([shape.looks_like] if shape.looks_like else []),
        *(
            ["Columns matched as you chose last time for this export."]
            if shape.mapping_remembered
            else []
        ),
        "Columns: "
        + ", ".join(
            f"{c.header} → {FIELD_BY_KEY[c.field].label if c.field else '(ignored)'}"
            for c in shape.columns
        ),
        f"Ready: {preview.new_patients:,} new patient{'s' if preview.new_patients != 1 else ''}"
        + (f", {preview.merges:,} to fill in on file" if preview.merges else "")
        + ".",
    ]
    if preview.problems:
        verdict = "skipped" if skip_bad else "fix them or use --skip-bad"
        count = len(preview.problems)
        lines.append(f"\nProblems: {count:,} row{'s' if count != 1 else ''} ({verdict}):")
        lines += _rows((f"line {p.line}", p.name, " ".join(p.reasons)) for p in preview.problems)
    if preview.merged_in_file:
        count = len(preview.merged_in_file)
        lines.append(
            f"\nSame person twice in the file: {count:,} row{'s' if count != 1 else ''} merged:"
        )
        lines += _rows(
            (f"line {m.line}", m.name, " ".join(m.reasons)) for m in preview.merged_in_file
        )
    if preview.duplicates:
        count = len(preview.duplicates)
        lines.append(f"\nAlready on file: {count:,} row{'s' if count != 1 else ''}:")
        lines += _rows(
            (
                f"line {d.line}",
                d.name,
                f"{d.existing_name} ({d.existing_code or 'no code'}): {d.detail}",
            )
            for d in preview.duplicates
        )
    if preview.warnings:
        count = len(preview.warnings)
        lines.append(f"\nWarnings: {count:,} row{'s' if count != 1 else ''} (imported):")
        lines += _rows((f"line {w.line}", w.name, " ".join(w.reasons)) for w in preview.warnings)
    return "\n".join(lines)


def _rows(items):  # type: ignore[no-untyped-def]
    out = []
    for index, (where, name, reason) in enumerate(items):
        if index == SHOWN_ROWS:
            out.append("  … and more (use --json for every row)")
            break
        out.append(f"  {where:<10} {name or '(no name)'} — {reason}")
    return out


def describe_result(result: ImportResult) -> str:
    parts = [f"Imported {result.created:,} new patient{'s' if result.created != 1 else ''}"]
    if result.merged:
        parts.append(f"filled in {result.merged:,} on file")
    skipped = []
    if result.skipped_problems:
        skipped.append(f"{result.skipped_problems:,} rows with problems")
    if result.skipped_duplicates:
        skipped.append(f"{result.skipped_duplicates:,} already on file")
    text = ", ".join(parts) + f" in {result.seconds:.1f} s"
    if skipped:
        text += f" (skipped {' and '.join(skipped)})"
    return text + "."
