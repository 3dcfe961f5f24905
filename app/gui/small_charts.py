"""Small charts drawn with QPainter: a histogram of a 0–100 score, and labelled score bars."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

INK, MUTED, TRACK, RULE = "#1F2933", "#5F6B7A", "#E6E9ED", "#C5CDD6"


class Histogram(QWidget):
    """Counts of a 0–100 score in equal bins, with an optional threshold marker."""

    def __init__(self, title: str, colour: str = "#2C6E8F",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.colour = QColor(colour)
        self.counts = np.zeros(0, dtype=np.int64)
        self.marker: float | None = None
        self.missing = 0
        self.setMinimumSize(150, 92)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_counts(self, counts: np.ndarray, marker: float | None = None,
                   missing: int = 0) -> None:
        self.counts = np.asarray(counts, dtype=np.int64)
        self.marker = marker
        self.missing = missing
        self.setToolTip(f"{self.title}: {int(self.counts.sum()):,} members"
                        + (f", {missing:,} without a value" if missing else ""))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(180, 100)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 7))
        head = QFont(self.font())
        head.setBold(True)
        p.setFont(head)
        p.setPen(QColor(INK))
        w, h = self.width(), self.height()
        p.drawText(QRectF(2, 0, w - 4, 16), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(small)
        p.setPen(QColor(MUTED))
        total = int(self.counts.sum())
        p.drawText(QRectF(2, 0, w - 4, 16), Qt.AlignmentFlag.AlignRight, f"n = {total:,}")
        area = QRectF(4, 20, w - 8, h - 36)
        p.setPen(QPen(QColor(RULE), 1))
        p.drawLine(area.bottomLeft(), area.bottomRight())
        bins = len(self.counts)
        top = int(self.counts.max()) if bins and total else 0
        if top:
            bar_w = area.width() / bins
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self.colour)
            for i, c in enumerate(self.counts.tolist()):  # 20 bins, not members
                bh = area.height() * c / top
                p.drawRect(QRectF(area.left() + i * bar_w + 0.5, area.bottom() - bh,
                                  max(bar_w - 1, 1), bh))
        else:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "no values")
        if self.marker is not None:
            x = area.left() + area.width() * self.marker / 100.0
            p.setPen(QPen(QColor(INK), 1, Qt.PenStyle.DashLine))
            p.drawLine(QRectF(x, area.top(), 0, area.height()).topLeft(),
                       QRectF(x, area.top(), 0, area.height()).bottomLeft())
        p.setPen(QColor(MUTED))
        for v, align in ((0, Qt.AlignmentFlag.AlignLeft), (50, Qt.AlignmentFlag.AlignHCenter),
                         (100, Qt.AlignmentFlag.AlignRight)):
            p.drawText(QRectF(area.left(), area.bottom() + 1, area.width(), 14),
                       align | Qt.AlignmentFlag.AlignTop, str(v))
        p.end()


class ScoreBars(QWidget):
    """One horizontal 0–100 bar per score, value printed, an optional marker (a threshold)."""

    ROW = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float | None, str, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[tuple[str, float | None, str, float | None]]) -> None:
        """(label, value 0–100 or None, colour, marker or None) per bar."""
        self.rows = list(rows)
        self.setFixedHeight(self.ROW * len(self.rows) + 4)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, self.ROW * max(len(self.rows), 1) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        label_w, value_w = 190, 56
        track_w = max(self.width() - label_w - value_w - 8, 40)
        for i, (label, value, colour, marker) in enumerate(self.rows):  # a handful of scores
            y = 2 + i * self.ROW
            p.setPen(QColor(INK))
            p.drawText(QRectF(0, y, label_w - 8, self.ROW),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            track = QRectF(label_w, y + 6, track_w, self.ROW - 12)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(TRACK))
            p.drawRoundedRect(track, 3, 3)
            if value is not None and not math.isnan(value):
                p.setBrush(QColor(colour))
                p.drawRoundedRect(QRectF(track.left(), track.top(),
                                         track.width() * max(min(value, 100.0), 0.0) / 100.0,
                                         track.height()), 3, 3)
            if marker is not None:
                x = track.left() + track.width() * marker / 100.0
                p.setPen(QPen(QColor(INK), 1.5))
                p.drawLine(QRectF(x, y + 3, 0, self.ROW - 6).topLeft(),
                           QRectF(x, y + 3, 0, self.ROW - 6).bottomLeft())
            p.setPen(QColor(INK if value is not None else MUTED))
            text = "—" if value is None or math.isnan(value) else f"{value:.1f}"
            p.drawText(QRectF(label_w + track_w + 8, y, value_w, self.ROW),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        p.end()


class RunLines(QWidget):
    """Scores across score runs: one line per score over the runs, oldest left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float | None], str]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_series(self, labels: Sequence[str],
                   series: Sequence[tuple[str, Sequence[float | None], str]]) -> None:
        """``labels``: one per run; ``series``: (name, value per run or None, colour)."""
        self.labels = list(labels)
        self.series = [(name, list(values), colour) for name, values, colour in series]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        area = QRectF(36, 8, self.width() - 150, self.height() - 30)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        p.setFont(small)
        for v in (0, 50, 100):
            y = area.bottom() - area.height() * v / 100
            p.setPen(QPen(QColor(TRACK), 1))
            p.drawLine(QRectF(area.left(), y, area.width(), 0).topLeft(),
                       QRectF(area.left(), y, area.width(), 0).topRight())
            p.setPen(QColor(MUTED))
            p.drawText(QRectF(0, y - 7, 30, 14), Qt.AlignmentFlag.AlignRight, str(v))
        n = len(self.labels)

        def x_of(i: int) -> float:
            return area.left() + (area.width() * (i + 0.5) / n if n else 0)

        for i, label in enumerate(self.labels):  # a handful of runs
            p.setPen(QColor(MUTED))
            p.drawText(QRectF(x_of(i) - 40, area.bottom() + 4, 80, 14),
                       Qt.AlignmentFlag.AlignCenter, label)
        for k, (name, values, colour) in enumerate(self.series):
            pen = QPen(QColor(colour), 2)
            p.setPen(pen)
            p.setBrush(QColor(colour))
            last = None
            for i, value in enumerate(values):
                if value is None or math.isnan(value):
                    last = None
                    continue
                point = QRectF(x_of(i), area.bottom() - area.height() * value / 100, 0, 0)
                if last is not None:
                    p.drawLine(last.topLeft(), point.topLeft())
                p.drawEllipse(point.topLeft(), 3.5, 3.5)
                last = point
            p.drawText(QRectF(area.right() + 12, 8 + 16 * k, 130, 14),
                       Qt.AlignmentFlag.AlignLeft, name)
        p.end()
