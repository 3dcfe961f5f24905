"""Fixtures for the GUI tests: a private QSettings location, and checks that a test leaves no
running worker threads and no top-level widgets behind. Import them into a test module:

    from tests.gui_fixtures import gui_guard, main_window  # noqa: F401
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import getCppPointer


def _key(widget: QWidget) -> int:
    return int(getCppPointer(widget)[0])  # Python wrappers come and go; the C++ object stays


def _flush() -> None:
    for _ in range(3):
        QApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Collect cycles of Qt wrappers now, while Qt is alive, rather than in the interpreter's
    # final collection after QApplication is gone.
    gc.collect()


@pytest.fixture
def gui_guard(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    """Temporary QSettings; fails the test on leaked threads or top-level widgets."""
    qapp.setOrganizationName("Social Scorecard Tests")
    qapp.setApplicationName("Social Scorecard Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qsettings"))
    before = {_key(w) for w in QApplication.topLevelWidgets()}
    yield qapp
    pool = QThreadPool.globalInstance()
    finished = pool.waitForDone(10_000)
    _flush()
    leaked = [w for w in QApplication.topLevelWidgets() if _key(w) not in before]
    names = [f"{type(w).__name__}({w.windowTitle()!r})" for w in leaked]
    for widget in leaked:
        widget.close()
        widget.deleteLater()
    _flush()
    assert finished and pool.activeThreadCount() == 0, "a worker thread is still running"
    assert not leaked, f"top-level widgets left behind: {names}"


def close_widget(widget: QWidget) -> None:
    widget.close()
    widget.deleteLater()
    _flush()


@pytest.fixture
def main_window(gui_guard: QApplication) -> Iterator[object]:
    """A MainWindow with no workspace; closed (and its workspace with it) after the test."""
    from app.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    yield window
    QThreadPool.globalInstance().waitForDone(10_000)
    _flush()
    close_widget(window)
