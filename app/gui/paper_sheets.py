"""The sheets typed so far in a paper-entry sitting: a small table with Open again and Remove.

Enter (or a double click) on a row opens that sheet again in the form; Delete removes it. The
dialog (``app.gui.paper_entry``) owns the sheets; this widget shows them and asks for changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from survey.paper import Sheet

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SheetList(QWidget):
    open_requested = Signal(int)  # row
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(QLabel("<b>Sheets in this sitting</b>"))
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("paperSheets")
        self.table.setHorizontalHeaderLabels(["#", "Member", "Name", "Answers"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumWidth(290)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for c in (0, 1, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda _item: self._ask(self.open_requested))
        for keys, wanted in (("Return", self.open_requested), ("Enter", self.open_requested),
                             ("Delete", self.remove_requested)):
            QShortcut(QKeySequence(keys), self.table, activated=lambda w=wanted: self._ask(w),
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        column.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = button("Open again", lambda: self._ask(self.open_requested))
        self.remove_button = button("Remove", lambda: self._ask(self.remove_requested))
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        column.addLayout(row)
        self.update_buttons()

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _ask(self, signal: Signal) -> None:  # type: ignore[valid-type]
        row = self.selected_row()
        if row is not None:
            signal.emit(row)  # type: ignore[attr-defined]

    def show_sheets(self, sheets: Sequence[Sheet], names: Sequence[str]) -> None:
        self.table.setRowCount(len(sheets))
        for r, (sheet, name) in enumerate(zip(sheets, names, strict=True)):
            if not sheet.member_key:
                who = name or "(no member)"
            else:
                who = name or "(not on the member list)"
            cells = (str(r + 1), sheet.member_key or "—", who, str(len(sheet.answers)))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c in (0, 3):
                    item.setTextAlignment(RIGHT)
                self.table.setItem(r, c, item)
        self.table.scrollToBottom()
        self.update_buttons()

    def update_buttons(self) -> None:
        chosen = self.isEnabled() and self.selected_row() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)


def button(text: str, slot: Callable[[], object]) -> QPushButton:
    """A push button Enter never presses (Enter moves between answers)."""
    widget = QPushButton(text)
    widget.setAutoDefault(False)
    widget.setDefault(False)
    widget.clicked.connect(lambda _checked=False: slot())
    return widget
