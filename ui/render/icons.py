"""Icons from the icon fonts that qtawesome ships, drawn without importing qtawesome.

Importing qtawesome star-imports all of QtGui, QtWidgets and QtOpenGL through qtpy, and its
first icon loads all eleven fonts: together ~0.35 s of every start. The window needs one
font and a dozen glyphs, so this loads a font when its first glyph is asked for. Same
names (``mdi6.printer-outline``) and the same drawing as ``qtawesome.icon``.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)

# prefix → the font file's stem in qtawesome/fonts (the charmap is "<stem>-charmap-<ver>")
FONTS = {
    "mdi6": "materialdesignicons6-webfont",
    "mdi": "materialdesignicons5-webfont",
    "fa6s": "fontawesome6-solid-webfont",
    "fa6": "fontawesome6-regular-webfont",
    "fa5s": "fontawesome5-solid-webfont",
    "fa5": "fontawesome5-regular-webfont",
    "ph": "phosphor",
    "ri": "remixicon",
    "msc": "codicon",
}
_lock = threading.Lock()
_loaded: dict[str, tuple[str, dict[str, str]]] = {}  # prefix → (family, name → glyph)


def _fonts_dir() -> Path:
    spec = importlib.util.find_spec("qtawesome")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome's icon fonts are not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _load(prefix: str) -> tuple[str, dict[str, str]]:
    with _lock:
        if prefix not in _loaded:
            stem = FONTS[prefix]
            folder = _fonts_dir()
            ttf = next(p for p in folder.glob(f"{stem}-*.ttf") if "charmap" not in p.name)
            version = ttf.stem.removeprefix(f"{stem}-")
            charmap_file = folder / f"{stem}-charmap-{version}.json"
            font_id = QFontDatabase.addApplicationFont(str(ttf))
            families = QFontDatabase.applicationFontFamilies(font_id)
            if not families:
                raise RuntimeError(f"could not load the icon font {ttf.name}")
            codes = json.loads(charmap_file.read_text(encoding="utf-8"))
            glyphs = {name: chr(int(code, 16)) for name, code in codes.items()}
            _loaded[prefix] = (families[0], glyphs)
        return _loaded[prefix]


def charmap(name: str) -> str:
    """The character of ``prefix.name`` in its icon font."""
    prefix, glyph = name.split(".", 1)
    return _load(prefix)[1][glyph]


def font(prefix: str, size: float) -> QFont:
    family, _glyphs = _load(prefix)
    result = QFont()
    result.setFamily(family)
    result.setPixelSize(round(size))
    if prefix.endswith("s"):  # the solid style of a Font Awesome set
        result.setStyleName("Solid")
    return result


# Drawn once at these sizes into a plain QIcon (Qt picks the nearest and scales for high
# DPI). A Python QIconEngine would draw lazily, but PySide frees it twice at interpreter exit.
SIZES = (16, 20, 22, 24, 26, 32, 48, 64)


def _glyph(prefix: str, char: str, size: int, color: QColor) -> QPixmap:
    image = QPixmap(size, size)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(color)
    # As qtawesome: a 16 px icon draws a 14 px glyph, leaving room for the font's bearing.
    painter.setFont(font(prefix, round(0.875 * size)))
    painter.drawText(
        QRect(QPoint(0, 0), QSize(size, size)), int(Qt.AlignmentFlag.AlignCenter), char
    )
    painter.end()
    return image


def icon(name: str, color: str | QColor | None = None, color_disabled: str | None = None) -> QIcon:
    """``icon("mdi6.printer-outline", color="#344054")``, like ``qtawesome.icon``."""
    prefix = name.split(".", 1)[0]
    char = charmap(name)
    palette = QGuiApplication.palette()
    normal = (
        QColor(color)
        if color is not None
        else palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    )
    disabled = (
        QColor(color_disabled)
        if color_disabled is not None
        else palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    )
    result = QIcon()
    for size in SIZES:
        result.addPixmap(_glyph(prefix, char, size, normal), QIcon.Mode.Normal)
        result.addPixmap(_glyph(prefix, char, size, disabled), QIcon.Mode.Disabled)
    return result
