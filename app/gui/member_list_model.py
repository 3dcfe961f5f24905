"""A table of some members of a run (a rubber-band selection, the rows behind a warning).

Holds only their positions in the run's arrays; scores come from those arrays, names are
fetched a page at a time when the view paints them. Orders are computed once per run over all
members (``run_orders``, on the worker thread); listing or sorting a selection then only
filters such an order through a mask of the selection, with no sort at all, so a quarter of a
million members are listed in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from reports.run_data import MemberLabel, RunData
from scorecard.scoring.segments import SEGMENTS

HEADERS = ("Name", "Member no.", "S", "F", "NV", "Segment")
PAGE = 200
LabelFn = Callable[[Sequence[int]], dict[int, MemberLabel]]
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
BEST_FIRST = -1  # the default order: highest S first, then highest F, then member order
SORTABLE = (2, 3, 4, 5)  # S, F, NV, segment; name and number keep the current order


def run_orders(run: RunData) -> dict[int, np.ndarray]:
    """All of a run's positions in each order a list can show: ``BEST_FIRST``, and each
    sortable column ascending (missing first, ties in member order)."""
    # One integer key (scores are stored to 2 decimals): a stable sort of one key is several
    # times faster than a lexsort of three.
    s = np.rint(np.nan_to_num(run.social, nan=-1.0) * 100).astype(np.int64)
    f = np.rint(np.nan_to_num(run.financial, nan=-1.0) * 100).astype(np.int64)
    orders = {BEST_FIRST: np.argsort(-(s * 20_000 + f), kind="stable")}
    for column, values in zip(SORTABLE, (run.social, run.financial, run.network_value,
                                         run.segment.astype(np.float64)), strict=True):
        orders[column] = np.argsort(np.nan_to_num(values, nan=-1.0), kind="stable")
    return orders


class MemberListModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run: RunData | None = None
        self.rows = np.zeros(0, dtype=np.int64)  # positions in the run, in display order
        self.labels: LabelFn = lambda _ids: {}
        self.orders: dict[int, np.ndarray] = {}
        self._pages: dict[int, dict[int, MemberLabel]] = {}

    def set_rows(self, run: RunData | None, rows: np.ndarray, labels: LabelFn,
                 orders: dict[int, np.ndarray] | None = None) -> None:
        """Show these run positions, highest S first (then F). ``orders``: the run's
        ``run_orders`` (computed here when not given: slower for a large run)."""
        self.beginResetModel()
        if orders is not None:
            self.orders = orders
        elif run is not self.run:
            self.orders = {}  # another run's orders: made afresh when needed
        self.run, self.labels, self._pages = run, labels, {}
        rows = np.asarray(rows, dtype=np.int64)
        if run is not None and len(rows):
            if not self.orders:
                self.orders = run_orders(run)
            rows = self._in_order(self.orders[BEST_FIRST], rows)
        self.rows = rows
        self.endResetModel()

    def _in_order(self, order: np.ndarray, rows: np.ndarray) -> np.ndarray:
        assert self.run is not None
        chosen = np.zeros(self.run.n, dtype=bool)
        chosen[rows] = True
        return order[chosen[order]]

    def member_id(self, row: int) -> int:
        assert self.run is not None
        return int(self.run.member_ids[self.rows[row]])

    def member_ids(self) -> np.ndarray:
        if self.run is None:
            return np.zeros(0, dtype=np.int64)
        return self.run.member_ids[self.rows]

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or self.run is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column <= 4:
            return RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        pos = int(self.rows[index.row()])
        if column <= 1:
            label = self._label(index.row())
            if label is None:
                return f"Member {self.run.member_ids[pos]}" if column == 0 else ""
            return label.name if column == 0 else (label.external_id or str(label.member_id))
        if column == 5:
            return SEGMENTS[int(self.run.segment[pos])]
        value = (self.run.social, self.run.financial, self.run.network_value)[column - 2][pos]
        return "" if np.isnan(value) else f"{value:.1f}"

    def _label(self, row: int) -> MemberLabel | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            assert self.run is not None
            ids = self.run.member_ids[self.rows[page_no * PAGE:(page_no + 1) * PAGE]]
            page = self.labels(ids.tolist())
            if len(self._pages) > 32:  # a small cache: scrolling far drops old pages
                self._pages.clear()
            self._pages[page_no] = page
        return page.get(self.member_id(row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Scores and segment sort by their precomputed order (descending: reversed, so ties
        run in reverse member order); name and member number keep the current order."""
        if self.run is None or not len(self.rows) or column not in SORTABLE:
            return
        rows = self._in_order(self.orders[column], self.rows)
        self.beginResetModel()
        self.rows = rows[::-1] if order == Qt.SortOrder.DescendingOrder else rows
        self._pages = {}
        self.endResetModel()
