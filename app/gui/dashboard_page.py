"""The Dashboard: key figures, the Financial × Social quadrant, the segment table, component
distributions, and the warnings with links to the rows behind them.

The run is read in the background (``Op`` over ``dashboard_data.load_dashboard``) when the page
is shown after a change. The page talks to the rest of the window only through its signals; the
main window connects them (open a member, filter the Members page, show an import batch, …).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.dashboard_data import (
    DashboardData,
    Notice,
    load_dashboard,
    warnings_for,
    warnings_html,
)
from app.gui.dashboard_parts import KeyFigure, SegmentTable, SelectionPanel
from app.gui.heading import page_heading
from app.gui.lazy_page import LazyPage
from app.gui.quadrant_index import SPARSE
from app.gui.quadrant_view import QuadrantView, Thresholds
from app.gui.small_charts import Histogram
from app.gui.worker import Op, error_text
from reports.run_data import MemberLabel, member_labels
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

HIST_COLOURS = {"K": "#2C6E8F", "P": "#D08C2E", "R": "#5E8C4A", "S": "#1F6F8B",
                "F": "#A4493D", "NV": "#7B5AA6"}
HIST_TITLES = {"K": "Knowledge K", "P": "Participation P", "R": "Reach R", "S": "Social S",
               "F": "Financial F", "NV": "NV (referrers)"}


class DashboardPage(LazyPage):
    member_requested = Signal(int)  # member id: open the member's detail
    segment_requested = Signal(str)  # show this segment on the Members page
    batch_requested = Signal(int)  # show this import batch on the Imports page
    network_requested = Signal()
    open_requested = Signal()
    new_requested = Signal()
    import_requested = Signal()
    score_requested = Signal()
    loaded = Signal()  # new data is on screen (tests and the benchmark wait for it)

    def __init__(self) -> None:
        super().__init__()
        self.data: DashboardData | None = None
        self.op: Op | None = None
        self._again = False
        self._generation = 0
        self._names: dict[int, MemberLabel] = {}
        self._warnings: list[Notice] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(page_heading("Dashboard"))
        self.run_line = QLabel()
        self.run_line.setStyleSheet("color: #5F6B7A;")
        top.addWidget(self.run_line, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._empty_page())
        self.stack.addWidget(self._content_page())
        self._show_message("Open a workspace (File ▸ Open, Ctrl+O) or make a new one "
                           "(Ctrl+N) to see your members here.", "open")

    # -- building ------------------------------------------------------------------------
    def _empty_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 14px;")
        v.addWidget(self.message)
        row = QHBoxLayout()
        self.action = QPushButton()
        self.action.clicked.connect(self._act)
        self.second_action = QPushButton("New workspace…")
        self.second_action.clicked.connect(self.new_requested)
        row.addWidget(self.action)
        row.addWidget(self.second_action)
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        self._action_kind = "open"
        return page

    def _content_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        cards = QHBoxLayout()
        self.cards = {key: KeyFigure(caption) for key, caption in (
            ("members", "members"), ("scored", "with a social score"),
            ("ambassadors", "Ambassadors"), ("revenue", "of revenue from Ambassadors"),
            ("survey_next", "high F, not surveyed"), ("rho", "S vs observed referrals"))}
        for card in self.cards.values():
            card.caption.linkActivated.connect(self.follow_link)
            cards.addWidget(card)
        v.addLayout(cards)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setStyleSheet("QLabel { background: #FFF8E6; border: 1px solid #F0D9A8; "
                                    "border-radius: 4px; padding: 4px 8px; }")
        self.warnings.linkActivated.connect(self.follow_link)
        v.addWidget(self.warnings)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.chart = QuadrantView()
        self.chart.describe = self._describe
        self.chart.member_clicked.connect(self._chart_clicked)
        self.chart.box_selected.connect(self.select_box)
        lv.addWidget(self.chart, 1)
        self.chart_note = QLabel()
        self.chart_note.setWordWrap(True)
        self.chart_note.setStyleSheet("color: #5F6B7A;")
        lv.addWidget(self.chart_note)
        split.addWidget(left)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._segments_tab(), "Segments")
        self.tabs.addTab(self._selection_tab(), "Selection")
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([520, 500])
        v.addWidget(split, 1)
        return page

    def _segments_tab(self) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        self.segment_table = SegmentTable()
        self.segment_table.cellDoubleClicked.connect(
            lambda row, _col: self.segment_requested.emit(SEGMENTS[row]))
        v.addWidget(self.segment_table)
        note = QLabel("Revenue: the segment's share of all members' revenue. "
                      "Double-click a segment to list its members.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5F6B7A;")
        v.addWidget(note)
        grid = QGridLayout()
        self.histograms = {key: Histogram(HIST_TITLES[key], HIST_COLOURS[key])
                           for key in HIST_TITLES}
        for i, hist in enumerate(self.histograms.values()):
            grid.addWidget(hist, i // 2, i % 2)
        v.addLayout(grid, 1)
        return tab

    def _selection_tab(self) -> QWidget:
        panel = SelectionPanel()
        panel.member_activated.connect(self.member_requested)
        self.selection = panel
        self.selection_title, self.selection_count = panel.title, panel.count
        self.selection_model, self.selection_view = panel.model, panel.view
        return panel

    # -- workspace and loading -----------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self._names.clear()
        self._generation += 1  # whatever is loading belongs to the old workspace
        self.data = None
        if workspace is None:
            self.run_line.setText("")
            self._show_message("Open a workspace (File ▸ Open, Ctrl+O) or make a new one "
                               "(Ctrl+N) to see your members here.", "open")
            return
        self._show_message("Reading the latest score run…", None)
        self.refresh()

    def load(self) -> Op | None:
        """Read the run in the background; returns the running Op."""
        ws = self.workspace
        if ws is None:
            return None
        if self.op is not None and self.op.running:
            self._again = True  # one more load when this one is done
            return self.op
        self._dirty = False
        self._again = False
        generation = self._generation
        op = Op(lambda _p, _c: load_dashboard(ws), title="Load the dashboard", parent=self)
        op.succeeded.connect(lambda data, g=generation: self._loaded(g, data))
        op.failed.connect(lambda exc, g=generation: self._failed(g, exc))
        op.finished.connect(self._load_finished)
        self.op = op.start(self, show_errors=False)
        return op

    def _load_finished(self) -> None:
        if self._again and self.workspace is not None:
            self._dirty = True
            self.load()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._show_message("The dashboard could not be read: " + error_text(exc)[0], None)

    def _loaded(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # the workspace changed while this was read
        self.data = data
        if data.state == "no-members":
            self.run_line.setText("")
            self._show_message("This workspace has no members yet. Import your member list "
                               "(a CSV or Excel export from your shop or loyalty tool) to "
                               "begin.", "import")
        elif data.state == "no-run":
            self.run_line.setText("")
            self._show_message(f"{data.members:,} members, not scored yet. Score them to see "
                               "the quadrant, the segments and your Ambassadors.", "score")
        else:
            self._show_run(data)
            self.stack.setCurrentIndex(1)
        self.loaded.emit()

    def _show_message(self, text: str, action: str | None) -> None:
        self.message.setText(text)
        labels = {"open": "Open workspace…", "import": "Import member list…",
                  "score": "Score all members"}
        self._action_kind = action or ""
        self.action.setVisible(action is not None)
        self.action.setText(labels.get(action or "", ""))
        self.second_action.setVisible(action == "open")
        self.stack.setCurrentIndex(0)

    def _act(self) -> None:
        {"open": self.open_requested, "import": self.import_requested,
         "score": self.score_requested}[self._action_kind].emit()

    # -- showing a run -------------------------------------------------------------------
    def _show_run(self, data: DashboardData) -> None:
        run, quality, index, figures = data.run, data.quality, data.index, data.figures
        assert run is not None and quality is not None and index is not None
        assert figures is not None
        self.run_line.setText(
            f"   {run.programme} · score run {run.run_id} of {run.created_at:%d %b %Y %H:%M} · "
            f"{run.config.name} · S ≥ {run.social_threshold:g}, F ≥ {run.financial_threshold:g}")
        counts = {row.name: row.members for row in figures.segments}
        scored = figures.scored
        amb = figures.segments[0]
        self.cards["members"].value.setText(f"{run.n:,}")
        self.cards["scored"].value.setText(f"{scored:,}")
        self.cards["scored"].caption.setText(
            f"with a social score ({scored / max(run.n, 1):.0%})")
        self.cards["ambassadors"].value.setText(f"{counts['Ambassadors']:,}")
        self.cards["ambassadors"].caption.setText('<a href="segment:Ambassadors">Ambassadors</a>')
        self.cards["revenue"].value.setText(f"{amb.revenue_share:.0%}")
        self.cards["survey_next"].value.setText(f"{figures.survey_next:,}")
        self.cards["survey_next"].caption.setText(
            '<a href="list:survey-next">high F, not surveyed</a>')
        rho = dict(dict(run.validity.get("correlations") or {}).get("referrals") or {})
        value = rho.get("social")
        self.cards["rho"].value.setText(
            "n/a" if value is None else "0.00" if abs(value) < 0.005 else f"{value:+.2f}")
        self.cards["rho"].caption.setText('S vs observed <a href="network">referrals</a> (ρ)')
        self._warnings = warnings_for(run, quality)
        self.warnings.setText(warnings_html(self._warnings))
        self.warnings.setVisible(bool(self._warnings))
        self.chart.set_index(index, Thresholds(run.social_threshold, run.financial_threshold))
        missing = run.n - index.n
        self.chart_note.setText(
            f"{index.n:,} members plotted"
            + (f"; {missing:,} without a social score (not surveyed) are not." if missing else ".")
            + (f" Where members crowd, each score point is a shaded cell (darkest: "
               f"{index.fullest:,} members)." if (index.counts > SPARSE).any() else "")
            + " Hover a point for the member, click to open, drag a box to list.")
        self.segment_table.fill(figures.segments, run.currency)
        for key, hist in self.histograms.items():
            marker = {"S": run.social_threshold, "F": run.financial_threshold}.get(key)
            hist.set_counts(data.distributions[key], marker, figures.missing.get(key, 0))
        self.selection.clear()

    # -- names, hover, click, selection --------------------------------------------------
    def labels(self, ids: Sequence[int]) -> dict[int, MemberLabel]:
        """Names of a few members (cached: hovering back and forth asks once)."""
        missing = [int(i) for i in ids if int(i) not in self._names]
        if missing and self.workspace is not None:
            self._names.update(member_labels(self.workspace, missing))
            if len(self._names) > 20_000:
                self._names = {i: self._names[i] for i in ids if i in self._names}
        return {int(i): self._names[int(i)] for i in ids if int(i) in self._names}

    def _describe(self, i: int) -> str:
        run, index = self.data.run, self.data.index  # type: ignore[union-attr]
        assert run is not None and index is not None
        pos = int(index.rows[i])
        member = int(run.member_ids[pos])
        label = self.labels([member]).get(member)
        name = label.name if label else f"Member {member}"
        number = f" ({label.external_id})" if label and label.external_id else ""
        return (f"{name}{number}\nS {run.social[pos]:.1f} · F {run.financial[pos]:.1f} · "
                f"{SEGMENTS[int(run.segment[pos])]}")

    def _chart_clicked(self, i: int) -> None:
        run, index = self.data.run, self.data.index  # type: ignore[union-attr]
        assert run is not None and index is not None
        self.member_requested.emit(int(run.member_ids[index.rows[i]]))

    def select_box(self, f0: float, f1: float, s0: float, s1: float) -> np.ndarray:
        """List the members with F in [f0, f1] and S in [s0, s1]; returns their positions."""
        run = self.data.run if self.data else None
        if run is None:
            return np.zeros(0, np.int64)
        rows = run.rows_in_box(f0, f1, s0, s1)
        self._list(rows, f"In the box F {f0:.0f}–{f1:.0f}, S {s0:.0f}–{s1:.0f}")
        return rows

    def _list(self, rows: np.ndarray, title: str) -> None:
        data = self.data
        self.selection.show_rows(data.run if data else None, rows, title, self.labels,
                                 data.orders if data else None)
        self.tabs.setCurrentIndex(1)

    def follow_link(self, href: str) -> None:
        """Where a warning's or a key figure's link leads."""
        kind, _, arg = href.partition(":")
        run = self.data.run if self.data else None
        if kind == "batch" and arg.isdigit():
            self.batch_requested.emit(int(arg))
        elif kind == "segment":
            self.segment_requested.emit(arg)
        elif kind == "network":
            self.network_requested.emit()
        elif kind == "list" and arg == "all-warnings":
            self.warnings.setText(warnings_html(self._warnings, limit=len(self._warnings)))
        elif kind == "list" and run is not None:
            self.chart.clear_selection()
            if arg == "no-finances":
                self._list(np.flatnonzero(np.isnan(run.revenue)),
                           "Members without spend figures")
            elif arg == "survey-next":
                self._list(run.not_surveyed_high_value(run.n),
                           f"Not surveyed, F ≥ {run.financial_threshold:g}: who to survey next")
