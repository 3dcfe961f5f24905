"""Start the desktop app (or render its pages to PNG files with ``--screenshot``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.gui.main_window import MainWindow
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace


def run_gui(workspace: str | None = None, screenshot_dir: str | None = None) -> int:
    if screenshot_dir is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # pictures need no screen
    elif not _has_display():
        raise ScorecardError(
            "no display to open a window on (set DISPLAY, or use --screenshot DIR to render "
            "the pages to PNG files)"
        )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Social Scorecard")
    app.setOrganizationName("Social Scorecard")
    ws = Workspace.open(workspace) if workspace else None  # errors reach the CLI's one-liner
    window = MainWindow(ws)
    if screenshot_dir is not None:
        return save_screenshots(window, Path(screenshot_dir))
    window.show()
    return app.exec()


def _has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def save_screenshots(window: MainWindow, folder: Path) -> int:
    """Render every page to ``folder/NN-page.png``; used for the README and for looking."""
    folder.mkdir(parents=True, exist_ok=True)
    window.show()
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        QApplication.processEvents()
        name = window.nav.item(row).text().lower()
        window.grab().save(str(folder / f"{row + 1:02d}-{name}.png"))
    window.close()
    return 0
