"""Import a file in the background. Import… and a dropped file open the import wizard
(``app.gui.import_wizard``); ``ImportRunner.start`` with a known kind imports straight away
(progress dialog with Cancel, a question before importing the same file twice, the result).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.import_wizard import IMPORTS, ImportWizard
from app.gui.worker import Op, show_error
from scorecard.errors import Cancelled
from scorecard.workspace import Workspace
from survey.importing import AlreadyImported, ImportResult
from survey.preview import KIND_LABELS, detect_kind

KINDS = IMPORTS
LABELS = KIND_LABELS


def guess_kind(path: str | Path) -> str:
    """A first guess of what a file holds, from its header; the user confirms it."""
    try:
        return detect_kind(path)[0]
    except Exception:
        return "members"


class ImportRunner(QObject):
    imported = Signal(object)  # ImportResult

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.op: Op | None = None
        self.result_box: QMessageBox | None = None
        self.wizard: ImportWizard | None = None

    def open_wizard(self, ws: Workspace, path: str | None = None,
                    kind: str | None = None) -> ImportWizard:
        """The import wizard for ``path`` (or a file still to choose); one at a time."""
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            if path:
                self.wizard.restart()
                self.wizard.set_path(path)
            return self.wizard
        wizard = ImportWizard(ws, path, kind, self.window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self.imported)
        wizard.destroyed.connect(lambda: setattr(self, "wizard", None))
        wizard.finished.connect(lambda _r: setattr(self, "wizard", None))
        wizard.open()
        self.wizard = wizard
        return wizard

    def start(self, ws: Workspace, path: str | None = None, kind: str | None = None,
              *, again: bool = False, ask: bool = True) -> Op | ImportWizard | None:
        """Import ``path`` as ``kind`` now; without both, open the wizard instead."""
        if not path or kind is None:
            return self.open_wizard(ws, path, kind)
        if self.op is not None and self.op.running:
            return None
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
        if self.wizard is not None:
            self.wizard.reject()  # stops its work
            self.wizard = None
        if self.op is not None and self.op.running:
            self.op.cancel()
            self.op.wait(30)
