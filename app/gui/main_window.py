"""The main window: a navigation list on the left, one page per task on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.gui.dashboard_page import DashboardPage
from app.gui.importing import ImportRunner
from app.gui.imports_page import ImportsPage
from app.gui.member_detail import MemberDetail
from app.gui.members_page import MembersPage
from app.gui.network_page import NetworkPage
from app.gui.paper_entry import PaperEntryDialog
from app.gui.reports_page import ReportsPage
from app.gui.settings_dialog import SettingsDialog
from app.gui.studio_page import StudioPage
from app.gui.worker import Op, show_error
from scorecard import __version__
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

MAX_RECENT = 8
PAGES = ("Dashboard", "Members", "Imports", "Scoring", "Network", "Reports")


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
        self.scoring_page = StudioPage()
        self.dashboard_page = DashboardPage()
        self.network_page = NetworkPage()
        self.reports_page = ReportsPage()
        self.member_dialogs: list[MemberDetail] = []
        self.pages: dict[str, QWidget] = {}
        by_title: dict[str, QWidget] = {
            "Dashboard": self.dashboard_page, "Members": self.members_page,
            "Imports": self.imports_page, "Scoring": self.scoring_page,
            "Network": self.network_page, "Reports": self.reports_page,
        }
        for title in PAGES:
            self.nav.addItem(title)
            page = by_title[title]
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
        self._connect_pages()
        self.scoring_page.scored.connect(lambda _summary: self.refresh())
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
        self.paper_action = self._action(file_menu, "Enter &paper questionnaires…",
                                         self.enter_paper)
        file_menu.addAction(self.members_page.export_action)
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
            self.scoring_page.cancel_and_wait()
            self.reports_page.cancel_and_wait()
            self._close_member_dialogs()
            self.workspace.close()
        self.workspace = workspace
        for action in (self.close_action, self.import_action, self.paper_action,
                       self.settings_action):
            action.setEnabled(workspace is not None)
        self.members_page.set_workspace(workspace)
        self.imports_page.set_workspace(workspace)
        self.scoring_page.set_workspace(workspace)
        self.dashboard_page.set_workspace(workspace)
        self.network_page.set_workspace(workspace)
        self.reports_page.set_workspace(workspace)
        if workspace is None:
            self.setWindowTitle("Social Scorecard")
            self.statusBar().showMessage("No workspace open — File ▸ New or Open")
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
        """Score every member with the studio's config in the background (the Run button)."""
        return self.scoring_page.run()

    def refresh(self) -> None:
        self.members_page.refresh()
        self.imports_page.refresh()
        self.scoring_page.refresh()
        self.dashboard_page.refresh()
        self.network_page.refresh()
        self.reports_page.refresh()
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

    # -- Dashboard, Network and member detail ----------------------------------------------
    def _connect_pages(self) -> None:
        dash, net = self.dashboard_page, self.network_page
        dash.member_requested.connect(self.open_member)
        dash.segment_requested.connect(self.show_segment)
        dash.batch_requested.connect(self.show_batch)
        dash.network_requested.connect(lambda: self.show_page("Network"))
        dash.open_requested.connect(self.open_workspace)
        dash.new_requested.connect(self.new_workspace)
        dash.import_requested.connect(lambda: self.import_file(kind="members"))
        dash.score_requested.connect(lambda: (self.show_page("Scoring"), self.score_members()))
        net.member_requested.connect(self.open_member)
        net.import_requested.connect(lambda: self.import_file(kind="referrals"))
        self.members_page.table.doubleClicked.connect(
            lambda index: self.open_member(self.members_page.model.member_id(index.row())))

    def show_page(self, title: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(title))

    def open_member(self, member_id: int) -> MemberDetail | None:
        """The member's detail in a window of its own (returned, for tests)."""
        if self.workspace is None:
            return None
        dialog = MemberDetail(self.workspace, member_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.member_requested.connect(self.open_member)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget_dialog(d))
        self.member_dialogs.append(dialog)
        dialog.show()
        return dialog

    def _forget_dialog(self, dialog: MemberDetail) -> None:
        if dialog in self.member_dialogs:
            self.member_dialogs.remove(dialog)

    def _close_member_dialogs(self) -> None:
        for dialog in list(self.member_dialogs):  # they read the workspace being closed
            dialog.op.wait(10)
            dialog.close()
        self.member_dialogs.clear()

    def show_segment(self, segment: str) -> None:
        """The Members page, filtered to one segment."""
        self.show_page("Members")
        combo = self.members_page.segment
        if combo.findText(segment) >= 0:
            combo.setCurrentText(segment)
        else:
            self.members_page.model.set_filter(segment=segment)

    def show_batch(self, batch_id: int) -> None:
        """The Imports page with one batch selected (its rejects one click away)."""
        self.show_page("Imports")
        page = self.imports_page
        for row, batch in enumerate(reversed(page.batches)):  # the table lists newest first
            if batch.id == batch_id:
                page.table.selectRow(row)
                break

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

    def enter_paper(self) -> PaperEntryDialog | None:
        """Type returned paper questionnaires in (window-modal: the workspace stays open)."""
        if self.workspace is None:
            return None
        dialog = PaperEntryDialog(self.workspace, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

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
