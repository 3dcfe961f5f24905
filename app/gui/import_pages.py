"""The import wizard's later pages: preview, mapping, validation (dry run), import and result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.gui.imports_page import export_rejects_op
from app.gui.worker import Op, show_error
from scorecard.errors import Cancelled
from survey.importing import AlreadyImported, ImportResult
from survey.preview import Preview, TargetChoice

if TYPE_CHECKING:
    from app.gui.import_wizard import ImportWizard

GOOD, FAIR, POOR = QColor("#d8f0d8"), QColor("#fff1c2"), QColor("#f8d7d4")


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _read_only_table(columns: int = 0) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    return table


class ReadyPage(QWizardPage):
    """A wizard page whose Next/Finish button follows ``set_ready``: a hidden mandatory field,
    so Qt's own isComplete does the rest and no Python override is called on every repaint."""

    def __init__(self) -> None:
        super().__init__()
        self._ready = QCheckBox(self)
        self._ready.setVisible(False)
        self.registerField(f"ready_{id(self)}*", self._ready)

    def set_ready(self, ready: bool) -> None:
        self._ready.setChecked(ready)
        self.completeChanged.emit()


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Preview")
        self.setSubTitle("The first rows as they will be read. If the columns look wrong, go "
                         "back and change the sheet, encoding, delimiter or layout.")
        layout = QVBoxLayout(self)
        self.table = _read_only_table()
        layout.addWidget(self.table, 1)
        self.notes = _label()
        layout.addWidget(self.notes)

    def initializePage(self) -> None:
        p = self.wiz.preview
        if p is None:
            return
        self.table.clear()
        self.table.setColumnCount(len(p.header))
        self.table.setRowCount(len(p.rows))
        self.table.setHorizontalHeaderLabels([_short(h, 40) for h in p.header])
        for r, row in enumerate(p.rows):
            for c, text in enumerate(row[: len(p.header)]):
                self.table.setItem(r, c, QTableWidgetItem(_short(text, 60)))
        self.table.resizeColumnsToContents()
        for c in range(self.table.columnCount()):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 240))
        self.notes.setText("\n".join(p.warnings[:6]))


class MappingPage(QWizardPage):
    COLUMNS = ("Column in the file", "Example", "Imported as", "Confidence")

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Columns")
        self.setSubTitle("What each column of the file feeds. Change a guess with its drop-down; "
                         "your choices are saved for files with the same columns.")
        layout = QVBoxLayout(self)
        self.profile_note = _label()
        self.profile_note.setStyleSheet("color: #1b5e20; font-weight: 600;")
        layout.addWidget(self.profile_note)
        self.table = _read_only_table(len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        wave_row = QHBoxLayout()
        self.wave_label = QLabel("Survey wave name:")
        self.wave = QLineEdit()
        self.wave.setPlaceholderText("leave empty: named after the month the answers began")
        wave_row.addWidget(self.wave_label)
        wave_row.addWidget(self.wave, 1)
        layout.addLayout(wave_row)
        self.combos: dict[str, TargetCombo] = {}
        self._shown: Preview | None = None

    def initializePage(self) -> None:
        p = self.wiz.preview
        if p is None or p is self._shown:
            return  # coming back from a later page keeps the user's choices
        self._shown = p
        self.profile_note.setText("Using the mapping saved for these headers." if p.profile
                                  else "")
        self.profile_note.setVisible(p.profile)
        survey = p.kind == "survey"
        self.wave_label.setVisible(survey)
        self.wave.setVisible(survey)
        self.combos = {}
        self.table.setRowCount(len(p.columns))
        for r, col in enumerate(p.columns):
            self.table.setItem(r, 0, QTableWidgetItem(_short(col.label, 70)))
            self.table.item(r, 0).setToolTip(col.label)
            example = next((row[col.index] for row in p.rows
                            if col.index < len(row) and row[col.index]), "")
            self.table.setItem(r, 1, QTableWidgetItem(_short(example, 30)))
            combo = TargetCombo([t for t in p.targets if t.id in col.allowed])
            combo.set_target(col.target)
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(r, 2, combo)
            self.combos[col.header] = combo
            self._confidence(r, col.confidence, col.target)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 380))
        self.table.resizeColumnToContents(1)

    def _confidence(self, row: int, confidence: float, target: str, chosen: bool = False) -> None:
        if chosen:
            text, colour = "your choice", GOOD
        elif target in ("ignore", "raw") and confidence == 0:
            text, colour = "not recognised", POOR
        else:
            text = f"{confidence:.0%}"
            colour = GOOD if confidence >= 0.85 else FAIR if confidence >= 0.5 else POOR
        item = QTableWidgetItem(text)
        item.setBackground(colour)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(row, 3, item)

    def _changed(self, _index: int) -> None:
        p = self.wiz.preview
        if p is None:
            return
        for row, col in enumerate(p.columns):
            target = self.combos[col.header].target()
            chosen = target != col.target
            if chosen or self.table.item(row, 3).text() == "your choice":
                self._confidence(row, col.confidence, target, chosen=chosen)

    def choose(self, header: str, target: str) -> None:
        """Set a column's target as the user would with its drop-down."""
        self.combos[header].set_target(target)

    def chosen(self) -> dict[str, str]:
        return {header: combo.target() for header, combo in self.combos.items()}

    def map_options(self) -> list[str]:
        p = self.wiz.preview
        return p.map_options(self.chosen()) if p is not None else []


