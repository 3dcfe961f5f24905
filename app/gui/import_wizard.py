"""The import wizard: file → preview → mapping → validation (dry run) → import and result.

Every step that reads the file or the workspace runs in an ``Op`` (``app.gui.worker``); the
domain does the work (``survey.preview`` for what is shown, the import functions with
``dry_run=True`` for the check): nothing is written before the last page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
)

from app.gui.import_pages import CheckPage, MappingPage, PreviewPage, ReadyPage, ResultPage
from app.gui.worker import Op
from scorecard.workspace import Workspace
from survey.engagement import import_engagement
from survey.importing import ImportResult
from survey.members import import_members
from survey.preview import DIALECTS, KIND_LABELS, KINDS, Preview, detect_kind, preview
from survey.readers_xlsx import sheet_list
from survey.referrals import import_referrals
from survey.responses import import_survey

IMPORTS: dict[str, Callable[..., ImportResult]] = {
    "members": import_members,
    "survey": import_survey,
    "referrals": import_referrals,
    "engagement": import_engagement,
}
FILES = "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"
AUTO = "(detect)"
ENCODINGS = (AUTO, "utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac-roman")
DELIMITERS = {AUTO: None, ", comma": ",", "; semicolon": ";", "tab": "\t", "| pipe": "|"}


class ImportWizard(QWizard):
    """Import one file into ``ws``. Emits ``imported`` with the ImportResult of the real import."""

    previewed = Signal(object)  # Preview
    checked = Signal(object)  # ImportResult of the dry run
    imported = Signal(object)  # ImportResult

    def __init__(self, ws: Workspace, path: str | None = None, kind: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.path: str | None = None
        self.kind: str = kind or "members"
        self.kind_given = kind is not None
        self.preview: Preview | None = None
        self.again = False
        self.ops: list[Op] = []
        self.error_box: QMessageBox | None = None
        self.setWindowTitle("Import a file")
        self.setObjectName("importWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(960, 640)
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.preview_page, self.mapping_page, self.check_page,
                     self.result_page):
            self.addPage(page)
        if path:
            self.set_path(path)

    # -- state -------------------------------------------------------------------------------
    def set_path(self, path: str) -> None:
        self.path = path
        self.again = False
        self.file_page.path_edit.setText(path)
        self.file_page.set_sheets([], None)  # a new file: its first sheet until one is chosen
        self.refresh_preview(detect=not self.kind_given)

    def options(self) -> dict[str, Any]:
        """encoding / delimiter / sheet / dialect as chosen on the file page (None = detect)."""
        page = self.file_page
        encoding = page.encoding.currentText()
        dialect = page.dialect.currentText()
        return {
            "encoding": None if encoding == AUTO else encoding,
            "delimiter": DELIMITERS.get(page.delimiter.currentText()),
            "sheet": page.sheet_name(),
            "dialect": None if dialect == AUTO or self.kind != "survey" else dialect,
        }

    def run(self, work: Callable[..., Any], title: str, *, show_errors: bool = True) -> Op:
        """Start ``work(progress, cancel)`` in an Op owned by the wizard."""
        op = Op(work, title=title, parent=self)
        self.ops.append(op)
        op.finished.connect(lambda: self.ops.remove(op) if op in self.ops else None)
        return op.start(self, show_errors=show_errors)

    def refresh_preview(self, *, detect: bool = False) -> Op | None:
        if not self.path:
            return None
        ws, path, options = self.ws, self.path, self.options()
        kind = self.kind

        def work(_progress: Any, _cancel: Any) -> tuple[
                tuple[str, float, str] | None, Preview, list[tuple[str, str]]]:
            found = detect_kind(path) if detect else None
            chosen = found[0] if found else kind
            opts = {**options, "dialect": options["dialect"] if chosen == "survey" else None}
            shown = preview(ws, path, chosen, **opts)
            sheets = sheet_list(Path(path)) if shown.file_kind == "xlsx" else []
            return found, shown, sheets

        self.preview = None
        self.file_page.set_busy(f"Reading {Path(path).name}…")
        op = self.run(work, f"Read {Path(path).name}")
        op.succeeded.connect(self._previewed)
        op.failed.connect(self.file_page.show_failure)
        return op

    def _previewed(self, got: tuple[tuple[str, float, str] | None, Preview,
                                    list[tuple[str, str]]]) -> None:
        found, result, sheets = got
        if found is not None:
            self.kind = found[0]
        self.preview = result
        self.file_page.set_sheets(sheets, result.sheet)
        self.file_page.show_preview(result, found)
        self.previewed.emit(result)

    def import_call(self, *, dry_run: bool, map_options: list[str], wave: str | None
                    ) -> Callable[[Any, Any], ImportResult]:
        function, ws, path, kind = IMPORTS[self.kind], self.ws, self.path, self.kind
        kwargs: dict[str, Any] = {**self.options(), "map_options": map_options,
                                  "again": self.again, "dry_run": dry_run}
        if kind == "survey":
            kwargs["wave"] = wave or None
        else:
            kwargs.pop("dialect")

        def work(progress: Any, cancel: Any) -> ImportResult:
            return function(ws, path, progress=progress, cancel=cancel, **kwargs)

        return work

    # -- closing -----------------------------------------------------------------------------
    def stop_work(self) -> None:
        for op in list(self.ops):
            op.cancel()
            op.wait(30)

    def done(self, result: int) -> None:
        self.stop_work()
        super().done(result)


class FilePage(ReadyPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose a file")
        self.setSubTitle("A member list, a survey export, a referrals report or an e-mail "
                         "engagement export (CSV or Excel). You can also drop a file on the "
                         "main window.")
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("File:", row)
        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_combo.setCurrentIndex(KINDS.index(wizard.kind))
        self.kind_combo.activated.connect(self._kind_changed)
        self.kind_note = QLabel()
        form.addRow("It holds:", self.kind_combo)
        form.addRow("", self.kind_note)
        self.sheet = QComboBox()
        self.sheet.setToolTip("A workbook with several sheets: the one that holds the table")
        self.sheet.activated.connect(lambda _i: self.wiz.refresh_preview())
        form.addRow("Sheet:", self.sheet)
        self.form = form
        form.setRowVisible(self.sheet, False)  # shown for workbooks only
        self.dialect = QComboBox()
        self.dialect.addItems([AUTO, *DIALECTS])
        self.encoding = QComboBox()
        self.encoding.addItems(ENCODINGS)
        self.delimiter = QComboBox()
        self.delimiter.addItems(list(DELIMITERS))
        for combo in (self.dialect, self.encoding, self.delimiter):
            combo.activated.connect(lambda _i: self.wiz.refresh_preview())
        form.addRow("Survey tool (layout):", self.dialect)
        form.addRow("Encoding:", self.encoding)
        form.addRow("Delimiter:", self.delimiter)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Detected:", self.status)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a file", str(Path.home()), FILES)
        if path:
            self.wiz.set_path(path)

    def _kind_changed(self, _index: int) -> None:
        self.wiz.kind = self.kind_combo.currentData()
        self.wiz.kind_given = True
        self.dialect.setEnabled(self.wiz.kind == "survey")
        self.wiz.refresh_preview()

    def set_kind(self, kind: str) -> None:
        """Change the kind as a user would (tests and callers)."""
        self.kind_combo.setCurrentIndex(KINDS.index(kind))
        self._kind_changed(0)

    def set_sheets(self, sheets: list[tuple[str, str]], current: str | None) -> None:
        """The workbook's sheets to choose from (hidden ones marked); none for a CSV file."""
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for name, state in sheets:
            self.sheet.addItem(name if state == "visible" else f"{name} ({state})", name)
        if current is not None and (index := self.sheet.findData(current)) >= 0:
            self.sheet.setCurrentIndex(index)
        self.sheet.blockSignals(False)
        self.sheet.setEnabled(len(sheets) > 1)
        self.form.setRowVisible(self.sheet, bool(sheets))

    def sheet_name(self) -> str | None:
        """The chosen sheet, or None: the first visible one (and for CSV files)."""
        return self.sheet.currentData() if self.sheet.count() else None

    def choose_sheet(self, name: str) -> None:
        """Pick a sheet as a user would; the preview follows."""
        self.sheet.setCurrentIndex(self.sheet.findData(name))
        self.sheet.activated.emit(self.sheet.currentIndex())

    def set_busy(self, text: str) -> None:
        self.status.setText(text)
        self.set_ready(self.wiz.preview is not None)

    def show_preview(self, p: Preview, found: tuple[str, float, str] | None) -> None:
        self.kind_combo.setCurrentIndex(KINDS.index(p.kind))
        self.dialect.setEnabled(p.kind == "survey")
        for combo in (self.encoding, self.delimiter):  # a workbook has neither
            combo.setEnabled(p.file_kind == "csv")
        if found is not None:
            self.kind_note.setText(f"Looks like: {KIND_LABELS[found[0]]} "
                                   f"({found[1]:.0%} sure — {found[2]}); change it if not.")
        if p.file_kind == "csv":
            delim = {"\t": "tab"}.get(p.delimiter or "", repr(p.delimiter))
            fmt = f"CSV text, encoding {p.encoding}, delimiter {delim}"
        else:
            others = self.sheet.count() - 1
            fmt = f"Excel workbook, sheet {p.sheet!r}" + (
                f" (the workbook has {others} more; choose above)" if others > 0 else "")
        source = f"{p.dialect} layout" if p.kind == "survey" else f"source: {p.dialect}"
        lines = [f"{fmt}; {source}; {len(p.header)} columns."]
        lines += [f"Note: {w}" for w in p.warnings[:4]]
        self.status.setText("\n".join(lines))
        self.set_ready(self.wiz.preview is not None)

    def show_failure(self, exc: BaseException) -> None:
        self.status.setText(f"Cannot read this file: {exc}")
        self.set_ready(self.wiz.preview is not None)

