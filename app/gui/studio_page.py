"""The Scoring studio: move a weight or threshold and see who changes segment, then save and run.

The workspace is read once in the background (``whatif.load_whatif``, the run's own loader);
each change restarts a 150 ms debounce timer, and only then one evaluation runs on a worker
thread (``WhatIf.evaluate``, milliseconds at 100k members). While one runs, further changes
wait as a single pending request, and a result that a newer request will replace is dropped,
so dragging a slider never queues a backlog. The data is loaded again only when the page is
shown after the workspace's imports or margin changed.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.heading import page_heading
from app.gui.studio_controls import ControlPanel
from app.gui.studio_views import RunsView, StudioBar, WhatIfView
from app.gui.worker import Op, show_error
from scorecard.errors import ScorecardError
from scorecard.scoring.config import ScoringConfig, default_config
from scorecard.scoring.config_toml import to_toml, validate
from scorecard.scoring.configs import ConfigInfo, current_config, read_config, save_config
from scorecard.scoring.loading import gross_margin
from scorecard.scoring.runs import RunSummary, list_runs, score
from scorecard.scoring.whatif import (
    Baseline,
    Outcome,
    WhatIf,
    data_fingerprint,
    load_whatif,
    run_baseline,
    set_value,
)
from scorecard.workspace import Workspace

DEBOUNCE_MS = 150
PICKED = -1  # choose_baseline(): the run picked in the box
NO_WORKSPACE = "Open a workspace (File ▸ Open, Ctrl+O) to tune how its members are scored."
NO_MEMBERS = ("This workspace has no members yet: import a member list (File ▸ Import…, "
              "Ctrl+I), then the survey answers, and the studio will show how the weights "
              "sort them into segments.")
NO_ANSWERS = ("No survey answers yet: every member counts as Not surveyed, so the social "
              "weights have nothing to move. Import survey responses (File ▸ Import…); the "
              "financial settings and Run work already.")


class StudioPage(QWidget):
    scored = Signal(object)  # RunSummary of a run made here
    evaluated = Signal(object)  # the Outcome now shown

    def __init__(self) -> None:
        super().__init__()
        self.workspace: Workspace | None = None
        self.whatif: WhatIf | None = None
        self.config: ScoringConfig = default_config()
        self.start_config = self.config  # what Reset returns to: the config last loaded or saved
        self.saved_id: int | None = None
        self.dirty = False
        self.outcome: Outcome | None = None
        self.last_latency: float | None = None  # seconds from the last change to its counts
        self.error_box: QMessageBox | None = None
        self.load_op: Op | None = None
        self.eval_op: Op | None = None
        self.side_op: Op | None = None  # a baseline or comparison read
        self.run_op: Op | None = None
        self._generation = 0  # bumped when the data changes: older results are dropped
        self._stale = True
        self._fingerprint: tuple[object, ...] | None = None
        self._pending = False
        self._changed_at: float | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.recompute)
        self._build()
        self.set_workspace(None)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = page_heading("Scoring studio")
        layout.addWidget(heading)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.banner = QLabel(NO_ANSWERS)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4ce; padding: 6px; border-radius: 3px;")
        layout.addWidget(self.banner)
        self.body = QSplitter()
        self.panel = ControlPanel()
        self.panel.changed.connect(self._changed)
        self.body.addWidget(self.panel)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(6, 0, 0, 0)
        self.bar = bar = StudioBar()
        bar.name_edit.textEdited.connect(lambda _t: self._set_dirty(True))
        bar.save_button.clicked.connect(lambda: self.save_config())
        bar.run_button.clicked.connect(lambda: self.run())
        bar.import_button.clicked.connect(lambda: self.import_toml())
        bar.export_button.clicked.connect(lambda: self.export_toml())
        bar.reset_button.clicked.connect(self.reset)
        bar.baseline_box.activated.connect(lambda _i: self.choose_baseline())
        self.baseline_box, self.name_edit, self.status = bar.baseline_box, bar.name_edit, bar.status
        column.addWidget(bar)
        self.tabs = QTabWidget()
        column.addWidget(self.tabs, 1)
        self.whatif_view = WhatIfView()
        self.tabs.addTab(self.whatif_view, "What if")
        self.runs_view = RunsView()
        self.tabs.addTab(self.runs_view, "Runs")
        self.body.addWidget(right)
        self.body.setStretchFactor(1, 1)
        self.body.setSizes([430, 800])
        layout.addWidget(self.body, 1)
        self.filler = QWidget()  # keeps a state sentence at the top while the studio is hidden
        layout.addWidget(self.filler, 1)

    # -- workspace and loading ---------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self.cancel_and_wait()
        self.workspace = workspace
        self.whatif = self.outcome = None
        self._stale, self._fingerprint = True, None
        self.whatif_view.clear()
        self.banner.hide()
        if workspace is None:
            self._set_dirty(False)
            self._show_message(NO_WORKSPACE)
            return
        try:
            config, self.saved_id = current_config(workspace)
        except ScorecardError as exc:  # a saved config this version cannot read
            config, self.saved_id = default_config(), None
            self.status.setText(f"The saved config could not be read ({exc}); showing the "
                                "defaults.")
        self._apply(config, dirty=False)
        self.start_config = config
        self._load_runs()
        self._show_message("Loading the members and their answers …")
        if self.isVisible():
            self.ensure_loaded()

    def refresh(self) -> None:
        """After imports, undo or settings: the run list now, the data when next shown."""
        if self.workspace is None:
            return
        self._load_runs()
        if self._fingerprint is not None and self._fingerprint != data_fingerprint(self.workspace):
            self._stale = True
            if self.isVisible():
                self.ensure_loaded()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def ensure_loaded(self, config: ScoringConfig | None = None) -> Op | None:
        """Read the workspace in the background unless already loaded (returns the load)."""
        ws = self.workspace
        if ws is None or (self.load_op is not None and self.load_op.running):
            return self.load_op
        if not self._stale and config is None:
            return None
        self._stale = False
        self._generation += 1
        gen, config = self._generation, config or self.config
        run_id = self.baseline_box.currentData()
        self._fingerprint = data_fingerprint(self.workspace)

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            progress(0.0, "Reading members and answers …")
            whatif = load_whatif(ws, config, cancel=cancel)
            baseline = (run_baseline(ws, run_id, whatif.inputs.member_ids)
                        if run_id is not None else None)
            return gen, whatif, baseline, config

        self.load_op = Op(work, title="Load the scoring studio", parent=self)
        self.load_op.succeeded.connect(self._loaded)
        self.load_op.failed.connect(self._load_failed)
        return self.load_op.start(self, show_errors=False)

    def _loaded(self, result: tuple[int, WhatIf, Baseline | None, ScoringConfig]) -> None:
        gen, whatif, baseline, config = result
        if gen != self._generation:
            return
        whatif.set_baseline(baseline)
        self.use_whatif(whatif, config if config is not self.config else None)

    def _load_failed(self, exc: BaseException) -> None:
        if self.workspace is not None:
            self._stale = True
            self._show_message(f"The studio could not read this workspace: {exc}")

    def use_whatif(self, whatif: WhatIf, config: ScoringConfig | None = None) -> None:
        """Show ``whatif`` (loaded here, or built by a test or benchmark) and evaluate."""
        self.whatif = whatif
        if config is not None:
            self._apply(config, dirty=self.dirty)
        if whatif.n == 0:
            self._show_message(NO_MEMBERS)
            return
        self.message.hide()
        self.banner.setVisible(whatif.surveyed == 0)
        self.body.show()
        self.filler.hide()
        self.recompute()

    def _show_message(self, text: str) -> None:
        """A state sentence instead of the studio (no workspace, loading, no members)."""
        self.message.setText(text)
        self.message.show()
        self.body.hide()
        self.filler.show()

    # -- changes and the recompute -------------------------------------------------------------
    def _apply(self, config: ScoringConfig, dirty: bool) -> None:
        self.config = config
        self.name_edit.setText(config.name)
        margin = ""
        if self.workspace is not None:
            try:
                margin = f"Workspace ({gross_margin(self.workspace):.0%})"
            except ScorecardError:
                margin = "Workspace"
        self.panel.set_config(config, margin)
        self._set_dirty(dirty)

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        has_ws = self.workspace is not None
        self.bar.save_button.setEnabled(has_ws)
        self.bar.save_button.setText("Save config*" if dirty else "Save config")
        self.bar.run_button.setEnabled(has_ws)

    def _changed(self, path: str, value: object) -> None:
        self.config = set_value(self.config, path, value)
        self._set_dirty(True)
        self._changed_at = time.perf_counter()
        self._debounce.start()  # restarts: a drag evaluates once it pauses

    def recompute(self) -> Op | None:
        """Evaluate the current config now (the debounce timer calls this)."""
        self._debounce.stop()
        whatif = self.whatif
        if whatif is None:
            return None
        if self.eval_op is not None and self.eval_op.running:
            self._pending = True  # one request waits; more changes just update it
            return self.eval_op
        config = self.config
        if not whatif.compatible(config):  # other items or bands: read the workspace again
            return self.ensure_loaded(config)
        gen = self._generation
        op = Op(lambda _p, _c: (gen, whatif.evaluate(config)), title="What if", parent=self)
        op.succeeded.connect(self._evaluated)
        op.failed.connect(self._evaluation_failed)
        op.finished.connect(self._evaluation_finished)
        self.eval_op = op
        return op.start(self, show_errors=False)

    def _evaluation_finished(self) -> None:
        if self._pending:
            self._pending = False
            self.recompute()

    def _evaluation_failed(self, exc: BaseException) -> None:
        if not self._pending and not self._debounce.isActive():
            self.status.setText(f"<span style='color:#a00'>Cannot score with this: {exc}</span>")

    def _evaluated(self, result: tuple[int, Outcome]) -> None:
        gen, outcome = result
        if gen != self._generation or self._pending or self._debounce.isActive():
            return  # stale: a newer request is on its way
        self.outcome = outcome
        self._show_outcome(outcome)
        if self._changed_at is not None:
            self.last_latency = time.perf_counter() - self._changed_at
            self._changed_at = None
        self.evaluated.emit(outcome)

    def _show_outcome(self, o: Outcome) -> None:
        assert self.whatif is not None
        self.whatif_view.show_outcome(o, self.whatif, self.workspace)
        self.status.setText(
            f"{len(o.moved):,} of {self.whatif.n:,} members move against {o.before.name} "
            f"({self.whatif.surveyed:,} surveyed) · recomputed {', '.join(o.recomputed)} in "
            f"{o.seconds * 1000:.0f} ms")

    # -- runs and baselines ------------------------------------------------------------------
    def _load_runs(self) -> None:
        assert self.workspace is not None
        runs = list_runs(self.workspace)
        self.runs_view.set_runs(self.workspace, runs)
        self.bar.set_runs(runs)

    def choose_baseline(self, run_id: int | None = PICKED) -> Op | None:
        """Compare with a saved run (default: the one picked in the box); None: the start."""
        if run_id != PICKED:
            self.baseline_box.setCurrentIndex(self.baseline_box.findData(run_id))
        run_id = self.baseline_box.currentData()
        whatif, ws, gen = self.whatif, self.workspace, self._generation
        if whatif is None or ws is None:
            return None
        if run_id is None:
            whatif.set_baseline(None)
            self.recompute()
            return None
        op = Op(lambda _p, _c: (gen, run_baseline(ws, run_id, whatif.inputs.member_ids)),
                title="Read the run", parent=self)
        op.succeeded.connect(self._baseline_read)
        self.side_op = op
        return op.start(self)

    def _baseline_read(self, result: tuple[int, Baseline]) -> None:
        gen, baseline = result
        if gen == self._generation and self.whatif is not None:
            self.whatif.set_baseline(baseline)
            self.recompute()

    # -- save, run, import, export -----------------------------------------------------------
    def _named(self) -> ScoringConfig:
        name = self.name_edit.text().strip() or self.config.name
        return self.config if name == self.config.name else self.config.with_(name=name)

    def save_config(self) -> ConfigInfo | None:
        """Store the studio's config (under the name typed) as the workspace's current one."""
        if self.workspace is None:
            return None
        config = self._named()
        try:
            validate(config)
            info = save_config(self.workspace, config)
        except ScorecardError as exc:
            self.error_box = show_error(self, "Save config", exc)
            return None
        self.config = self.start_config = config
        self.saved_id = info.id
        self._set_dirty(False)
        self.status.setText(f"Saved as config {info.id} “{info.name}”: runs use it from now on.")
        return info

    def run(self) -> Op | None:
        """Score every member with the studio's config and save the run (in the background)."""
        ws = self.workspace
        if ws is None:
            return None
        config = self._named()
        config_id = None if self.dirty else self.saved_id
        op = Op(lambda p, c: score(ws, config, config_id=config_id,
                                   progress=lambda m: p(0.0, m), cancel=c),
                title="Score all members", parent=self)
        op.succeeded.connect(self._scored)
        self.run_op = op
        return op.start(self, progress_dialog=True)

    def _scored(self, summary: RunSummary) -> None:
        self._load_runs()
        self.choose_baseline(summary.run_id)  # what moves from now on: against the new run
        self.status.setText(summary.describe().splitlines()[0])
        self.scored.emit(summary)

    def import_toml(self, path: str | None = None) -> ScoringConfig | None:
        """Load a TOML config file into the studio (Save config then stores it)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import scoring config", str(Path.home()),
                                                  "Scoring config (*.toml);;All files (*)")
            if not path:
                return None
        try:
            config = read_config(path)
        except ScorecardError as exc:
            text = str(exc)
            if Path(path).name not in text:
                text = f"{path}: {text}"
            self.error_box = show_error(self, "Import config", ScorecardError(text))
            return None
        self._apply(config, dirty=True)
        self.recompute()
        self.status.setText(f"Imported {Path(path).name}: Save config keeps it in the workspace.")
        return config

    def export_toml(self, path: str | None = None) -> Path | None:
        config = self._named()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export scoring config", str(Path.home() / f"{config.name}.toml"),
                "Scoring config (*.toml)")
            if not path:
                return None
        try:
            Path(path).write_text(to_toml(config), encoding="utf-8")
        except OSError as exc:
            self.error_box = show_error(self, "Export config", ScorecardError(
                f"{path}: cannot write ({exc.strerror or exc})"))
            return None
        self.status.setText(f"Exported to {path}.")
        return Path(path)

    def reset(self) -> None:
        self._apply(self.start_config, dirty=False)
        self.recompute()

    def cancel_and_wait(self) -> None:
        """Stop background work and wait for it (before the workspace closes)."""
        self._generation += 1
        self._debounce.stop()
        self._pending = False
        for op in (self.load_op, self.eval_op, self.side_op, self.run_op, self.runs_view.op):
            if op is not None and op.running:
                op.cancel()
                op.wait(60)
