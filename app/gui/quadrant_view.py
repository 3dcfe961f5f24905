"""The Financial × Social quadrant: x = F, y = S (0–100), thresholds drawn, a density image where
members crowd and a point for each member where they are few.

Hover shows the member under the pointer in a tooltip, a click asks for that member
(``member_clicked``), dragging draws a rubber band and reports the box in score units
(``box_selected``). Everything on the interactive path is NumPy over the arrays of a
``QuadrantIndex`` (see there); painting is two images and a few lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QRubberBand, QSizePolicy, QToolTip, QWidget

from app.gui.quadrant_index import QuadrantIndex
from scorecard.scoring.segments import SEGMENTS

SEGMENT_COLOURS = {  # as in the printed reports (reports/scorecard_parts.py)
    "Ambassadors": "#1F6F8B",
    "Advocates": "#7B5AA6",
    "Affluents": "#A4493D",
    "Base": "#5F6B7A",
    "Not surveyed": "#8C96A3",
}
SEGMENT_RGB = np.array([QColor(SEGMENT_COLOURS[s]).getRgb()[:3] for s in SEGMENTS], np.uint8)
HIT_RADIUS = 7  # pixels around the pointer that count as "on" a member
DRAG_START = 5  # pixels the mouse must move before a press becomes a rubber band
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 14, 12, 40


@dataclass(frozen=True)
class Thresholds:
    social: float
    financial: float


def _image(rgba: np.ndarray) -> QImage:
    h, w = rgba.shape[:2]
    data = np.ascontiguousarray(rgba)
    image = QImage(data.data, w, h, 4 * w, QImage.Format.Format_RGBA8888_Premultiplied)
    return image.copy()  # own the pixels: the NumPy buffer goes away


class QuadrantView(QWidget):
    member_clicked = Signal(int)  # index into the QuadrantIndex arrays
    box_selected = Signal(float, float, float, float)  # F from, F to, S from, S to
    hovered = Signal(int)  # index, -1 when over no member

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(320, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.index: QuadrantIndex | None = None
        self.thresholds = Thresholds(60.0, 75.0)
        self.describe: Callable[[int], str] = lambda i: f"Member at position {i}"
        self.density: QImage | None = None
        self._points: QImage | None = None
        self._points_size = QSize()
        self.hover = -1
        self.hover_text = ""
        self.selection: tuple[float, float, float, float] | None = None
        self._press: QPoint | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self)

    # -- data ----------------------------------------------------------------------------
    def set_index(self, index: QuadrantIndex | None, thresholds: Thresholds) -> None:
        self.index = index
        self.thresholds = thresholds
        self.density = _image(index.density_rgba(SEGMENT_RGB)) if index is not None else None
        self._points = None
        self.selection = None
        self.hover = -1
        self.update()

    def plot_rect(self) -> QRect:
        return self.rect().adjusted(MARGIN_LEFT, MARGIN_TOP, -MARGIN_RIGHT, -MARGIN_BOTTOM)

    def to_pixel(self, f: float, s: float) -> QPointF:
        r = self.plot_rect()
        return QPointF(r.left() + f / 100.0 * (r.width() - 1),
                       r.top() + (1.0 - s / 100.0) * (r.height() - 1))

    def to_scores(self, point: QPointF | QPoint) -> tuple[float, float]:
        """(F, S) under a widget pixel."""
        r = self.plot_rect()
        f = (point.x() - r.left()) / max(r.width() - 1, 1) * 100.0
        s = (1.0 - (point.y() - r.top()) / max(r.height() - 1, 1)) * 100.0
        return f, s

    def hit(self, point: QPointF | QPoint) -> tuple[int, int]:
        """(index of the member under the pointer or -1, members within reach)."""
        if self.index is None or not self.plot_rect().adjusted(-4, -4, 4, 4).contains(
                QPoint(int(point.x()), int(point.y()))):
            return -1, 0
        r = self.plot_rect()
        f, s = self.to_scores(point)
        found = self.index.nearest(f, s, HIT_RADIUS * 100.0 / max(r.width() - 1, 1),
                                   HIT_RADIUS * 100.0 / max(r.height() - 1, 1))
        return found.index, found.nearby

    def points_image(self) -> QImage | None:
        """The sparse members as dots at the plot's current size (rebuilt after a resize)."""
        if self.index is None:
            return None
        size = self.plot_rect().size()
        if self._points is None or self._points_size != size:
            self._points = _image(self.index.points_rgba(size.width(), size.height(),
                                                         SEGMENT_RGB))
            self._points_size = size
        return self._points

    # -- mouse ---------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if (pos.toPoint() - self._press).manhattanLength() >= DRAG_START:
                self._band.setGeometry(QRect(self._press, pos.toPoint()).normalized()
                                       .intersected(self.plot_rect()))
                self._band.show()
            return
        self.update_hover(pos, event.globalPosition().toPoint())

    def update_hover(self, pos: QPointF, global_pos: QPoint | None = None) -> None:
        index, nearby = self.hit(pos)
        if index != self.hover:
            self.hover = index
            self.update()
            self.hovered.emit(index)
        if index < 0:
            self.hover_text = ""
            QToolTip.hideText()
            return
        text = self.describe(index)
        if nearby > 1:
            text += f"\n{nearby - 1:,} more member(s) right here: drag a box to list them"
        self.hover_text = text
        QToolTip.showText(global_pos or self.mapToGlobal(pos.toPoint()), text, self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        press, self._press = self._press, None
        if self._band.isVisible():
            self._band.hide()
            self.select_rect(QRect(press, event.position().toPoint()).normalized())
            return
        index, _nearby = self.hit(event.position())
        if index >= 0:
            self.member_clicked.emit(index)

    def select_rect(self, rect: QRect) -> None:
        """Select the members inside a widget rectangle (what a rubber band does)."""
        f0, s1 = self.to_scores(rect.topLeft())
        f1, s0 = self.to_scores(rect.bottomRight())
        box = (max(f0, 0.0), min(f1, 100.0), max(s0, 0.0), min(s1, 100.0))
        self.selection = box
        self.update()
        self.box_selected.emit(*box)

    def clear_selection(self) -> None:
        self.selection = None
        self.update()

    def leaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.hover >= 0:
            self.hover = -1
            self.update()
        super().leaveEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._points = None  # rebuilt at the new size on the next paint
        super().resizeEvent(event)

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().base())
        r = self.plot_rect()
        p.fillRect(r, QColor("#FBFCFD"))
        self._grid(p, r)
        if self.density is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            p.drawImage(QRectF(r), self.density)
        self._thresholds(p, r)
        points = self.points_image()
        if points is not None:
            p.drawImage(r.topLeft(), points)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.selection is not None:
            f0, f1, s0, s1 = self.selection
            box = QRectF(self.to_pixel(f0, s1), self.to_pixel(f1, s0))
            p.setPen(QPen(QColor("#D08C2E"), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(QColor(208, 140, 46, 30))
            p.drawRect(box)
        if self.index is not None and self.hover >= 0:
            at = self.to_pixel(self.index.f[self.hover], self.index.s[self.hover])
            p.setPen(QPen(QColor("#1F2933"), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(at, 6, 6)
        if self.index is None or self.index.n == 0:
            p.setPen(QColor("#5F6B7A"))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "No member has both S and F yet")
        p.end()

    def _grid(self, p: QPainter, r: QRect) -> None:
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        p.setFont(small)
        for v in (0, 25, 50, 75, 100):
            x = self.to_pixel(v, 0).x()
            y = self.to_pixel(0, v).y()
            p.setPen(QPen(QColor("#E6E9ED"), 1))
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
            p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
            p.setPen(QColor("#5F6B7A"))
            p.drawText(QRectF(x - 20, r.bottom() + 3, 40, 14), Qt.AlignmentFlag.AlignCenter,
                       str(v))
            p.drawText(QRectF(r.left() - 30, y - 7, 26, 14),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(v))
        p.setPen(QColor("#1F2933"))
        p.drawText(QRectF(r.left(), r.bottom() + 18, r.width(), 16), Qt.AlignmentFlag.AlignCenter,
                   "Financial value F (percentile rank)")
        p.save()
        p.translate(12, r.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-r.height() / 2, -8, r.height(), 16), Qt.AlignmentFlag.AlignCenter,
                   "Social score S")
        p.restore()
        p.setPen(QPen(QColor("#C5CDD6"), 1))
        p.drawRect(r.adjusted(0, 0, -1, -1))

    def _thresholds(self, p: QPainter, r: QRect) -> None:
        t = self.thresholds
        x = self.to_pixel(t.financial, 0).x()
        y = self.to_pixel(0, t.social).y()
        p.setPen(QPen(QColor("#2C6E8F"), 1.5, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
        p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        pad = 6
        corners = (
            ("Ambassadors", QRectF(x + pad, r.top() + pad, r.right() - x - 2 * pad, 18),
             Qt.AlignmentFlag.AlignRight),
            ("Advocates", QRectF(r.left() + pad, r.top() + pad, x - r.left() - 2 * pad, 18),
             Qt.AlignmentFlag.AlignLeft),
            ("Affluents", QRectF(x + pad, r.bottom() - 18 - pad, r.right() - x - 2 * pad, 18),
             Qt.AlignmentFlag.AlignRight),
            ("Base", QRectF(r.left() + pad, r.bottom() - 18 - pad, x - r.left() - 2 * pad, 18),
             Qt.AlignmentFlag.AlignLeft),
        )
        for name, box, align in corners:
            colour = QColor(SEGMENT_COLOURS[name])
            colour.setAlpha(200)
            p.setPen(colour)
            p.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, name)
        p.setFont(self.font())
