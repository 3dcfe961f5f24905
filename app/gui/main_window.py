"""The main window: a navigation list on the left, one page per task on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from scorecard import __version__
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

# What each page is for; a page that a later release fills says what it will hold.
PAGES: tuple[tuple[str, str], ...] = (
    ("Dashboard", "Key figures and the Financial × Social quadrant of your members."),
    ("Members", "Every member with spend, orders and the K, P, R, S, F scores and segment."),
    ("Imports", "Member lists, survey exports, referrals and engagement files you imported, "
                "with their rejected rows and Undo."),
    ("Scoring", "Weights, bands and thresholds of the score, and the runs made with them."),
    ("Network", "Who brought in whom: referrals, network value and influence."),
    ("Reports", "The executive PDF, member scorecards, paper questionnaires and the Excel "
                "workbook."),
)


class Page(QWidget):
    def __init__(self, title: str, blurb: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        layout.addWidget(heading)
        text = QLabel(blurb)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self.resize(1100, 700)
        central = QWidget()
        row = QHBoxLayout(central)
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        for title, blurb in PAGES:
            self.nav.addItem(title)
            page = Page(title, blurb)
            self.pages[title] = page
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.set_workspace(workspace)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for label, shortcut, slot in (
            ("&New workspace…", QKeySequence.StandardKey.New, self.new_workspace),
            ("&Open workspace…", QKeySequence.StandardKey.Open, self.open_workspace),
            ("&Close workspace", QKeySequence.StandardKey.Close, self.close_workspace),
            ("&Quit", QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(label, self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Social Scorecard", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- workspace ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        if self.workspace is not None and self.workspace is not workspace:
            self.workspace.close()
        self.workspace = workspace
        if workspace is None:
            self.setWindowTitle("Social Scorecard")
            self.statusBar().showMessage("No workspace open — File ▸ New or Open")
            self.pages["Dashboard"].body.setText("")
            return
        self.setWindowTitle(f"{workspace.path.name} — Social Scorecard")
        info = workspace.info()
        self.statusBar().showMessage(
            f"{info.members:,} members · {info.responses:,} survey responses · "
            f"{info.batches:,} imports · {info.score_runs:,} score runs"
        )
        self.pages["Dashboard"].body.setText(
            f"Workspace: {workspace.path}\n\n"
            f"Members: {info.members:,}\nSurvey responses: {info.responses:,}\n"
            f"Referrals: {info.referrals:,}\nImports: {info.batches:,}"
        )
        if workspace.report.backup_path is not None:
            # Non-blocking: the window stays usable (and renders headless) while it is shown.
            note = QMessageBox(
                QMessageBox.Icon.Information, "Workspace upgraded",
                "This workspace was made by an older version and has been upgraded.\n"
                f"A backup of the original is at:\n{workspace.report.backup_path}",
                QMessageBox.StandardButton.Ok, self,
            )
            note.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            note.open()
            self.upgrade_note = note

    def _open_path(self, path: str, create: bool) -> None:
        try:
            ws = Workspace.create(path) if create else Workspace.open(path)
        except ScorecardError as exc:
            QMessageBox.warning(self, "Cannot open workspace", str(exc))
            return
        self.set_workspace(ws)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", str(Path.home()), "Scorecard workspace (*.scorecard)"
        )
        if path:
            self._open_path(path, create=True)

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(Path.home()), "Scorecard workspace (*.scorecard)"
        )
        if path:
            self._open_path(path, create=False)

    def close_workspace(self) -> None:
        self.set_workspace(None)

    def show_about(self) -> None:
        QMessageBox.about(
            self, "About Social Scorecard",
            f"Social Scorecard {__version__}\n\nLays a social score over each loyalty member's "
            "financial value to find your Ambassadors.",
        )

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.set_workspace(None)
        super().closeEvent(event)
