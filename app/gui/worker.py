"""Background work: run one domain call off the GUI thread, with progress, cancel and errors.

Like Anki's ``QueryOp``/``CollectionOp``: the domain call is a plain function that accepts the
domain's ``progress=(fraction, message)`` and ``cancel=() -> bool`` callables; it runs on a
``QThreadPool`` thread, and its result or exception is delivered on the GUI thread::

    op = Op(lambda progress, cancel: import_members(ws, path, progress=progress, cancel=cancel))
    op.progressed.connect(bar.update)
    op.succeeded.connect(show_result)
    op.start(parent=self)            # failures show an error dialog unless on_failure is given

Worker threads must open their own database connections (``ws.engine.connect()``), which
every domain function does.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from scorecard.errors import Cancelled, ScorecardError

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]
Work = Callable[[ProgressFn, CancelFn], Any]


class _Runnable(QRunnable):
    def __init__(self, op: Op) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op

    def run(self) -> None:  # worker thread
        op = self._op
        try:
            result = op._work(op._report, op.is_cancelled)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            op._signals.raised.emit(exc, traceback.format_exc())
        else:
            op._signals.returned.emit(result)
        finally:
            op._done.set()


class _Signals(QObject):
    """Emitted from the worker thread; queued to the receivers on the GUI thread."""

    progress = Signal(float, str)
    returned = Signal(object)
    raised = Signal(object, str)


class Op(QObject):
    """One background operation. Keep a reference (or a parent) until ``finished``."""

    progressed = Signal(float, str)  # fraction 0..1, message
    succeeded = Signal(object)  # the call's return value
    failed = Signal(object)  # the exception (Cancelled included)
    cancelled = Signal()
    finished = Signal()  # after succeeded / failed, always

    def __init__(
        self, work: Work, *, title: str = "Working", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._work = work
        self.title = title
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._signals = _Signals()
        self._signals.progress.connect(self.progressed)
        self._signals.returned.connect(self._on_returned)
        self._signals.raised.connect(self._on_raised)
        self.error_dialog: QMessageBox | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._show_errors = True
        self._dialog_parent: QWidget | None = None
        self.running = False

    # -- control (GUI thread) ----------------------------------------------------------------
    def start(
        self, parent: QWidget | None = None, *, show_errors: bool = True,
        progress_dialog: bool = False,
    ) -> Op:
        """Start the work. ``show_errors``: failures (not cancels) open an error dialog."""
        self._dialog_parent = parent
        self._show_errors = show_errors
        self._cancel.clear()
        self._done.clear()
        self.running = True
        if progress_dialog:
            self._open_progress_dialog(parent)
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Ask the work to stop; the domain raises Cancelled at its next progress tick."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the worker thread is done (for shutdown); results still arrive queued."""
        return self._done.wait(timeout_s)

    # -- worker-thread side ------------------------------------------------------------------
    def _report(self, fraction: float, message: str) -> None:
        self._signals.progress.emit(float(fraction), str(message))

    # -- results (GUI thread) ----------------------------------------------------------------
    def _on_returned(self, result: object) -> None:
        self._close_progress_dialog()
        self.running = False
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_raised(self, exc: BaseException, details: str) -> None:
        self._close_progress_dialog()
        self.running = False
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
        elif self._show_errors:
            self.error_dialog = show_error(self._dialog_parent, self.title, exc, details)
        self.failed.emit(exc)
        self.finished.emit()

    def _open_progress_dialog(self, parent: QWidget | None) -> None:
        dialog = QProgressDialog(self.title + "…", "Cancel", 0, 1000, parent)
        dialog.setWindowTitle(self.title)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.progressed.connect(
            lambda f, m: (dialog.setValue(int(f * 1000)), dialog.setLabelText(m))
        )
        self.progress_dialog = dialog

    def _close_progress_dialog(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None


def error_text(exc: BaseException) -> tuple[str, str | None]:
    """(what a person reads, details to copy or None). ScorecardError messages are for people."""
    if isinstance(exc, ScorecardError):
        return str(exc), None
    return (
        "Something unexpected went wrong; nothing was changed by the part that failed.\n"
        "Please copy the details below into a bug report.",
        "".join(traceback.format_exception(exc)),
    )


def show_error(
    parent: QWidget | None, title: str, exc: BaseException, details: str | None = None
) -> QMessageBox:
    """A window-modal error box (``open()``, not ``exec()``: it never blocks the caller)."""
    text, extra = error_text(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, f"{title}: failed", text,
                      QMessageBox.StandardButton.Ok, parent)
    if extra is not None:
        box.setDetailedText(details or extra)
    box.setObjectName("errorDialog")
    box.open()
    return box
