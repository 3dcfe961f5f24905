"""Import a file in the background: pick the kind, run the domain import with a progress
dialog and Cancel, ask before importing the same file twice, show the result.

The full wizard (mapping table, dry-run validation step) builds on this runner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from app.gui.worker import Op, show_error
from scorecard.errors import Cancelled
from scorecard.workspace import Workspace
from survey.dialects import detect_dialect
from survey.engagement import import_engagement
from survey.importing import AlreadyImported, ImportResult
from survey.members import detect_member_dialect, import_members
from survey.readers import open_table
from survey.referrals import import_referrals
from survey.responses import import_survey

KINDS: dict[str, Callable[..., ImportResult]] = {
    "members": import_members,
    "survey": import_survey,
    "referrals": import_referrals,
    "engagement": import_engagement,
}
LABELS = {"members": "Member list", "survey": "Survey responses", "referrals": "Referrals",
          "engagement": "Email engagement"}
FILES = "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"


def guess_kind(path: str | Path) -> str:
    """A first guess of what a file holds, from its header; the user confirms it."""
    try:
        table = open_table(Path(path))
        header = [str(h) for h in table.header]
    except Exception:
        return "members"
    if detect_dialect([header]) != "plain":
        return "survey"
    names = {h.strip().casefold() for h in header}
    if any("referr" in n for n in names):
        return "referrals"
    if names & {"opens", "clicks", "open rate", "click rate", "member_rating", "forwards"} \
            and detect_member_dialect(header) != "shopify":
        return "engagement"
    return "members"


class ImportRunner(QObject):
    imported = Signal(object)  # ImportResult

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.op: Op | None = None
        self.result_box: QMessageBox | None = None

    def start(self, ws: Workspace, path: str | None = None, kind: str | None = None,
              *, again: bool = False, ask: bool = True) -> Op | None:
        if self.op is not None and self.op.running:
            return None
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.window, "Import a file", str(Path.home()),
                                                  FILES)
        if not path:
            return None
        if kind is None:
            guess = guess_kind(path)
            labels = list(LABELS.values())
            label, ok = QInputDialog.getItem(
                self.window, "Import", f"{Path(path).name} holds:", labels,
                list(LABELS).index(guess), False,
            )
            if not ok:
                return None
            kind = list(LABELS)[labels.index(label)]
        function, target = KINDS[kind], path

        def work(progress: Callable[[float, str], None], cancel: Callable[[], bool]) -> Any:
            return function(ws, target, again=again, progress=progress, cancel=cancel)

        op = Op(work, title=f"Import {Path(path).name}", parent=self)
        op.succeeded.connect(self._done)
        op.failed.connect(lambda exc: self._failed(exc, ws, target, kind, ask))
        self.op = op.start(self.window, show_errors=False, progress_dialog=True)
        return op

    def _done(self, result: ImportResult) -> None:
        self.imported.emit(result)
        box = QMessageBox(QMessageBox.Icon.Information, "Import finished", result.describe(),
                          QMessageBox.StandardButton.Ok, self.window)
        box.open()
        self.result_box = box

    def _failed(self, exc: BaseException, ws: Workspace, path: str, kind: str,
                ask: bool) -> None:
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, AlreadyImported) and ask:
            answer = QMessageBox.question(self.window, "Already imported",
                                          f"{exc}\n\nImport it again?")
            if answer == QMessageBox.StandardButton.Yes:
                self.start(ws, path, kind, again=True)
            return
        self.result_box = show_error(self.window, "Import", exc)

    def cancel_and_wait(self) -> None:
        if self.op is not None and self.op.running:
            self.op.cancel()
            self.op.wait(30)
