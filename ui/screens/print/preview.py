"""The template gallery (left) and the live page preview (right) of the Print screen."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.printing.templates import TEMPLATES
from frontdesk.ui.render import icons as qta  # qtawesome's fonts, without its import cost
from frontdesk.ui.widgets.row_model import ROW_ROLE

THUMB = QSize(132, 176)


@dataclass(frozen=True)
class GalleryEntry:
    key: str  # "cards", "cards+aftercare" or "poster:<template>"
    label: str
    detail: str

    @property
    def is_poster(self) -> bool:
        return self.key.startswith("poster:")

    @property
    def template(self) -> str | None:
        return self.key.removeprefix("poster:") if self.is_poster else None


def gallery_entries(clinic_type: str) -> list[GalleryEntry]:
    entries = [
        GalleryEntry("cards", "Referral cards", "10 per sheet, for today or chosen patients"),
        GalleryEntry("cards+aftercare", "Cards + aftercare", "Fronts, then backs for duplex"),
    ]
    # The clinic's own kind of poster first.
    for key in sorted(TEMPLATES, key=lambda k: (k != clinic_type, k)):
        entries.append(
            GalleryEntry(f"poster:{key}", f"{TEMPLATES[key].label} poster", "A4, Letter or A5")
        )
    return entries


class TemplateGallery(QListWidget):
    def __init__(self, entries: list[GalleryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateGallery")
        self.setAccessibleName("Templates")
        self.setViewMode(QListWidget.ViewMode.ListMode)
        self.setIconSize(THUMB)
        self.setSpacing(6)
        self.setFixedWidth(THUMB.width() + 58)
        self.setWordWrap(True)
        placeholder = qta.icon("mdi6.file-document-outline", color="#98A2B3")
        for entry in entries:
            item = QListWidgetItem(placeholder, entry.label, self)
            item.setData(ROW_ROLE, entry)
            item.setToolTip(entry.detail)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            item.setSizeHint(QSize(THUMB.width() + 20, THUMB.height() + 40))
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 44))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMovement(QListWidget.Movement.Static)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setCurrentRow(0)

    def entry(self) -> GalleryEntry:
        item = self.currentItem() or self.item(0)
        return item.data(ROW_ROLE)

    def select(self, key: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(ROW_ROLE).key == key:
                self.setCurrentRow(row)
                return

    def set_thumbnail(self, key: str, image: QImage) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(ROW_ROLE).key == key:
                framed = QPixmap(THUMB)
                framed.fill(Qt.GlobalColor.transparent)
                painter = QPainter(framed)
                scaled = image.scaled(
                    THUMB - QSize(6, 6),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                x = (THUMB.width() - scaled.width()) / 2
                painter.fillRect(
                    QRectF(x + 2, 4, scaled.width(), scaled.height()), QColor(0, 0, 0, 40)
                )
                painter.drawImage(QPointF(x, 2), scaled)
                painter.end()
                icon = QIcon(framed)
                icon.addPixmap(framed, QIcon.Mode.Selected)  # no tint over the thumbnail
                item.setIcon(icon)


class PageView(QWidget):
    """The current page, fitted to the space, on a soft grey desk with a shadow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setAccessibleName("Print preview")
        self.image: QImage | None = None
        self.banner = ""
        self.setMinimumSize(320, 360)

    def set_image(self, image: QImage | None, banner: str = "") -> None:
        self.image = image
        self.banner = banner
        self.update()

    def page_rect(self, aspect: float) -> QRectF:
        margin = 24.0
        room = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        width = min(room.width(), room.height() * aspect)
        height = width / aspect
        return QRectF(room.center().x() - width / 2, room.center().y() - height / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#E4E7EC"))
        if self.image is None or self.image.isNull():
            painter.setPen(QColor("#475467"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Preparing the preview…")
            return
        target = self.page_rect(self.image.width() / self.image.height())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for spread, alpha in ((6, 18), (3, 30), (1, 40)):
            painter.fillRect(
                target.adjusted(-spread + 2, -spread + 4, spread + 2, spread + 4),
                QColor(16, 24, 40, alpha),
            )
        painter.drawImage(target, self.image)
        if self.banner:
            band = QRectF(target.left(), target.top(), target.width(), 30)
            painter.fillRect(band, QColor(16, 24, 40, 200))
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, self.banner)


class PreviewPane(QWidget):
    page_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = PageView(self)
        self.previous = QToolButton(self)
        self.previous.setObjectName("previousPage")
        self.previous.setIcon(qta.icon("mdi6.chevron-left"))
        self.previous.setToolTip("Previous page (Page Up)")
        self.previous.setShortcut("PgUp")
        self.next = QToolButton(self)
        self.next.setObjectName("nextPage")
        self.next.setIcon(qta.icon("mdi6.chevron-right"))
        self.next.setToolTip("Next page (Page Down)")
        self.next.setShortcut("PgDown")
        self.label = QLabel(self)
        self.label.setObjectName("pageLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.previous)
        nav.addWidget(self.label)
        nav.addWidget(self.next)
        nav.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.view, 1)
        layout.addLayout(nav)
        self.page = 0
        self.pages = 0
        self.previous.clicked.connect(lambda: self.page_requested.emit(self.page - 1))
        self.next.clicked.connect(lambda: self.page_requested.emit(self.page + 1))
        self.show_page(None, 0, 0)

    def show_page(self, image: QImage | None, page: int, pages: int, banner: str = "") -> None:
        self.page, self.pages = page, pages
        self.view.set_image(image, banner)
        self.label.setText(f"Page {page + 1} of {pages}" if pages else "")
        self.previous.setEnabled(page > 0)
        self.next.setEnabled(page + 1 < pages)

    def preview_dpi(self, paper_height_mm: float) -> float:
        """The resolution at which a page fills the view, sharp on high-DPI screens."""
        rect = self.view.page_rect(0.7)
        pixels = max(rect.height(), 200.0) * self.devicePixelRatioF()
        return max(40.0, min(200.0, pixels / paper_height_mm * 25.4))
