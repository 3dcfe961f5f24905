"""The Members page: search, segment filter, the SQL-backed table, copy and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.members_model import NOT_SCORED, MembersModel
from app.gui.worker import Op
from scorecard.workspace import Workspace

ALL = "All segments"


class MembersPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.model = MembersModel(parent=self)
        layout = QVBoxLayout(self)
        heading = QLabel("Members")
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
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
        self.export_button = QPushButton("Export view…")
        self.export_button.clicked.connect(self.export_view)
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
        widths = (115, 150, 175, 90, 80, 55, 38, 38, 38, 38, 38, 45, 90)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        copy = QAction("Copy", self.table)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.table.addAction(copy)
        layout.addWidget(self.table, 1)
        self.export_op: Op | None = None
        self.model.modelReset.connect(self._update_count)

    def set_workspace(self, workspace: Workspace | None) -> None:
        self.model.set_workspace(workspace)
        self._fill_segments()
        self.export_button.setEnabled(workspace is not None)

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

    def export_view(self, path: str | None = None) -> Op | None:
        """Export the current view (filter and order) to CSV in the background."""
        if self.model.workspace is None:
            return None
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export members", str(Path.home() / "members.csv"), "CSV (*.csv)"
            )
        if not path:
            return None
        target = path
        model = self.model
        op = Op(lambda _p, _c: model.export_csv(target), title="Export members", parent=self)
        op.succeeded.connect(lambda n: self.window().statusBar().showMessage(  # type: ignore[attr-defined]
            f"Exported {n:,} members to {target}", 8000))
        self.export_op = op.start(self)
        return op
