"""Icons drawn from qtawesome's fonts without importing qtawesome at start-up."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QColor, QIcon
from pytestqt.qtbot import QtBot

from frontdesk.ui.render import icons


def test_glyphs_are_qtawesomes_and_draw_in_the_colour_asked(qtbot: QtBot) -> None:
    import qtawesome

    for name in ("mdi6.printer-outline", "mdi6.heart-pulse", "mdi6.chevron-left"):
        assert icons.charmap(name) == qtawesome.charmap(name)
    image = icons.icon("mdi6.heart-pulse", color="#0E7C86").pixmap(48, 48).toImage()
    painted = [
        image.pixelColor(x, y)
        for x in range(48)
        for y in range(48)
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert len(painted) > 80  # a glyph, not an empty square
    assert all(c.rgb() == QColor("#0E7C86").rgb() for c in painted)
    disabled = icons.icon("mdi6.heart-pulse").pixmap(48, 48, QIcon.Mode.Disabled).toImage()
    assert any(disabled.pixelColor(x, 24).alpha() > 0 for x in range(48))


def test_the_app_starts_without_importing_qtawesome_or_alembic() -> None:
    code = (
        "import sys, frontdesk.ui.app, frontdesk.ui.main_window;"
        "print(','.join(m for m in ('qtawesome', 'qtpy', 'alembic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
