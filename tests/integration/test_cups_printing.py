"""A real print job: cards through QPrinter to the cups-pdf queue, and the PDF that lands.

Needs cupsd with a ``PDF`` queue (``bash scripts/ci/start_cups.sh``; ``scripts/dev.sh test``
runs it). The queue's output folder comes from /etc/cups/cups-pdf.conf (``Out``).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from frontdesk.printing.geometry import Paper
from frontdesk.ui.screens.print.printer import prepare_printer, print_document
from tests.printing.pdfcheck import decode_pdf, page_sizes_mm
from tests.ui.test_print_output import NAMES, cards

QUEUE = os.environ.get("FRONTDESK_TEST_PRINTER", "PDF")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
LANDING_TIMEOUT_S = 90


def _cups_running() -> bool:
    if shutil.which("lpstat") is None:
        return False
    result = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, timeout=10)
    return "scheduler is running" in result.stdout


def _output_folder() -> Path:
    """Where cups-pdf puts this user's jobs (``Out`` in cups-pdf.conf, ~/PDF by default)."""
    user = pwd.getpwuid(os.getuid())
    out = "${HOME}/PDF"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(errors="replace").splitlines():
            match = re.match(r"^\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def _landed(folder: Path, token: str) -> Path | None:
    """The job's PDF once cups-pdf has finished writing it (its size has settled)."""
    deadline = time.monotonic() + LANDING_TIMEOUT_S
    last_size = -1
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"*{token}*.pdf")) if folder.exists() else []
        if found:
            size = found[0].stat().st_size
            if size > 0 and size == last_size:
                return found[0]
            last_size = size
        time.sleep(0.5)
    return None


@pytest.fixture
def pdf_queue(qapp: object) -> QPrinterInfo:
    if not _cups_running():
        pytest.fail(
            "cupsd is not running, so no real print job can be tested. Start it with "
            "`bash scripts/ci/start_cups.sh` (scripts/dev.sh test does this for you)."
        )
    info = QPrinterInfo.printerInfo(QUEUE)
    if info.isNull():
        names = [p.printerName() for p in QPrinterInfo.availablePrinters()]
        pytest.fail(
            f"CUPS has no {QUEUE!r} queue (it has {names or 'none'}). "
            "Run `bash scripts/ci/start_cups.sh` to add the cups-pdf queue."
        )
    return info


def test_a_sheet_of_cards_printed_to_cups_lands_as_a_pdf_that_scans(
    pdf_queue: QPrinterInfo,
) -> None:
    document = cards(Paper.A4, NAMES, aftercare=True)
    token = f"frontdesk-test-{uuid.uuid4().hex[:10]}"
    printer = QPrinter(pdf_queue, QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, document.paper, token, duplex=True)
    assert printer.outputFormat() is QPrinter.OutputFormat.NativeFormat  # a real queue, not a file

    assert print_document(document, printer) == 2

    folder = _output_folder()
    landed = _landed(folder, token)
    if landed is None:
        jobs = subprocess.run(["lpstat", "-o", QUEUE], capture_output=True, text=True).stdout
        pytest.fail(
            f"The job did not land in {folder} within {LANDING_TIMEOUT_S} s. "
            f"Queue: {jobs.strip() or 'empty'}. See /var/log/cups/error_log."
        )
    try:
        sizes = page_sizes_mm(landed)
        assert len(sizes) == 2  # the fronts and their aftercare backs
        for size in sizes:
            assert size == pytest.approx(Paper.A4.size_mm, abs=1.0)
        fronts, backs = decode_pdf(landed)
        assert sorted(d.text for d in fronts) == sorted(document.payloads)
        assert backs == []
    finally:
        landed.unlink(missing_ok=True)
