"""The scoring studio's result tables: segment counts, transitions (before → after), moved members
and the run list. Each is a plain QTableWidget filled from small arrays or lists (at most a few
hundred rows: the moved-members list is capped by the page)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)

from scorecard.scoring.runs import RunInfo
from scorecard.scoring.segments import SEGMENTS

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ROOT = QModelIndex()
_KEPT = QColor(235, 235, 235)
_MOVED = QColor(255, 236, 179)


_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # once: Qt enums are slow
_RIGHT = int(RIGHT.value)


def _cell(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(_FLAGS)
    if right:
        item.setTextAlignment(RIGHT)
    return item


def _number(value: int) -> QTableWidgetItem:
    return _cell(f"{value:,}", right=True)


def _score(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.1f}"  # NaN: no score


def table(headers: Sequence[str], *, stretch: int | None = None) -> QTableWidget:
    """A read-only table; column ``stretch`` takes the spare width."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(24)
    if stretch is not None:
        t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def fit_height(t: QTableWidget) -> None:
    """Size a small table to its contents, every row shown without a scroll bar.

    Columns are measured once here: a ResizeToContents header measures again on every item
    set, which made a 7 × 6 table cost the GUI thread ~15 ms.
    """
    t.resizeColumnsToContents()
    t.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    t.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def fill_counts(t: QTableWidget, before: dict[str, int], after: dict[str, int]) -> None:
    """Segment | before | what if | change."""
    t.setRowCount(len(SEGMENTS))
    for r, name in enumerate(SEGMENTS):
        a, b = before.get(name, 0), after.get(name, 0)
        t.setItem(r, 0, _cell(name))
        t.setItem(r, 1, _number(a))
        t.setItem(r, 2, _number(b))
        change = _cell(f"{b - a:+,}" if b != a else "–", right=True)
        if b != a:
            change.setForeground(QBrush(QColor(0, 110, 0) if b > a else QColor(170, 0, 0)))
        t.setItem(r, 3, change)
    fit_height(t)


def fill_transitions(t: QTableWidget, rows: Sequence[str], cols: Sequence[str],
                     matrix: np.ndarray | Sequence[Sequence[int]]) -> None:
    """Members from each row segment (before) to each column segment (after)."""
    t.setRowCount(len(rows))
    t.setColumnCount(len(cols) + 1)
    t.setHorizontalHeaderLabels(["Before ↓  /  after →", *cols])
    bold = QFont()
    bold.setBold(True)
    for r, name in enumerate(rows):
        t.setItem(r, 0, _cell(name))
        for c, dst in enumerate(cols):
            count = int(matrix[r][c])
            item = _cell(f"{count:,}" if count else "·", right=True)
            if name == dst:
                item.setBackground(QBrush(_KEPT))
            elif count:
                item.setBackground(QBrush(_MOVED))
                item.setFont(bold)
                item.setToolTip(f"{count:,} members from {name} to {dst}: click to list them")
            t.setItem(r, c + 1, item)
    fit_height(t)


MOVE_HEADERS = ("Member", "ID", "Before", "After", "S before", "S after", "F")


class MovesModel(QAbstractTableModel):
    """Moved members: name, external id, segment before and after, then scores (S, F).

    A model, not table items: the view asks only for the rows on screen, so showing 500 moves
    costs the GUI thread next to nothing (items for them took ~150 ms).
    """

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self.rows: list[tuple[object, ...]] = []

    def set_rows(self, rows: list[tuple[object, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.rows[index.row()][c]
            return str(value) if c < 4 else _score(value)  # type: ignore[arg-type]
        if role == Qt.ItemDataRole.TextAlignmentRole and c >= 4:
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def moves_view(model: MovesModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never measures rows
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    fm = view.fontMetrics()
    samples = ("", "0000000000000", "Ambassadors", "Ambassadors", "S before", "S after",
               "100.0")  # the widest a cell usually gets, measured once instead of per row
    for c, sample in enumerate(samples[1:len(model.headers)], start=1):
        view.setColumnWidth(c, fm.horizontalAdvance(sample) + 14)
    return view


RUN_HEADERS = ("Run", "When", "Config", "Members", *SEGMENTS)


def fill_runs(t: QTableWidget, runs: Sequence[RunInfo]) -> None:
    """Newest first."""
    t.setRowCount(len(runs))
    for r, run in enumerate(reversed(runs)):
        t.setItem(r, 0, _number(run.id))
        t.setItem(r, 1, _cell(f"{run.created_at.astimezone():%Y-%m-%d %H:%M}"))
        t.setItem(r, 2, _cell(run.config_name))
        t.setItem(r, 3, _number(run.members_scored))
        for c, name in enumerate(SEGMENTS, start=4):
            t.setItem(r, c, _number(int(run.segments.get(name, 0))))
    t.resizeColumnsToContents()
