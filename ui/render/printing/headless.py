"""Printing from the command line: Qt paints the files, with no window and no display.

``frontdesk print`` imports this module (the command line's one way into Qt printing, declared
in the import contracts); a QGuiApplication, offscreen where there is no display, is made on
first use.
"""

from __future__ import annotations

from pathlib import Path

from frontdesk.printing.documents import PrintDocument
from frontdesk.ui.render.offscreen import ensure_gui_application
from frontdesk.ui.render.printing.output import write_file


def export(document: PrintDocument, path: str | Path) -> list[Path]:
    """Write ``document`` to ``path`` (.pdf, or .png at 300 dpi); returns the files written."""
    ensure_gui_application()
    return write_file(document, Path(path))
