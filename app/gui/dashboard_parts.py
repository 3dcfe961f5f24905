"""Parts of the Dashboard: a key figure, the segment table, the list of selected members."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.member_list_model import LabelFn, MemberListModel
from app.gui.quadrant_view import SEGMENT_COLOURS
from reports.run_data import RunData, SegmentRow
from scorecard.scoring.segments import SEGMENTS

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MUTED = "color: #5F6B7A;"


class KeyFigure(QFrame):
    """A big number with a caption (the caption may hold a link)."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("KeyFigure { background: #F4F6F8; border: 1px solid #E6E9ED; "
                           "border-radius: 4px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 18px; font-weight: 600; color: #1F2933;")
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #5F6B7A;")
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class SegmentTable(QTableWidget):
    """Members, shares, revenue share and mean scores per segment."""

    def __init__(self) -> None:
        super().__init__(len(SEGMENTS), 6)
        self.setHorizontalHeaderLabels(["Segment", "Members", "Share", "Revenue", "Mean S",
                                        "Mean F"])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setToolTip("Double-click a segment to list its members on the Members page")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setFixedHeight(22 * len(SEGMENTS) + 28)

    def fill(self, segments: list[SegmentRow], currency: str) -> None:
        for row, seg in enumerate(segments):  # five segments
            values = (seg.name, f"{seg.members:,}", f"{seg.member_share:.1%}",
                      f"{seg.revenue_share:.1%}",
                      "—" if seg.mean_social is None else f"{seg.mean_social:.1f}",
                      "—" if seg.mean_financial is None else f"{seg.mean_financial:.1f}")
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(RIGHT)
                else:
                    item.setData(Qt.ItemDataRole.DecorationRole,
                                 QColor(SEGMENT_COLOURS[seg.name]))
                if column == 3:
                    item.setToolTip(f"{seg.revenue:,.0f} {currency}".strip())
                self.setItem(row, column, item)


class SelectionPanel(QWidget):
    """The members in a rubber band (or behind a warning): a title, a count, the table."""

    member_activated = Signal(int)  # double-clicked: a member id

    def __init__(self) -> None:
        super().__init__()
        v = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        v.addWidget(self.title)
        self.count = QLabel()
        self.count.setStyleSheet("font-weight: 600;")
        v.addWidget(self.count)
        self.model = MemberListModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        header = self.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        # Fixed rows: a quarter of a million listed members must not be measured one by one.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        for column, width in enumerate((150, 108, 38, 38, 38, 88)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(
            lambda index: self.member_activated.emit(self.model.member_id(index.row())))
        v.addWidget(self.view, 1)
        hint = QLabel("Double-click a member to open their detail.")
        hint.setStyleSheet(MUTED)
        v.addWidget(hint)
        self.clear()

    def clear(self) -> None:
        self.model.set_rows(None, np.zeros(0, np.int64), lambda _ids: {})
        self.title.setText("Drag a box on the chart to list the members in it.")
        self.count.setText("")

    def show_rows(self, run: RunData | None, rows: np.ndarray, title: str, labels: LabelFn,
                  orders: dict[int, np.ndarray] | None) -> None:
        self.model.set_rows(run, rows, labels, orders)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.title.setText(title + " (highest S first)")
        self.count.setText(f"{len(rows):,} member" + ("" if len(rows) == 1 else "s"))
