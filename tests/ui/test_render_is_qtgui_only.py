"""The command line paints cards, posters and the report with QtGui alone.

import-linter cannot name ``PySide6.QtWidgets`` (a subpackage of an external package), so this
test is the contract: one fresh process prints a sheet of cards, a poster and a report PDF
through ``frontdesk.ui.render`` and must not have loaded the widget module on the way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from frontdesk.cli.main import main
db, out = sys.argv[1], sys.argv[2]
for args in (
    ["init", "--clinic", "Harbour Physio", "--country", "GB", "--booking-url", "https://h.example/book"],
    ["demo", "--patients", "12", "--seed", "3"],
    ["print", "cards", "--out", out + "/cards.pdf", "--patients", "a"],
    ["print", "posters", "--out", out + "/poster.png"],
    ["report", "--month", "2026-11", "--format", "pdf", "--out", out + "/report.pdf"],
):
    assert main(["--db", db, *args]) == 0, args
print("widgets loaded:", "PySide6.QtWidgets" in sys.modules)
"""


def test_printing_from_the_command_line_loads_no_widgets(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FRONTDESK_HOME": str(tmp_path)}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "clinic.sqlite3"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "widgets loaded: False"
    assert (tmp_path / "cards.pdf").stat().st_size > 10_000
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert list(tmp_path.glob("poster*.png"))
