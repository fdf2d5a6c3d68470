"""The bundled print fonts, registered once per process so every desk prints alike."""

from __future__ import annotations

import logging
import threading

from PySide6.QtGui import QFont, QFontDatabase

from frontdesk.printing.text_slots import Face
from frontdesk.resource_path import resource_path

log = logging.getLogger(__name__)

SANS = "Noto Sans"
SERIF = "Noto Serif Display"
FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSerifDisplay-Regular.ttf")
_lock = threading.Lock()
_loaded = False


def ensure_fonts() -> None:
    """Register the bundled fonts (needs a QGuiApplication; safe from any thread)."""
    global _loaded
    with _lock:
        if _loaded:
            return
        for name in FILES:
            if QFontDatabase.addApplicationFont(str(resource_path(f"fonts/{name}"))) < 0:
                log.warning("could not load the print font %s; a system font stands in", name)
        _loaded = True


def print_font(face: Face, size_pt: float) -> QFont:
    """A font for paper: unhinted outlines, so metrics are the same at any resolution."""
    font = QFont(SERIF if face is Face.SERIF else SANS)
    font.setPointSizeF(size_pt)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.PreferOutline)
    font.setKerning(True)
    if face in (Face.SANS_BOLD, Face.CODE):
        font.setWeight(QFont.Weight.Bold)
    if face is Face.CODE:
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
    return font
