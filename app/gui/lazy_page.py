"""Pages that read their data in the background, and only when someone looks at them."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.gui.worker import Op
from scorecard.workspace import Workspace


class LazyPage(QWidget):
    """A page whose ``load()`` starts a background read: ``refresh()`` reloads now when the
    page is on screen, else when it is next shown, so an import does not make every hidden
    page read a million members."""

    def __init__(self) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self._dirty = True

    def load(self) -> Op | None:  # pragma: no cover - every page defines it
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload after a change: now when the page is on screen, else when it is next shown."""
        self._dirty = True
        if self.workspace is not None and self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty and self.workspace is not None:
            self.load()
