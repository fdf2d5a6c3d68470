"""Realistic patient lists as real CSV files: mixed phone formats, accents, blanks."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from frontdesk.services.demo.names import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, STREETS

HEADER = (
    "First Name",
    "Last Name",
    "Mobile",
    "Email",
    "Date of Birth",
    "Address 1",
    "Post Code",
    "SMS Consent",
)


def gb_mobile(rng: random.Random, index: int) -> str:
    """A distinct, valid GB mobile (07700 9xxxxx is Ofcom's drama range; 07 4-9 are real)."""
    digits = f"7{rng.choice('45789')}{index:08d}"
    style = index % 4
    if style == 0:
        return f"0{digits[:4]} {digits[4:]}"
    if style == 1:
        return f"+44 {digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == 2:
        return f"0{digits}"
    return f"(0{digits[:4]}) {digits[4:7]}-{digits[7:]}"


def patient_rows(count: int, seed: int = 1) -> list[tuple[str, ...]]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}{index}".lower().replace("'", "").replace(" ", "")
        rows.append(
            (
                first,
                last,
                gb_mobile(rng, index),
                f"{local}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.9 else "",
                f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 13):02d}/"
                f"{rng.randrange(1940, 2010)}",
                f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                f"HB{rng.randrange(1, 9)} {rng.randrange(1, 9)}QA",
                rng.choice(("Yes", "No", "yes", "Y", "")),
            )
        )
    return rows


def write_csv(
    path: Path,
    rows: list[tuple[str, ...]],
    *,
    header: tuple[str, ...] = HEADER,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path
