"""The boxes of one paper sheet: who it is from (``MemberBox``) and its answers (``SheetForm``),
laid out like the form: side one left, side two right.

One small line edit per answer box row (``survey.paper_fields``), in paper order. Typing an
answer that nothing longer could extend (a ``6`` on a 1–7 scale, but not the ``1`` of an NPS
``10``) moves on by itself; Enter, Tab and Down move on, Shift+Enter and Up go back, Ctrl+Down
jumps to the next row (a network nobody ticked is one key). A wrong answer turns its box red,
keeps the cursor there, and ``SheetForm.problems`` names the question.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from scorecard.workspace import Workspace
from survey.paper import (
    Checked,
    Field,
    MemberMatch,
    check,
    clean_member_key,
    find_member,
    paper_fields,
)

BAD = "QLineEdit { background: #fde7e7; border: 1px solid #c62828; }"
MUTED = "color: #667085;"
OK_STYLE = "color: #1b5e20; font-weight: 600;"
WARN_STYLE = "color: #b54708; font-weight: 600;"
LABEL_W = 250  # grid rows and single questions are elided to this width (full text in tooltip)
ECHO_W = 132  # what the typed answer was read as ("Agree", "51–150 → 100")


class AnswerEdit(QLineEdit):
    """A line edit that moves on with Enter/Down and back with Shift+Enter/Up."""

    moved = Signal(int)  # +1 on, -1 back
    jumped = Signal(int)  # Ctrl+Down / Ctrl+Up: to the next / previous row or question
    done = Signal()  # Ctrl+Enter, when the window's shortcut did not take it

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.done.emit()
            else:
                self.moved.emit(-1 if mods & Qt.KeyboardModifier.ShiftModifier else 1)
            event.accept()  # never the dialog's default button
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.jumped.emit(step)
            else:
                self.moved.emit(step)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Typing over an answer replaces it; again after a click has placed the cursor.
        self.selectAll()
        QTimer.singleShot(0, self._select_if_focused)

    def _select_if_focused(self) -> None:
        if self.hasFocus():  # a fast typist may be two boxes further on already
            self.selectAll()


class MemberBox(QWidget):
    """The member number box (typed, or a scanner's QR payload and Enter) and who it names.

    ``others(key)`` gives the numbers of other sheets of the same member in the sitting."""

    def __init__(self, ws: Workspace, others: Callable[[str], list[int]]) -> None:
        super().__init__()
        self.ws, self.others = ws, others
        self.member: MemberMatch | None = None
        self.looked_up: str | None = None  # the text last looked up
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.edit = AnswerEdit()
        self.edit.setObjectName("memberNumber")
        self.edit.setPlaceholderText("scan the QR code or type the number")
        self.edit.setToolTip("The member number, or an e-mail address (Ctrl+M comes back here)")
        self.edit.setMinimumWidth(230)
        self.edit.textEdited.connect(lambda _t: self.forget())
        self.edit.editingFinished.connect(self.look_up)
        self.label = QLabel()
        self.label.setObjectName("memberName")
        self.label.setWordWrap(True)  # a long note wraps rather than widening the window
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.row.addWidget(QLabel("<b>Member number:</b>"))
        self.row.addWidget(self.edit)
        self.row.addWidget(self.label, 1)

    def forget(self) -> None:
        self.member, self.looked_up = None, None
        self.label.setText("")

    def clear(self) -> None:
        self.edit.clear()
        self.forget()

    def look_up(self) -> MemberMatch | None:
        """Find the member the box names (once per text) and show who it is."""
        text = self.edit.text()
        if text == self.looked_up:
            return self.member
        self.looked_up = text
        key = clean_member_key(text)
        self.member = find_member(self.ws, text) if key else None
        if key is None:
            self._show("No member number: the answers are kept without a member", WARN_STYLE)
        elif self.member is None:
            self._show(f"⚠ {key} is not on the member list — check it; Enter again keeps the "
                       "sheet unmatched (a later member import can match it)", WARN_STYLE)
        else:
            if self.member.key != text:
                self.edit.setText(self.member.key)
                self.looked_up = self.member.key
            again = self.others(self.member.key)
            note = f"   (also sheet {again[-1]}: the later sheet counts)" if again else ""
            self._show(f"✓ {self.member.describe()}{note}", OK_STYLE)
        return self.member

    def _show(self, text: str, style: str) -> None:
        self.label.setText(text)
        self.label.setStyleSheet(style)


class SheetForm(QWidget):
    """Every answer box of one sheet. ``changed`` after each edit, ``focused`` on entering one."""

    changed = Signal()
    focused = Signal(object)  # the Field
    left_first = Signal()  # Up / Shift+Enter in the first box: back to the member number
    done = Signal()

    def __init__(self, category: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = paper_fields(category)
        self.edits: dict[str, AnswerEdit] = {}
        self.echoes: dict[str, QLabel] = {}
        self.order: list[AnswerEdit] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(14)
        for side in (1, 2):
            column = QVBoxLayout()
            column.setSpacing(2)
            self._side(column, [f for f in self.fields if f.side == side])
            column.addStretch(1)
            row.addLayout(column)
        for previous, following in zip(self.order, self.order[1:], strict=False):
            QWidget.setTabOrder(previous, following)

    # -- building ----------------------------------------------------------------------------
    def _side(self, column: QVBoxLayout, fields: list[Field]) -> None:
        number = 0
        grid: QGridLayout | None = None
        for f in fields:
            if f.number != number:
                number = f.number
                column.addWidget(self._heading(f))
                grid = QGridLayout()
                grid.setHorizontalSpacing(6)
                grid.setVerticalSpacing(1)
                column.addLayout(grid)
                if f.column:
                    self._table_head(grid, f)
            assert grid is not None
            if f.column:
                self._table_cell(grid, f)
            else:
                self._row(grid, f)

    def _heading(self, f: Field) -> QLabel:
        text = f"<b>{f.number}</b>&nbsp;&nbsp;{_html(f.question)}"
        if f.row and not f.column:  # a grid: its answer scale once, under the title
            text += f"<br><span style='{MUTED}'>{_html(f.legend)}</span>"
        label = QLabel(text)
        label.setWordWrap(True)
        label.setContentsMargins(0, 6, 0, 1)
        label.setMaximumWidth(LABEL_W + ECHO_W + 60)
        return label

    def _row(self, grid: QGridLayout, f: Field) -> None:
        r = grid.rowCount()
        text = f.row or (f.legend if f.codes or f.kind == "yesno" else f.hint)
        label = _elided(text, LABEL_W, tip=f"{f.name}\n{f.legend}")
        if not f.row:
            label.setStyleSheet(MUTED)
        grid.addWidget(label, r, 0)
        grid.addWidget(self._edit(f), r, 1)
        echo = QLabel()
        echo.setFixedWidth(ECHO_W)
        echo.setStyleSheet(MUTED)
        self.echoes[f.key] = echo
        grid.addWidget(echo, r, 2)

    def _table_head(self, grid: QGridLayout, f: Field) -> None:
        """The network table's heading: what a, b, c and d ask, as the form prints them."""
        heads = {"tick": "a use", "count": "d people"}
        columns = [x for x in self.fields if x.number == f.number and x.row == f.row]
        note = QLabel("a: 1 or x if ticked · b: close-knit 1–5 · c: public 1–5 · "
                      "d: a number or a band · Ctrl+↓: next row")
        note.setStyleSheet(MUTED)
        note.setWordWrap(True)
        grid.addWidget(note, 0, 0, 1, len(columns) + 1)
        for c, x in enumerate(columns, start=1):
            word = heads.get(x.kind) or f"{x.column} {x.hint}"
            head = QLabel(word)
            head.setStyleSheet(MUTED)
            head.setToolTip(x.legend)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(head, 1, c)

    def _table_cell(self, grid: QGridLayout, f: Field) -> None:
        if f.column == "a":
            r = grid.rowCount()
            grid.addWidget(QLabel(f.row), r, 0)
        else:
            r = grid.rowCount() - 1
        grid.addWidget(self._edit(f), r, "abcdefgh".index(f.column) + 1)

    def _edit(self, f: Field) -> AnswerEdit:
        edit = AnswerEdit()
        edit.setObjectName(f"answer:{f.key}")
        metrics = edit.fontMetrics()
        edit.setFixedWidth(metrics.horizontalAdvance("0" * max(f.width, 2)) + 16)
        edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if f.width <= 2:
            edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if f.codes or f.kind in ("tick", "yesno"):
            # A wrong digit stays and blocks the next keystrokes, rather than running on into
            # "41": the typist sees the red box where the slip happened.
            edit.setMaxLength(max(f.width, 1))
        edit.setToolTip(f"{f.name}\n{f.legend}")
        position = len(self.order)
        edit.textEdited.connect(lambda text, f=f: self._typed(f, text))
        edit.textChanged.connect(lambda _text, f=f: self._show(f))
        edit.moved.connect(lambda step, i=position: self.move_from(i, step))
        edit.jumped.connect(lambda step, i=position: self.jump_from(i, step))
        edit.done.connect(self.done)
        edit.installEventFilter(self)
        self.edits[f.key] = edit
        self.order.append(edit)
        return edit

    # -- typing ------------------------------------------------------------------------------
    def eventFilter(self, watched: object, event: object) -> bool:
        from PySide6.QtCore import QEvent

        if isinstance(event, QEvent) and event.type() == QEvent.Type.FocusIn:
            f = self.field_of(watched)  # type: ignore[arg-type]
            if f is not None:
                self.focused.emit(f)
        return False

    def field_of(self, edit: QWidget) -> Field | None:
        for f in self.fields:
            if self.edits[f.key] is edit:
                return f
        return None

    def _typed(self, f: Field, text: str) -> None:
        got = check(f, text)
        if got.ok and got.complete:
            self.move_from(self.order.index(self.edits[f.key]), 1)

    def _show(self, f: Field) -> None:
        got = self.checked(f)
        edit = self.edits[f.key]
        edit.setStyleSheet("" if got.ok else BAD)
        edit.setToolTip(got.error or f"{f.name}\n{f.legend}")
        echo = self.echoes.get(f.key)
        if echo is not None:
            shown = "✗" if not got.ok else got.shown
            echo.setText(echo.fontMetrics().elidedText(shown, Qt.TextElideMode.ElideRight, ECHO_W))
            echo.setToolTip(got.error or got.shown)
            echo.setStyleSheet("color: #c62828;" if not got.ok else MUTED)
        self.changed.emit()
        if edit.hasFocus():
            self.focused.emit(f)

    def move_from(self, position: int, step: int) -> None:
        target = position + step
        if target < 0:
            self.left_first.emit()
        elif target < len(self.order):
            self.order[target].setFocus(Qt.FocusReason.TabFocusReason)

    def jump_from(self, position: int, step: int) -> None:
        """To the first box of the next (or this / the previous) row: a network row, a grid
        row's question, or a single question — skipping a network nobody ticked is one key."""
        starts = [i for i, f in enumerate(self.fields)
                  if i == 0 or (f.number, f.row) != (self.fields[i - 1].number,
                                                     self.fields[i - 1].row)]
        if step > 0:
            target = next((i for i in starts if i > position), None)
        else:
            target = next((i for i in reversed(starts) if i < position), None)
        if target is not None:
            self.order[target].setFocus(Qt.FocusReason.TabFocusReason)

    # -- state -------------------------------------------------------------------------------
    def checked(self, f: Field) -> Checked:
        return check(f, self.edits[f.key].text())

    def values(self) -> dict[str, str]:
        """The typed texts, blanks left out."""
        return {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}

    def set_values(self, values: dict[str, str]) -> None:
        for key, edit in self.edits.items():
            edit.setText(values.get(key, ""))

    def clear(self) -> None:
        self.set_values({})

    def answered(self) -> int:
        return len(self.values())

    def problems(self) -> list[tuple[Field, str]]:
        """The fields whose text cannot be read, in paper order, with their messages."""
        out = []
        for f in self.fields:
            got = self.checked(f)
            if got.error is not None:
                out.append((f, got.error))
        return out

    def focus_first(self) -> None:
        self.order[0].setFocus(Qt.FocusReason.TabFocusReason)

    def focus_field(self, f: Field) -> None:
        self.edits[f.key].setFocus(Qt.FocusReason.OtherFocusReason)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _elided(text: str, width: int, *, tip: str) -> QLabel:
    label = QLabel()
    label.setText(label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))
    label.setToolTip(tip)
    label.setFixedWidth(width)
    return label


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setStyleSheet("color: #d0d5dd;")
    return line
