"""The Imports page: every import batch with its counts; Undo and Export rejected rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.heading import page_heading
from app.gui.worker import Op
from scorecard.batches import BatchSummary, export_rejects, list_batches, undo_batch
from scorecard.workspace import Workspace

HEADERS = ("Batch", "Kind", "File", "Dialect", "When", "Status", "Rows", "New", "Updated",
           "Rejected", "Unmatched")


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ImportsPage(QWidget):
    changed = Signal()  # a batch was undone: the other pages refresh
    import_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self.batches: list[BatchSummary] = []
        self.op: Op | None = None
        layout = QVBoxLayout(self)
        heading = page_heading("Imports")
        layout.addWidget(heading)
        layout.addWidget(QLabel("Member lists, survey exports, referrals and engagement files "
                                "you imported. Undo removes everything a batch added or changed."))
        bar = QHBoxLayout()
        self.import_button = QPushButton("Import a file…")
        self.import_button.clicked.connect(self.import_requested)
        self.undo_button = QPushButton("Undo batch…")
        self.undo_button.clicked.connect(lambda: self.undo_selected())
        self.rejects_button = QPushButton("Export rejected rows…")
        self.rejects_button.clicked.connect(lambda: self.export_selected_rejects())
        for button in (self.import_button, self.undo_button, self.rejects_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self.refresh()

    def refresh(self) -> None:
        self.batches = list_batches(self.workspace) if self.workspace is not None else []
        self.table.setRowCount(len(self.batches))
        for row, b in enumerate(reversed(self.batches)):  # newest first
            values = (b.id, b.kind, b.file_name, b.dialect or "", f"{b.created_at:%Y-%m-%d %H:%M}",
                      b.status, b.rows, b.inserted, b.updated, b.rejected, b.unmatched)
            for column, value in enumerate(values):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):  # counts line up by their last digit
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> BatchSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return list(reversed(self.batches))[rows[0].row()]

    def _update_buttons(self) -> None:
        b = self.selected()
        self.import_button.setEnabled(self.workspace is not None)
        self.undo_button.setEnabled(b is not None and b.status == "committed")
        self.rejects_button.setEnabled(b is not None and b.rejected > 0)

    def undo_selected(self, confirm: bool = True) -> Op | None:
        b = self.selected()
        if b is None or self.workspace is None:
            return None
        if confirm:
            answer = QMessageBox.question(
                self, "Undo import",
                f"Undo batch {b.id} ({b.file_name})?\n\nEverything it added is removed and the "
                f"members it changed get their earlier values back.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        ws, batch_id = self.workspace, b.id
        op = Op(lambda _p, _c: undo_batch(ws, batch_id), title="Undo import", parent=self)
        op.finished.connect(self.refresh)
        op.succeeded.connect(lambda _r: self.changed.emit())
        self.op = op.start(self, progress_dialog=True)
        return op

    def export_selected_rejects(self, path: str | None = None) -> Op | None:
        b = self.selected()
        if b is None or self.workspace is None:
            return None
        return export_rejects_op(self, self.workspace, b.id, path)


def export_rejects_op(parent: QWidget, ws: Workspace, batch_id: int,
                      path: str | None = None) -> Op | None:
    """Ask where (unless given) and write a batch's rejected rows there, in the background."""
    if not path:
        path, _ = QFileDialog.getSaveFileName(
            parent, "Export rejected rows", str(Path.home() / f"rejects-{batch_id}.csv"),
            "CSV (*.csv)",
        )
    if not path:
        return None
    target = path
    op = Op(lambda _p, _c: export_rejects(ws, batch_id, target), title="Export rejected rows",
            parent=parent)
    return op.start(parent)
