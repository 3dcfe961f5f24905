"""The Reports page: choose a report, write it in the background, preview, print, save; export.

The form gathers a ``reports.outputs.ReportRequest`` and hands it to ``write_report`` in an
``Op``; PDFs open in a ``QPdfView`` beside the form. Print… renders the PDF's pages to the
printer the person picks; Save a copy… copies the written file. Segment exports for Mailchimp,
Shopify and HubSpot go through ``scorecard.scoring.export.export_run``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.heading import page_heading
from app.gui.worker import Op
from reports.outputs import KINDS, TITLES, ReportOutput, ReportRequest, write_report
from scorecard.scoring.export import LAYOUTS, ExportResult, export_run
from scorecard.scoring.runs import list_runs
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

SUFFIX = {"executive": ".pdf", "cards": ".pdf", "questionnaire": ".pdf", "workbook": ".xlsx"}
DEFAULT_NAME = {"executive": "executive_report", "cards": "member_scorecards",
                "questionnaire": "paper_questionnaire", "workbook": "scorecard"}
PREVIEW_HINT = ("The report opens here when you press Generate, so you can check it before "
                "you print or save it.")
EXPORT_TITLES = {"mailchimp": "Mailchimp", "shopify": "Shopify", "hubspot": "HubSpot",
                 "generic": "CSV (all scores)"}


def split_ids(text: str) -> list[str]:
    """Member numbers typed with commas, spaces or new lines between them."""
    return [part for part in text.replace(",", " ").split() if part]


class ReportsPage(QWidget):
    written = Signal(object)  # ReportOutput, after a report was written

    def __init__(self) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self.op: Op | None = None
        self.output: ReportOutput | None = None
        self._scratch = tempfile.TemporaryDirectory(prefix="scorecard-reports-")
        outer = QVBoxLayout(self)
        heading = page_heading("Reports")
        outer.addWidget(heading)
        self.state = QLabel()
        self.state.setWordWrap(True)
        outer.addWidget(self.state)
        split = QSplitter()
        split.addWidget(self._form())
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.hint = QLabel(PREVIEW_HINT)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5F6B7A; background: #F4F6F8; padding: 24px;")
        self.preview = QStackedWidget()
        self.preview.addWidget(self.hint)
        self.preview.addWidget(self.view)
        split.addWidget(self.preview)
        split.setStretchFactor(1, 1)
        split.setSizes([340, 700])
        outer.addWidget(split, 1)
        self._kind_changed()
        self.set_workspace(None)

    # -- the form ----------------------------------------------------------------------------
    def _form(self) -> QWidget:
        panel = QWidget()
        panel.setMaximumWidth(420)
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("Report")
        form = QFormLayout(box)
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(TITLES[kind], kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("Report", self.kind)
        self.run = QComboBox()
        form.addRow("Score run", self.run)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        form.addRow("Paper", self.paper)
        self.who = QComboBox()
        form.addRow("Members", self.who)
        self.who.currentIndexChanged.connect(self._who_changed)
        self.ids = QLineEdit()
        self.ids.setPlaceholderText("member numbers, e.g. 1042, 1077")
        form.addRow("Member numbers", self.ids)
        self.per_page = QComboBox()
        self.per_page.addItem("One member a page", 1)
        self.per_page.addItem("Four members a page", 4)
        form.addRow("Layout", self.per_page)
        self.form = form
        col.addWidget(box)
        buttons = QHBoxLayout()
        self.generate = QPushButton("Generate")
        self.generate.setDefault(True)
        self.generate.clicked.connect(lambda: self.generate_report())
        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(lambda: self.print_report())
        self.save_button = QPushButton("Save a copy…")
        self.save_button.clicked.connect(lambda: self.save_copy())
        for button in (self.generate, self.print_button, self.save_button):
            buttons.addWidget(button)
        col.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.result)
        col.addWidget(self._export_box())
        col.addStretch(1)
        return panel

    def _export_box(self) -> QWidget:
        box = QGroupBox("Export a segment for a campaign")
        form = QFormLayout(box)
        self.export_segment = QComboBox()
        self.export_segment.addItem("Every member", None)
        for name in SEGMENTS:
            self.export_segment.addItem(name, name)
        self.export_segment.setCurrentIndex(1)  # Ambassadors: the reason to export
        form.addRow("Segment", self.export_segment)
        self.export_layout = QComboBox()
        for layout in ("mailchimp", "shopify", "hubspot", "generic"):
            assert layout in LAYOUTS
            self.export_layout.addItem(EXPORT_TITLES[layout], layout)
        form.addRow("For", self.export_layout)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(lambda: self.export_segment_csv())
        form.addRow(self.export_button)
        self.export_result = QLabel()
        self.export_result.setWordWrap(True)
        form.addRow(self.export_result)
        return box

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.who.blockSignals(True)
        self.who.clear()
        if kind == "cards":
            for name in SEGMENTS:
                self.who.addItem(name, name)
            self.who.addItem("Member numbers…", "ids")
        elif kind == "questionnaire":
            self.who.addItem("Blank (to copy)", "blank")
            self.who.addItem("One per member, with QR code", "all")
            self.who.addItem("Member numbers…", "ids")
        self.who.blockSignals(False)
        self.form.setRowVisible(self.who, kind in ("cards", "questionnaire"))
        self.form.setRowVisible(self.paper, kind != "workbook")
        self.form.setRowVisible(self.run, kind != "questionnaire")
        self.form.setRowVisible(self.per_page, kind == "cards")
        self._who_changed()

    def _who_changed(self) -> None:
        self.form.setRowVisible(self.ids, self.who.currentData() == "ids"
                                and self.kind.currentData() in ("cards", "questionnaire"))

    # -- workspace ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self.output = None
        self._show_hint(PREVIEW_HINT)
        self.result.setText("")
        self.export_result.setText("")
        self.refresh()

    def refresh(self) -> None:
        ws = self.workspace
        runs = list_runs(ws) if ws is not None else []
        self.run.clear()
        for run in reversed(runs):  # newest first: the usual choice
            self.run.addItem(f"Run {run.id} · {run.created_at:%Y-%m-%d %H:%M} · "
                             f"{run.config_name}", run.id)
        if ws is None:
            self.state.setText("Open a workspace to write its reports.")
        elif not runs:
            self.state.setText("No score run yet: score your members on the Scoring page. "
                               "The blank paper questionnaire can be written now.")
        else:
            self.state.setText("Choose a report and press Generate; it opens here to check "
                               "before you print or save it.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.workspace is not None and not (self.op and self.op.running)
        self.generate.setEnabled(ready)
        self.export_button.setEnabled(ready and self.run.count() > 0)
        has_output = self.output is not None
        self.save_button.setEnabled(has_output)
        self.print_button.setEnabled(has_output and self.output is not None
                                     and self.output.path.suffix == ".pdf")

    # -- generating --------------------------------------------------------------------------
    def request(self, out: Path | None = None) -> ReportRequest:
        """The form's choices as one request (written into a scratch folder by default)."""
        kind = str(self.kind.currentData())
        who = self.who.currentData()
        ids = split_ids(self.ids.text()) if who == "ids" else None
        target = out or Path(self._scratch.name) / (DEFAULT_NAME[kind] + SUFFIX[kind])
        return ReportRequest(
            kind=kind, out=target,
            run_id=self.run.currentData() if kind != "questionnaire" else None,
            paper=str(self.paper.currentData()),
            segment=who if kind == "cards" and who in SEGMENTS else None,
            members=ids,
            per_page=int(self.per_page.currentData()),
            per_member=kind == "questionnaire" and who == "all",
        )

    def generate_report(self, request: ReportRequest | None = None) -> Op | None:
        ws = self.workspace
        if ws is None or (self.op is not None and self.op.running):
            return None
        req = request or self.request()
        self._show_hint("Writing …")  # the file may be rewritten: let go of it first
        self.result.setText(f"Writing the {TITLES[req.kind].lower()} …")
        op = Op(lambda p, c: write_report(ws, req, progress=p, cancel=c),
                title=f"Write {TITLES[req.kind].lower()}", parent=self)
        op.succeeded.connect(self._written)
        op.failed.connect(lambda _exc: self.result.setText("Nothing was written."))
        op.finished.connect(self._update_buttons)
        self.op = op
        op.start(self, progress_dialog=True)
        self._update_buttons()
        return op

    def _written(self, output: ReportOutput) -> None:
        self.output = output
        lines = [f"Wrote {output.summary}.", str(output.path), *output.notes]
        self.result.setText("\n".join(lines))
        if output.path.suffix == ".pdf":
            self.document.load(str(output.path))
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.preview.setCurrentWidget(self.view)
        else:
            self._show_hint("The workbook has no preview here: Save a copy… and open it in "
                            "Excel or LibreOffice, where it recalculates as it opens.")
        self.written.emit(output)

    def _show_hint(self, text: str) -> None:
        self.document.close()
        self.hint.setText(text)
        self.preview.setCurrentWidget(self.hint)

    # -- printing and saving -----------------------------------------------------------------
    def print_report(self, printer: QPrinter | None = None) -> int:
        """Print the previewed PDF; returns the pages sent (0 when cancelled or nothing)."""
        if self.output is None or self.document.pageCount() == 0:
            return 0
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return 0
        return render_to_printer(self.document, printer)

    def save_copy(self, target: str | None = None) -> Path | None:
        if self.output is None:
            return None
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, "Save a copy", self.output.path.name,
                "PDF (*.pdf)" if self.output.path.suffix == ".pdf" else "Excel (*.xlsx)")
            if not target:
                return None
        path = Path(target)
        if path.suffix != self.output.path.suffix:
            path = path.with_name(path.name + self.output.path.suffix)
        shutil.copyfile(self.output.path, path)
        self.result.setText(self.result.text() + f"\nSaved a copy to {path}")
        return path

    def export_segment_csv(self, target: str | None = None) -> Op | None:
        ws = self.workspace
        if ws is None or self.run.count() == 0:
            return None
        layout = str(self.export_layout.currentData())
        segment = self.export_segment.currentData()
        if target is None:
            suggested = f"{(segment or 'members').lower().replace(' ', '_')}_{layout}.csv"
            target, _ = QFileDialog.getSaveFileName(self, "Export for " + EXPORT_TITLES[layout],
                                                    suggested, "CSV (*.csv)")
            if not target:
                return None
        run_id = self.run.currentData()
        segments = [segment] if segment else None
        op = Op(lambda _p, _c: export_run(ws, target, run_id, layout, segments),
                title="Export members", parent=self)
        op.succeeded.connect(self._exported)
        op.start(self)
        self.op = op
        return op

    def _exported(self, result: ExportResult) -> None:
        self.export_result.setText(result.describe())

    def cancel_and_wait(self) -> None:
        """Stop a report being written and wait for it (before the workspace closes)."""
        if self.op is not None and self.op.running:
            self.op.cancel()
            self.op.wait(60)

    def sizeHint(self) -> QSize:
        return QSize(1000, 700)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.document.close()
        super().closeEvent(event)


def render_to_printer(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer``, scaled to the printable area."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = printer.resolution()
        area = printer.pageLayout().paintRectPixels(dpi)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)  # 1/72 inch
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QRectF(QPointF(0, 0), size.toSizeF()), image)
        return document.pageCount()
    finally:
        painter.end()
