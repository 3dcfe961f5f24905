"""Start the desktop app (or render its pages to PNG files with ``--screenshot``)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.gui.main_window import MainWindow
from scorecard.workspace import Workspace


def run_gui(workspace: str | None = None, screenshot_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Social Scorecard")
    app.setOrganizationName("Social Scorecard")
    ws = Workspace.open(workspace) if workspace else None  # errors reach the CLI's one-liner
    window = MainWindow(ws)
    if screenshot_dir is not None:
        return save_screenshots(window, Path(screenshot_dir))
    window.show()
    return app.exec()


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
