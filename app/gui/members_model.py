"""The members table model: SQL does the sorting, filtering and searching; Qt shows a window.

On every change of sort, segment filter or search text the model asks SQLite for the ordered
member ids that match (one integer column, kept as a compact ``array('q')``). Rows are then
fetched a page (500 members) at a time by id, only when the view paints them, and kept in a
small LRU page cache. So a million members cost 8 MB of ids and one page of rows on screen.
"""

from __future__ import annotations

import csv
from array import array
from collections import OrderedDict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from sqlalchemy import text

from scorecard.workspace import Workspace

PAGE = 500
CACHE_PAGES = 16
NOT_SCORED = "Not scored"

# (header, SQL expression, sort keys, is_number)
_REVENUE = ("(SELECT f.revenue FROM financial_snapshot f WHERE f.member_id = m.id "
            "ORDER BY f.as_of DESC, f.id DESC LIMIT 1)")
_ORDERS = ("(SELECT f.orders FROM financial_snapshot f WHERE f.member_id = m.id "
           "ORDER BY f.as_of DESC, f.id DESC LIMIT 1)")
COLUMNS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("ID", "COALESCE(m.external_id, CAST(m.id AS TEXT))", ("m.external_id",), False),
    ("Name", "TRIM(COALESCE(m.first_name, '') || ' ' || COALESCE(m.last_name, ''))",
     ("m.last_name COLLATE NOCASE", "m.first_name COLLATE NOCASE"), False),
    ("Email", "m.email", ("m.email",), False),
    ("City", "m.city", ("m.city COLLATE NOCASE",), False),
    ("Spend", _REVENUE, (_REVENUE,), True),
    ("Orders", _ORDERS, (_ORDERS,), True),
    ("K", "ms.knowledge", ("ms.knowledge",), True),
    ("P", "ms.participation", ("ms.participation",), True),
    ("R", "ms.reach", ("ms.reach",), True),
    ("S", "ms.social", ("ms.social",), True),
    ("F", "ms.financial", ("ms.financial",), True),
    ("NV", "ms.network_value", ("ms.network_value",), True),
    ("Segment", "ms.segment", ("ms.segment",), False),
)
HEADERS = [c[0] for c in COLUMNS]
_SCORE_JOIN = "LEFT JOIN member_score ms ON ms.member_id = m.id AND ms.run_id = :run"


class MembersModel(QAbstractTableModel):
    def __init__(self, workspace: Workspace | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self.sort_column = -1  # -1: member id order
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.search = ""
        self.segment: str | None = None
        self.run_id: int | None = None
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
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.refresh()

    def refresh(self) -> None:
        """Ask SQL again for the ids in view (after an import, a filter or a sort)."""
        self.beginResetModel()
        self._pages.clear()
        self._ids = array("q")
        if self.workspace is not None:
            with self.workspace.engine.connect() as conn:
                self.run_id = conn.execute(text("SELECT MAX(id) FROM score_run")).scalar()
                where, params = self._where()
                sql = f"SELECT m.id FROM member m {_SCORE_JOIN} {where} {self._order_by()}"
                raw = conn.connection.driver_connection  # plain sqlite3: 1M ints in one go
                self._ids = array("q", (r[0] for r in raw.execute(sql, params)))  # type: ignore[union-attr]
        self.endResetModel()

    def segments(self) -> list[str]:
        if self.workspace is None or self.run_id is None:
            return []
        with self.workspace.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT DISTINCT segment FROM member_score WHERE run_id = :r ORDER BY 1"),
                {"r": self.run_id},
            ).all()
        return [r[0] for r in rows]

    def _where(self) -> tuple[str, dict[str, object]]:
        clauses: list[str] = []
        params: dict[str, object] = {"run": self.run_id or -1}
        if self.search:
            escaped = self.search.replace("\\", "\\\\").replace("%", "\\%")
            params["q"] = "%" + escaped.replace("_", "\\_") + "%"
            params["exact"] = self.search
            clauses.append(
                "(m.email LIKE :q ESCAPE '\\' OR m.first_name LIKE :q ESCAPE '\\' "
                "OR m.last_name LIKE :q ESCAPE '\\' OR m.external_id LIKE :q ESCAPE '\\' "
                "OR (COALESCE(m.first_name, '') || ' ' || COALESCE(m.last_name, '')) "
                "LIKE :q ESCAPE '\\' OR CAST(m.id AS TEXT) = :exact)"
            )
        if self.segment == NOT_SCORED:
            clauses.append("ms.id IS NULL")
        elif self.segment:
            params["seg"] = self.segment
            clauses.append("ms.segment = :seg")
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _order_by(self) -> str:
        if self.sort_column < 0:
            return "ORDER BY m.id"
        direction = "DESC" if self.sort_order == Qt.SortOrder.DescendingOrder else "ASC"
        keys = COLUMNS[self.sort_column][2]
        # Blanks last in both directions, ties in member order.
        first = keys[0].split(" COLLATE")[0]
        return ("ORDER BY " + f"({first}) IS NULL, "
                + ", ".join(f"{k} {direction}" for k in keys) + f", m.id {direction}")

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return _TIPS.get(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(self.row_values(index.row())[index.column()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[index.column()][3]:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- rows ------------------------------------------------------------------------------
    def member_id(self, row: int) -> int:
        return self._ids[row]

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

    def _fetch(self, ids: array[int]) -> list[tuple[Any, ...]]:
        if self.workspace is None or not ids:
            return []
        select = ", ".join(c[1] for c in COLUMNS)
        sql = (f"SELECT m.id, {select} FROM member m {_SCORE_JOIN} "
               f"WHERE m.id IN ({','.join(str(i) for i in ids)})")
        with self.workspace.engine.connect() as conn:
            rows = conn.execute(text(sql), {"run": self.run_id or -1})
            found = {r[0]: tuple(r[1:]) for r in rows}
        blank = (None,) * len(COLUMNS)
        return [found.get(i, blank) for i in ids]

    def export_csv(self, path: str | Path) -> int:
        """Write the current view (filter and order) to CSV; return the number of rows."""
        ids = self._ids  # a refresh meanwhile replaces the array, never changes this one
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            out = csv.writer(handle)
            out.writerow(HEADERS)
            for start in range(0, len(ids), PAGE):
                for values in self._fetch(ids[start:start + PAGE]):
                    out.writerow([_csv_safe(v) for v in values])
        return len(ids)

    def rows_text(self, rows: list[int], columns: list[int]) -> str:
        """Tab-separated text of the given cells, for the clipboard."""
        return "\n".join(
            "\t".join(_display(self.row_values(r)[c], c) or "" for c in columns) for r in rows
        )


_TIPS = {
    "K": "Knowledge and involvement, 0–100",
    "P": "Participation and connection value, 0–100",
    "R": "Reach, 0–100",
    "S": "Social score: weighted mean of K, P, R",
    "F": "Financial value: percentile rank, 0–100",
    "NV": "Network value observed from referrals",
}


def _display(value: object, column: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:,.2f}" if HEADERS[column] == "Spend" else f"{value:,.0f}"
    return str(value)


def _csv_safe(value: object) -> object:
    # Text from imported files never runs as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value

