"""The Members page: search, segment filter, the SQL-backed table, copy and export of the view."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.heading import page_heading
from app.gui.members_model import NOT_SCORED, MembersModel
from app.gui.worker import Op
from reports.member_view import HEADERS
from scorecard.workspace import Workspace

ALL = "All segments"
EXPORT_FILTERS = "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)"
# Columns are sized from what their cells typically hold, before any row is read: the fixed
# ones to fit a whole value, the text ones share what is left of the width (down to a floor,
# then the table scrolls sideways) until the user resizes one by hand.
_FIXED = {"ID": "7012345678901", "Spend": "12,345.67", "Orders": "1,234", "NV": "1,234",
          "Segment": "Not surveyed"}  # fmt: skip
_TEXT = {"Name": ("Maartje de Jong", 3), "Email": ("anna96@ziggo.nl", 4),
         "City": ("Amsterdam", 2)}  # (what fits at least, share of the rest of the width)


class MembersPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.model = MembersModel(parent=self)
        layout = QVBoxLayout(self)
        heading = page_heading("Members")
        layout.addWidget(heading)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, email or id…")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._apply_search)
        bar.addWidget(self.search, 1)
        self.segment = QComboBox()
        self.segment.currentTextChanged.connect(self._apply_segment)
        bar.addWidget(self.segment)
        self.count = QLabel()
        bar.addWidget(self.count)
        # One action for the button and its shortcut; the main window may also list it in
        # its File menu (``members_page.export_action``).
        self.export_action = QAction("Export view…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_action.setToolTip("Save the members shown — this search, segment and "
                                      "order — as an Excel workbook or CSV (Ctrl+E)")
        self.export_action.triggered.connect(lambda _checked=False: self.export_view())
        self.addAction(self.export_action)
        self.export_button = QToolButton()
        self.export_button.setDefaultAction(self.export_action)
        self.export_button.setText("Export view…")  # a tool button drops the "…" otherwise
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self._size_columns()
        copy = QAction("Copy", self.table)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.table.addAction(copy)
        layout.addWidget(self.table, 1)
        self.export_op: Op | None = None
        self.export_message = ""
        self.model.modelReset.connect(self._update_count)
        self.export_action.setEnabled(False)

    def _size_columns(self) -> None:
        self._fitting = False
        self._hand_sized = False
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("100") + 12)
        header.sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        self.fit_columns()

    def _section_resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self._hand_sized = True  # the user's widths win from now on

    def fit_columns(self) -> None:
        """Size every column for its header (and sort arrow) and a typical value; the text
        columns share the rest of the width."""
        if self._hand_sized:
            return
        cell, bold = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()

        def fits(text: str, title: str) -> int:
            return max(cell.horizontalAdvance(text) + 14, bold.horizontalAdvance(title) + 26)

        widths = {t: fits(_FIXED.get(t, "100"), t) for t in HEADERS if t not in _TEXT}
        floor = {t: fits(low, t) for t, (low, _share) in _TEXT.items()}
        room = self.table.viewport().width() - sum(widths.values()) - sum(floor.values())
        shares = sum(share for _low, share in _TEXT.values())
        for title, (_low, share) in _TEXT.items():
            widths[title] = floor[title] + max(room, 0) * share // shares
        self._fitting = True
        for column, title in enumerate(HEADERS):
            self.table.setColumnWidth(column, widths[title])
        self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit_columns()  # the window, or the vertical scroll bar, changed the width
        return super().eventFilter(watched, event)

    def set_workspace(self, workspace: Workspace | None) -> None:
        self.model.set_workspace(workspace)
        self._fill_segments()
        self.export_action.setEnabled(workspace is not None)

    def refresh(self) -> None:
        self.model.refresh()
        self._fill_segments()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _fill_segments(self) -> None:
        self.segment.blockSignals(True)
        self.segment.clear()
        self.segment.addItems([ALL, *self.model.segments(), NOT_SCORED])
        current = self.model.segment or ALL
        self.segment.setCurrentText(current)
        self.segment.blockSignals(False)

    def _apply_search(self) -> None:
        self._debounce.stop()
        if self.search.text().strip() != self.model.search:
            self.model.set_filter(search=self.search.text())

    def _apply_segment(self, name: str) -> None:
        self.model.set_filter(segment=None if name in ("", ALL) else name)

    def _update_count(self) -> None:
        if self.model.workspace is None:
            self.count.setText("")
            return
        self.count.setText(f"{self.model.rowCount():,} members")

    def copy_selection(self) -> None:
        selection = self.table.selectionModel().selectedIndexes()
        if not selection:
            return
        rows = sorted({i.row() for i in selection})
        columns = sorted({i.column() for i in selection})
        QApplication.clipboard().setText(self.model.rows_text(rows, columns))

    # -- export --------------------------------------------------------------------------------
    def export_view(self, path: str | None = None) -> Op | None:
        """Save the view as shown (search, segment, order) to .xlsx or .csv in the background,
        with a progress dialog and Cancel; returns the running Op."""
        if self.model.workspace is None or (self.export_op is not None
                                            and self.export_op.running):
            return None
        if not path:
            path, chosen = QFileDialog.getSaveFileName(
                self, "Export the members shown", str(Path.home() / "members.xlsx"),
                EXPORT_FILTERS)
            if path and not Path(path).suffix:
                path += ".csv" if chosen.startswith("CSV") else ".xlsx"
        if not path:
            return None
        target, model = path, self.model
        count = model.rowCount()
        op = Op(lambda progress, cancel: model.export(target, progress, cancel),
                title=f"Export {count:,} members", parent=self)
        op.succeeded.connect(lambda n: self._say(f"Exported {n:,} members to {target}"))
        op.cancelled.connect(lambda: self._say("Export cancelled; no file was written"))
        op.finished.connect(lambda: self.export_action.setEnabled(True))
        self.export_action.setEnabled(False)
        self.export_op = op.start(self, progress_dialog=True)
        return op

    def _say(self, text: str) -> None:
        self.export_message = text
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)