class TargetCombo(QComboBox):
    """A drop-down of targets; ids kept on the Python side (no per-item QVariant data)."""

    def __init__(self, targets: list[TargetChoice]) -> None:
        super().__init__()
        self.ids = [t.id for t in targets]
        self.addItems([t.label for t in targets])
        self.setMaxVisibleItems(20)

    def target(self) -> str:
        return self.ids[self.currentIndex()]

    def set_target(self, target: str) -> None:
        self.setCurrentIndex(self.ids.index(target) if target in self.ids else 0)


class CheckPage(ReadyPage):
    """The dry run: the whole import done and rolled back, to show what it would give."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check")
        self.setSubTitle("The file is read completely, as the import will, but nothing is "
                         "written yet.")
        layout = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.message = _label()
        self.cancel_button = QPushButton("Cancel the check")
        self.cancel_button.clicked.connect(lambda: self.op.cancel() if self.op else None)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.summary = _label()
        self.summary.setStyleSheet("font-size: 14px;")
        layout.addWidget(self.summary)
        self.reasons = _read_only_table(2)
        self.reasons.setHorizontalHeaderLabels(("Row", "Rejected because"))
        self.reasons.verticalHeader().hide()
        self.reasons.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.reasons, 1)
        self.result: ImportResult | None = None
        self.op: Op | None = None
        self.again_box: QMessageBox | None = None
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")

    def initializePage(self) -> None:
        self.start()

    def start(self) -> None:
        self.result = None
        self.summary.setText("")
        self.reasons.setRowCount(0)
        self.reasons.hide()
        work = self.wiz.import_call(dry_run=True, map_options=self.wiz.mapping_page.map_options(),
                                    wave=self.wiz.mapping_page.wave.text().strip())
        op = self.wiz.run(work, "Check the file", show_errors=False)
        _bind_progress(op, self.progress, self.message, self.cancel_button)
        op.succeeded.connect(self._checked)
        op.failed.connect(self._failed)
        self.op = op
        self.set_ready(self.result is not None)

    def _checked(self, result: ImportResult) -> None:
        self.result = result
        ok = result.rows - result.rejected
        lines = [f"<b>{ok:,}</b> of {result.rows:,} rows are fine; "
                 f"<b>{result.rejected:,}</b> would be rejected."]
        if result.unmatched:
            lines.append(f"{result.unmatched:,} would not match a member yet (kept; they match "
                         "after a later member import).")
        lines += [f"⚠ {w}" for w in result.warnings[:8]]
        self.summary.setText("<br>".join(lines))
        self.reasons.setVisible(bool(result.reject_examples))
        self.reasons.setRowCount(len(result.reject_examples))
        for r, (row_number, reasons) in enumerate(result.reject_examples):
            self.reasons.setItem(r, 0, QTableWidgetItem(str(row_number)))
            self.reasons.setItem(r, 1, QTableWidgetItem(reasons))
        self.message.setText("Check finished. Press Import to write it to the workspace.")
        self.wiz.checked.emit(result)
        self.set_ready(self.result is not None)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, AlreadyImported):
            box = QMessageBox(QMessageBox.Icon.Question, "Already imported",
                              f"{exc}\n\nImport it again?",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                              self)
            box.setObjectName("alreadyImported")
            box.finished.connect(lambda answer: self._again(answer))
            box.open()
            self.again_box = box
            self.message.setText(str(exc))
            return
        if isinstance(exc, Cancelled):
            self.message.setText("Check cancelled; go Back, or press Check again.")
            return
        self.message.setText(f"The file cannot be imported: {exc}")
        self.wiz.error_box = show_error(self.wiz, "Check the file", exc)

    def _again(self, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes:
            self.wiz.again = True
            self.start()

class ResultPage(ReadyPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Import")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(lambda: self.op.cancel() if self.op else None)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.message = _label()
        layout.addWidget(self.message)
        self.summary = _label()
        self.summary.setStyleSheet("font-size: 14px;")
        layout.addWidget(self.summary)
        self.export_button = QPushButton("Export rejected rows…")
        self.export_button.clicked.connect(lambda: self.export_rejects())
        self.export_button.hide()
        layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.result: ImportResult | None = None
        self.done_running = False
        self.op: Op | None = None

    def initializePage(self) -> None:
        self.done_running = False
        self.result = None
        self.setSubTitle("Writing to the workspace. Cancel leaves it exactly as it was.")
        work = self.wiz.import_call(dry_run=False, map_options=self.wiz.mapping_page.map_options(),
                                    wave=self.wiz.mapping_page.wave.text().strip())
        op = self.wiz.run(work, "Import")
        _bind_progress(op, self.progress, self.message, self.cancel_button)
        op.succeeded.connect(self._imported)
        op.failed.connect(self._failed)
        self.op = op
        self.set_ready(self.done_running)

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        self.done_running = True
        self.setSubTitle("Done.")
        self.message.setText(f"Imported as batch {result.batch}. Undo it on the Imports page.")
        lines = [f"<b>{result.rows:,}</b> rows read: <b>{result.inserted:,}</b> new, "
                 f"<b>{result.updated:,}</b> updated, <b>{result.rejected:,}</b> rejected"
                 + (f", {result.unmatched:,} unmatched" if result.unmatched else "") + "."]
        lines += [f"⚠ {w}" for w in result.warnings[:8]]
        self.summary.setText("<br>".join(lines))
        self.export_button.setVisible(result.rejected > 0)
        self.wiz.imported.emit(result)
        self.set_ready(self.done_running)

    def _failed(self, exc: BaseException) -> None:
        self.done_running = True
        cancelled = isinstance(exc, Cancelled)
        self.setSubTitle("Cancelled: nothing was written." if cancelled else "Failed.")
        self.message.setText("The import was cancelled; the workspace is as it was." if cancelled
                             else f"The import failed; nothing was written. {exc}")
        self.set_ready(self.done_running)

    def export_rejects(self, path: str | None = None) -> Op | None:
        if self.result is None:
            return None
        return export_rejects_op(self, self.wiz.ws, self.result.batch, path)

def _bind_progress(op: Op, bar: QProgressBar, message: QLabel, cancel: QPushButton) -> None:
    bar.setValue(0)
    bar.setRange(0, 0)  # busy until the first report with a fraction
    cancel.setEnabled(True)

    def report(fraction: float, text: str) -> None:
        if fraction > 0:
            bar.setRange(0, 1000)
            bar.setValue(int(fraction * 1000))
        message.setText(text)

    def finished() -> None:
        bar.setRange(0, 1000)
        bar.setValue(1000)
        cancel.setEnabled(False)

    op.progressed.connect(report)
    op.finished.connect(finished)


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
