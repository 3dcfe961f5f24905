"""Start the desktop app (or render its pages to PNG files with ``--screenshot``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.gui.import_wizard import ImportWizard
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
    """Render every page to ``folder/NN-page.png``, then the import wizard opened on the
    workspace's sample member list when its folder has one (``scorecard demo`` writes it);
    used for the README and for looking."""
    folder.mkdir(parents=True, exist_ok=True)
    window.show()
    count = window.nav.count()
    for row in range(count):
        window.nav.setCurrentRow(row)
        for _ in range(3):  # pages read their data in background Ops, some in two steps
            QApplication.processEvents()
            QThreadPool.globalInstance().waitForDone(120_000)
        QApplication.processEvents()
        name = window.nav.item(row).text().lower()
        window.grab().save(str(folder / f"{row + 1:02d}-{name}.png"))
    if window.workspace is not None:
        sample = window.workspace.path.parent / SAMPLE_FILE
        if sample.exists():
            _shoot_wizard(window, sample, folder, count + 1)
    window.close()
    return 0


SAMPLE_FILE = "customers_export.csv"  # the demo's Shopify export, beside demo.scorecard


def _shoot_wizard(window: MainWindow, sample: Path, folder: Path, number: int) -> None:
    """The wizard's file page (what was detected) and its column mapping, as PNGs."""
    wizard = window.import_file(str(sample))
    if not isinstance(wizard, ImportWizard):
        return
    for _ in range(3):  # the preview is read in a background Op
        QApplication.processEvents()
        QThreadPool.globalInstance().waitForDone(60_000)
    QApplication.processEvents()
    wizard.grab().save(str(folder / f"{number:02d}-import-wizard.png"))
    if wizard.preview is not None:
        wizard.next()  # the preview of the first rows
        wizard.next()  # the column mapping
        QApplication.processEvents()
        wizard.grab().save(str(folder / f"{number + 1:02d}-import-mapping.png"))
    wizard.reject()  # stops its work; nothing was imported
    QApplication.processEvents()
