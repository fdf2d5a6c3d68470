"""The one Qt application painting needs: fonts and QPdfWriter want a QGuiApplication.

The command line has no window and often no display, so it gets an offscreen one, made on
first use. The GUI (and pytest-qt) make their QApplication first, and this reuses it.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QGuiApplication

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
