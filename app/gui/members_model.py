"""The members table model: SQL does the sorting, filtering and searching; Qt shows a window.

On every change of sort, segment filter or search text the model asks ``reports.member_view``
for the ordered ids of the members in view (one int64 array: 8 MB at a million members). Rows
are then fetched a page (500 members) at a time by id, only when the view paints them, and kept
in a small LRU page cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from reports import member_view
from reports.member_view import COLUMNS, HEADERS, NOT_SCORED, PAGE, ViewSpec
from reports.view_export import export_view
from scorecard.workspace import Workspace

CACHE_PAGES = 16
_LONG = {"Name", "Email", "City"}  # a narrow column cuts these short: the tooltip has it all
__all__ = ["HEADERS", "NOT_SCORED", "PAGE", "MembersModel"]


class MembersModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self._ids = np.empty(0, np.int64)
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self.sort_column = -1  # -1: member id order
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.search = ""
        self.segment: str | None = None
        self.run_id: int | None = None
        self._cache = member_view.ViewCache()
        self.set_workspace(workspace)

    # -- state -----------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self.refresh()

    def set_filter(self, *, search: str | None = None, segment: str | bool | None = False) -> None:
        """``segment``: a segment name, NOT_SCORED, or None for all (False: leave unchanged)."""
        if search is not None:
            self.search = search.strip()
        if segment is not False:
            self.segment = segment or None  # type: ignore[assignment]
        self._reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._reload()

    def spec(self) -> ViewSpec:
        """The current view as the Qt-free layer describes it."""
        return ViewSpec(self.search, self.segment, self.sort_column,
                        self.sort_order == Qt.SortOrder.DescendingOrder)

    def refresh(self) -> None:
        """Read the workspace again (after an import, an undo or a scoring run)."""
        self._cache.clear()
        self._reload()

    def forget_cached_order(self) -> None:
        """Drop the kept order and selection without reloading (benchmarks time cold sorts)."""
        self._cache.clear()

    def _reload(self) -> None:
        """The ids in view for the current filter and sort; what did not change is reused."""
        self.beginResetModel()
        self._pages.clear()
        self._ids = np.empty(0, np.int64)
        if self.workspace is not None:
            with self.workspace.engine.connect() as conn:
                self.run_id = member_view.latest_run(conn)
                self._ids = member_view.ordered_ids(conn, self.spec(), self.run_id, self._cache)
        self.endResetModel()

    def segments(self) -> list[str]:
        if self.workspace is None:
            return []
        return member_view.segments(self.workspace, self.run_id)

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole or (
                role == Qt.ItemDataRole.ToolTipRole and HEADERS[index.column()] in _LONG):
            return _display(self.row_values(index.row())[index.column()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[index.column()].number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- rows ------------------------------------------------------------------------------
    def member_id(self, row: int) -> int:
        return int(self._ids[row])

    def row_values(self, row: int) -> tuple[Any, ...]:
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(self._ids[page_no * PAGE:(page_no + 1) * PAGE])
            self._pages[page_no] = page
            while len(self._pages) > CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset]

    def _fetch(self, ids: np.ndarray) -> list[tuple[Any, ...]]:
        if self.workspace is None or len(ids) == 0:
            return []
        with self.workspace.engine.connect() as conn:
            return member_view.fetch_rows(conn, ids, self.run_id)

    def export(self, path: str | Path, progress: Callable[[float, str], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> int:
        """Write the current view (filter and order) to .xlsx or .csv; return the row count.

        Safe on a worker thread: it keeps the id array of the moment (a refresh meanwhile
        replaces the array, never changes this one) and reads through its own connections.
        """
        if self.workspace is None:
            return 0
        return export_view(self.workspace, path, ids=self._ids, run_id=self.run_id,
                           progress=progress, cancel=cancel)

    def rows_text(self, rows: list[int], columns: list[int]) -> str:
        """Tab-separated text of the given cells, for the clipboard."""
        return "\n".join(
            "\t".join(_display(self.row_values(r)[c], c) or "" for c in columns) for r in rows
        )


def _display(value: object, column: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:,.2f}" if HEADERS[column] == "Spend" else f"{value:,.0f}"
    return str(value)
