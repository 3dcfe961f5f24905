"""The main window: a navigation list on the left, one page per task on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.importing import ImportRunner
from app.gui.imports_page import ImportsPage
from app.gui.members_page import MembersPage
from app.gui.settings_dialog import SettingsDialog
from app.gui.worker import Op, show_error
from scorecard import __version__
from scorecard.errors import ScorecardError
from scorecard.scoring.runs import RunSummary, list_runs, score
from scorecard.workspace import Workspace

MAX_RECENT = 8
# What each page is for; a page that a later release fills says what it will hold.
PAGES: tuple[tuple[str, str], ...] = (
    ("Dashboard", "Key figures and the Financial × Social quadrant of your members."),
    ("Members", ""),
    ("Imports", ""),
    ("Scoring", "Score every member with the saved weights and thresholds (export or import "
                "them as TOML with `scorecard config`). Editing them here comes in a later "
                "release."),
    ("Network", "Who brought in whom: referrals, network value and influence. Import a "
                "referrals report (File ▸ Import…) to fill it."),
    ("Reports", "The executive PDF, member scorecards, paper questionnaires and the Excel "
                "workbook. Coming in a later release."),
)


class Page(QWidget):
    def __init__(self, title: str, blurb: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        layout.addWidget(heading)
        text = QLabel(blurb)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)
        self.action = QPushButton()
        self.action.hide()
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self.upgrade_note: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self.setAcceptDrops(True)
        self.resize(1200, 720)
        central = QWidget()
        row = QHBoxLayout(central)
        self.nav = QListWidget()
        self.nav.setFixedWidth(160)
        self.stack = QStackedWidget()
        self.members_page = MembersPage()
        self.imports_page = ImportsPage()
        self.pages: dict[str, QWidget] = {}
        for title, blurb in PAGES:
            self.nav.addItem(title)
            page: QWidget = {"Members": self.members_page, "Imports": self.imports_page}.get(
                title) or Page(title, blurb)
            self.pages[title] = page
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.importer = ImportRunner(self)
        self.importer.imported.connect(self.refresh)
        self.imports_page.changed.connect(self.refresh)
        self.imports_page.import_requested.connect(self.import_file)
        network = self.pages["Network"]
        assert isinstance(network, Page)
        network.action.setText("Import referrals…")
        network.action.clicked.connect(lambda: self.import_file(kind="referrals"))
        scoring = self.pages["Scoring"]
        assert isinstance(scoring, Page)
        scoring.action.setText("Score all members")
        scoring.action.clicked.connect(self.score_members)
        self.scoring_page = scoring
        self._build_menus()
        self.set_workspace(workspace)

    # -- menus -------------------------------------------------------------------------------
    def _action(self, menu: QMenu, label: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(label, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New workspace…", self.new_workspace, keys.New)
        self._action(file_menu, "&Open workspace…", self.open_workspace, keys.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.close_action = self._action(file_menu, "&Close workspace", self.close_workspace,
                                         keys.Close)
        file_menu.addSeparator()
        self.import_action = self._action(file_menu, "&Import…", self.import_file,
                                          QKeySequence("Ctrl+I"))
        self.settings_action = self._action(file_menu, "Workspace &settings…",
                                            self.edit_settings)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence("Ctrl+Q"))
        edit_menu = self.menuBar().addMenu("&Edit")
        self._action(edit_menu, "&Find member…", self.find_member, keys.Find)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About Social Scorecard", self.show_about)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent_files()))

    # -- workspace ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        if self.workspace is not None and self.workspace is not workspace:
            self.importer.cancel_and_wait()
            self.workspace.close()
        self.workspace = workspace
        for action in (self.close_action, self.import_action, self.settings_action):
            action.setEnabled(workspace is not None)
        self.members_page.set_workspace(workspace)
        self.imports_page.set_workspace(workspace)
        self._show_runs()
        if workspace is None:
            self.setWindowTitle("Social Scorecard")
            self.statusBar().showMessage("No workspace open — File ▸ New or Open")
            self._dashboard("Open a workspace (File ▸ Open, Ctrl+O) or make a new one (Ctrl+N).")
            return
        self.setWindowTitle(f"{workspace.path.name} — Social Scorecard")
        remember_recent(str(workspace.path))
        self._fill_recent()
        self.refresh_counts()
        if workspace.report.backup_path is not None:
            # Non-blocking: the window stays usable (and renders headless) while it is shown.
            note = QMessageBox(
                QMessageBox.Icon.Information, "Workspace upgraded",
                f"This workspace was made by an older version (schema "
                f"{workspace.report.migrated_from}) and has been upgraded.\n"
                f"A backup of the original is at:\n{workspace.report.backup_path}",
                QMessageBox.StandardButton.Ok, self,
            )
            note.open()
            self.upgrade_note = note

    def score_members(self) -> Op | None:
        """Run the scoring in the background; the Members page then shows the new run."""
        ws = self.workspace
        if ws is None:
            return None
        op = Op(lambda p, c: score(ws, progress=lambda m: p(0.0, m), cancel=c),
                title="Score all members", parent=self)
        op.succeeded.connect(self._scored)
        return op.start(self, progress_dialog=True)

    def _scored(self, summary: RunSummary) -> None:
        self.refresh()  # the new run's segments reach the Members page and the run list
        runs = self.scoring_page.body.text()
        self.scoring_page.body.setText(f"{summary.describe()}\n\nAll runs:\n{runs}")

    def _show_runs(self) -> None:
        ws = self.workspace
        self.scoring_page.action.setVisible(ws is not None)
        if ws is None:
            self.scoring_page.body.setText("")
            return
        found = list_runs(ws)
        lines = [
            f"Run {r.id} · {r.created_at:%Y-%m-%d %H:%M} · {r.members_scored:,} members · "
            + ", ".join(f"{k} {v:,}" for k, v in r.segments.items())
            for r in reversed(found[-10:])
        ]
        self.scoring_page.body.setText(
            "\n".join(lines) if lines else "No score runs yet: press Score all members."
        )

    def refresh(self) -> None:
        self.members_page.refresh()
        self.imports_page.refresh()
        self._show_runs()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        if self.workspace is None:
            return
        info = self.workspace.info()
        self.statusBar().showMessage(
            f"{info.members:,} members · {info.responses:,} survey responses · "
            f"{info.batches:,} imports · {info.score_runs:,} "
            + ("score run" if info.score_runs == 1 else "score runs")
        )
        self._dashboard(
            f"Workspace: {self.workspace.path}\n\n"
            f"Members: {info.members:,}\nSurvey responses: {info.responses:,}\n"
            f"Referrals: {info.referrals:,}\nEngagement records: {info.engagement_records:,}\n"
            f"Imports: {info.batches:,}\nScore runs: {info.score_runs:,}"
        )

    def _dashboard(self, text: str) -> None:
        page = self.pages["Dashboard"]
        assert isinstance(page, Page)
        page.body.setText(text)

    def open_path(self, path: str, create: bool = False) -> bool:
        try:
            ws = Workspace.create(path) if create else Workspace.open(path)
        except ScorecardError as exc:
            self.error_box = show_error(self, "Open workspace", exc)
            if not create and not Path(path).exists():
                forget_recent(path)
                self._fill_recent()
            return False
        self.set_workspace(ws)
        return True

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", str(Path.home()), "Scorecard workspace (*.scorecard)"
        )
        if path:
            self.open_path(path, create=True)

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", str(Path.home()), "Scorecard workspace (*.scorecard)"
        )
        if path:
            self.open_path(path)

    def close_workspace(self) -> None:
        self.set_workspace(None)

    # -- actions -----------------------------------------------------------------------------
    def import_file(self, path: str | None = None, kind: str | None = None) -> object | None:
        """Import… and dropped files: the import wizard (returned, for tests)."""
        if self.workspace is None:
            return None
        return self.importer.start(self.workspace, path, kind)

    def find_member(self) -> None:
        self.nav.setCurrentRow(list(self.pages).index("Members"))
        self.members_page.focus_search()

    def edit_settings(self) -> SettingsDialog | None:
        if self.workspace is None:
            return None
        dialog = SettingsDialog(self.workspace, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self, "About Social Scorecard",
            f"Social Scorecard {__version__}\n\nLays a social score over each loyalty member's "
            "financial value to find your Ambassadors.",
        )

    # -- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.workspace is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.import_file(urls[0])

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.set_workspace(None)
        super().closeEvent(event)


def recent_files() -> list[str]:
    value = QSettings().value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def remember_recent(path: str) -> None:
    paths = [path, *(p for p in recent_files() if p != path)][:MAX_RECENT]
    QSettings().setValue("recent", paths)


def forget_recent(path: str) -> None:
    QSettings().setValue("recent", [p for p in recent_files() if p != path])
