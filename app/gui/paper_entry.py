"""Enter paper questionnaires: type a stack of returned forms in, keyboard only, save as a batch.

Per sheet: scan the QR code on the form (a scanner types the member number and Enter) or type the
number, check the name shown, then type the answers box by box (``app.gui.paper_fields``).
Ctrl+Enter keeps the sheet in the sitting and clears the form for the next; the sheets typed so
far are listed and can be opened again or removed. "Save sitting" writes them all as one import
batch (``survey.paper.save_sitting``, in the background), which the Imports page can undo.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.paper_fields import MUTED, MemberBox, SheetForm, separator
from app.gui.paper_sheets import SheetList, button
from app.gui.worker import Op
from scorecard.workspace import Workspace
from survey.importing import ImportResult
from survey.paper import (
    Field,
    Sheet,
    clean_member_key,
    declined,
    default_wave,
    paper_fields,
    read_sheet,
    wave_names,
)
from survey.paper import save_sitting as save_sheets

ERROR_STYLE = "color: #c62828;"


class PaperEntryDialog(QDialog):
    """Type returned paper questionnaires into ``ws``; ``saved`` carries each ImportResult."""

    saved = Signal(object)  # ImportResult

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("paperEntry")
        self.setWindowTitle("Enter paper questionnaires")
        self.category = ws.settings().get("category") or "products"
        self.fields = paper_fields(self.category)
        self.sheets: list[Sheet] = []
        self.names: list[str] = []  # the name shown for each sheet's member
        self.editing: int | None = None  # index of the sheet opened again, if any
        self.op: Op | None = None
        self.result: ImportResult | None = None
        self.discard_box: QMessageBox | None = None
        self._closing = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(4)
        outer.addLayout(self._top_bar())
        self.member_box = MemberBox(ws, self._other_sheets)
        self.member_box.row.addWidget(self.counts)
        self.member_edit = self.member_box.edit
        self.member_edit.moved.connect(self._member_entered)
        self.member_edit.done.connect(self.next_sheet)
        outer.addWidget(self.member_box)
        outer.addWidget(separator())
        body = QHBoxLayout()
        body.setSpacing(14)
        self.form = SheetForm(self.category)
        self.form.changed.connect(self._update_counts)
        self.form.focused.connect(self._show_field)
        self.form.left_first.connect(lambda: self.member_edit.setFocus())
        self.form.done.connect(self.next_sheet)
        body.addWidget(self.form, 0, Qt.AlignmentFlag.AlignTop)
        self.list = SheetList()
        self.list.open_requested.connect(self.edit_sheet)
        self.list.remove_requested.connect(self.remove_sheet)
        self.table = self.list.table
        body.addWidget(self.list, 1)
        outer.addLayout(body, 1)
        outer.addWidget(separator())
        self.help_line = QLabel(" ")
        self.help_line.setWordWrap(True)
        self.help_line.setObjectName("paperHelp")
        outer.addWidget(self.help_line)
        self.message = QLabel(" ")
        self.message.setWordWrap(True)
        self.message.setObjectName("paperMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)
        outer.addLayout(self._buttons())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.next_sheet)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save_sitting)
        QShortcut(QKeySequence("Ctrl+M"), self, activated=lambda: self.member_edit.setFocus())
        self._update_counts()
        self.resize(1180, 690)
        self.member_edit.setFocus()

    # -- building ----------------------------------------------------------------------------
    def _top_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.wave = QComboBox()
        self.wave.setEditable(True)
        self.wave.setMinimumWidth(200)
        names = wave_names(self.ws)
        self.wave.addItems(list(dict.fromkeys([*names, default_wave()])))
        self.wave.setToolTip("The survey wave these forms belong to: pick one or type a new name")
        self.typist = QLineEdit()
        self.typist.setPlaceholderText("optional")
        self.typist.setMaximumWidth(160)
        self.counts = QLabel()
        self.counts.setObjectName("paperCounts")
        self.counts.setStyleSheet("font-weight: 600;")
        self.counts.setMinimumWidth(self.counts.fontMetrics().horizontalAdvance(
            "Sheet 000 · 71 of 71 answered · 71 to fix") + 12)  # room for the longest it says
        row.addWidget(QLabel("Wave:"))
        row.addWidget(self.wave)
        row.addSpacing(12)
        row.addWidget(QLabel("Typed by:"))
        row.addWidget(self.typist)
        row.addStretch(1)
        return row

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.next_button = button("Next sheet (Ctrl+Enter)", self.next_sheet)
        self.clear_button = button("Clear sheet", self.clear_sheet)
        self.save_button = button("Save sitting (Ctrl+S)", self.save_sitting)
        self.save_button.setObjectName("saveSitting")
        close = button("Close", self.close)
        row.addWidget(self.next_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(close)
        return row

    # -- the member ---------------------------------------------------------------------------
    def _member_entered(self, step: int) -> None:
        """Enter in the member field: look the number up; on to the answers when it is known
        (or when Enter is pressed again on a number the member list does not have)."""
        if step < 0:
            return
        before = self.member_box.looked_up
        found = self.member_box.look_up()
        text = self.member_edit.text()
        if found is not None or not clean_member_key(text) or before == text:
            self.form.focus_first()

    def _other_sheets(self, key: str) -> list[int]:
        """The numbers of the other kept sheets of this member (the later one counts)."""
        return [n for n, s in enumerate(self.sheets, 1)
                if s.member_key == key and n - 1 != self.editing]

    # -- sheets ------------------------------------------------------------------------------
    def current_sheet(self) -> Sheet | None:
        """The sheet on screen, or None when nothing is typed."""
        values = self.form.values()
        if not values and not self.member_edit.text().strip():
            return None
        self.member_box.look_up()  # also puts the member's own number in the box
        return Sheet(self.member_edit.text().strip() or None, values, datetime.now(UTC))

    def _problem(self) -> str | None:
        """Why the sheet on screen cannot be kept yet (and the cursor put where it is)."""
        problems = self.form.problems()
        if problems:
            f, message = problems[0]
            self.form.focus_field(f)
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            return message + more
        if not self.form.values():
            self.form.focus_first()
            return "This sheet has no answers yet: type them, or Clear sheet"
        return None

    def next_sheet(self) -> bool:
        """Keep the sheet on screen in the sitting and clear the form for the next one."""
        sheet = self.current_sheet()
        if sheet is None:
            self._say("Nothing typed on this sheet yet", error=True)
            self.member_edit.setFocus()
            return False
        problem = self._problem()
        if problem is not None:
            self._say(problem, error=True)
            return False
        member = self.member_box.member
        name = member.name if member is not None else ""
        if declined(read_sheet(sheet, self.category)[0]):
            name = f"{name} · consent No".strip(" ·")  # saved without the member
        if self.editing is not None:
            sheet.entered_at = self.sheets[self.editing].entered_at  # its place in time stays
            self.sheets[self.editing], self.names[self.editing] = sheet, name
            said = f"Sheet {self.editing + 1} updated"
        else:
            self.sheets.append(sheet)
            self.names.append(name)
            said = f"Sheet {len(self.sheets)} kept"
        self._clear_form()
        self._fill_table()
        self._say(f"{said}. Scan or type the next member number.")
        return True

    def clear_sheet(self) -> None:
        self._clear_form()
        self._say("Sheet cleared")

    def _clear_form(self) -> None:
        self.editing = None
        self.form.clear()
        self.member_box.clear()
        self.next_button.setText("Next sheet (Ctrl+Enter)")
        self._update_counts()
        self.member_edit.setFocus()

    def edit_sheet(self, row: int | None = None) -> bool:
        """Open a kept sheet again in the form (the form must be empty or kept first)."""
        row = self.list.selected_row() if row is None else row
        if row is None:
            return False
        if self.current_sheet() is not None and self.editing != row:
            self._say("Keep (Ctrl+Enter) or clear the sheet on screen first", error=True)
            return False
        sheet = self.sheets[row]
        self.editing = row
        self.member_edit.setText(sheet.member_key or "")
        self.member_box.look_up()
        self.form.set_values(sheet.answers)
        self.next_button.setText(f"Update sheet {row + 1} (Ctrl+Enter)")
        self._say(f"Sheet {row + 1} opened again: change it, then Ctrl+Enter")
        self.form.focus_first()
        return True

    def remove_sheet(self, row: int | None = None) -> bool:
        row = self.list.selected_row() if row is None else row
        if row is None:
            return False
        del self.sheets[row]
        del self.names[row]
        if self.editing is not None:
            self._clear_form()
        self._fill_table()
        self._say(f"Sheet {row + 1} removed")
        return True

    def _fill_table(self) -> None:
        self.list.show_sheets(self.sheets, self.names)
        self._update_counts()

    # -- saving ------------------------------------------------------------------------------
    def save_sitting(self) -> Op | None:
        """Save every sheet (the one on screen too) as one batch, in the background."""
        if self.op is not None and self.op.running:
            return None
        if self.current_sheet() is not None and not self.next_sheet():
            return None  # the sheet on screen has a problem: the message says which
        if not self.sheets:
            self._say("No sheets to save yet", error=True)
            return None
        ws, wave, sheets = self.ws, self.wave.currentText(), list(self.sheets)
        who = self.typist.text()
        op = Op(lambda _p, _c: save_sheets(ws, wave, sheets, entered_by=who),
                title="Save paper questionnaires", parent=self)
        op.succeeded.connect(self._saved)
        op.finished.connect(lambda: self._set_busy(False))
        self._set_busy(True)
        self._say(f"Saving {len(sheets)} sheet(s)…")
        self.op = op.start(self)
        return op

    def _saved(self, result: ImportResult) -> None:
        self.result = result
        n = len(self.sheets)
        self.sheets, self.names = [], []
        self._fill_table()
        lines = [f"Saved {n} sheet(s) as batch {result.batch} in wave "
                 f"{self.wave.currentText().strip() or default_wave()!r} "
                 "(undo it on the Imports page)."]
        lines += [f"Note: {w}" for w in result.warnings]
        self._say("\n".join(lines))
        self.saved.emit(result)
        self.member_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.save_button, self.next_button, self.form, self.member_edit,
                       self.list, self.wave):
            widget.setEnabled(not busy)
        self.list.update_buttons()

    # -- feedback ----------------------------------------------------------------------------
    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    def _show_field(self, f: Field) -> None:
        got = self.form.checked(f)
        text = f"<b>{f.name}</b> — {f.legend}"
        if got.error is not None:
            text += f"<br><span style='{ERROR_STYLE}'>{got.error}</span>"
        elif got.shown:
            text += f"&nbsp;&nbsp;<span style='{MUTED}'>→ {got.shown}</span>"
        self.help_line.setText(text)

    def _update_counts(self) -> None:
        n = len(self.sheets)
        sheet = self.editing + 1 if self.editing is not None else n + 1
        bad = len(self.form.problems())
        self.counts.setText(
            f"Sheet {sheet} · {self.form.answered()} of {len(self.fields)} answered"
            + (f" · <span style='{ERROR_STYLE}'>{bad} to fix</span>" if bad else "")
        )
        self.save_button.setText(f"Save sitting: {n} sheet{'s' if n != 1 else ''} (Ctrl+S)")

    # -- closing -----------------------------------------------------------------------------
    def unsaved(self) -> int:
        """Sheets that would be lost: those kept, plus the one on screen when anything is typed."""
        on_screen = bool(self.form.values() or self.member_edit.text().strip())
        return len(self.sheets) + (1 if on_screen and self.editing is None else 0)

    def may_close(self) -> bool:
        """True when nothing would be lost; else asks (without blocking) and says False."""
        if self.op is not None and self.op.running:
            return False  # the save finishes first (it takes a moment)
        n = self.unsaved()
        if n and not self._closing:
            if self.discard_box is None or not self.discard_box.isVisible():
                self._ask_discard(n)
            return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close():
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:  # Esc, and QDialog's own close
        if self.may_close():
            super().reject()

    def _ask_discard(self, n: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved sheets",
                          f"{n} sheet{'s' if n != 1 else ''} not saved yet. Discard "
                          f"{'them' if n != 1 else 'it'} and close?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                          self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("discardSheets")
        box.finished.connect(lambda code: self._discard_answered(code))
        box.open()  # window-modal, never blocks the caller
        self.discard_box = box

    def _discard_answered(self, code: int) -> None:
        if code == QMessageBox.StandardButton.Discard:
            self._closing = True
            self.close()
