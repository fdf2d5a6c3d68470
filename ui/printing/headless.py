"""Printing from the command line: Qt paints the files, with no window and no display.

``frontdesk.commands.printing`` reaches this module through importlib, so the core never
imports Qt; a QGuiApplication (offscreen where there is no display) is made on first use.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from frontdesk.printing.documents import PrintDocument
from ui.printing.output import write_file

_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    global _app
    if QGuiApplication.instance() is not None:
        return
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["frontdesk"])


def export(document: PrintDocument, path: str | Path) -> list[Path]:
    """Write ``document`` to ``path`` (.pdf, or .png at 300 dpi); returns the files written."""
    ensure_gui_application()
    return write_file(document, Path(path))
