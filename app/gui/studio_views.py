"""The scoring studio's widgets beside the controls: its action bar and two result tabs.

``StudioBar``: config name, Save / Run / Import / Export / Reset, the run compared with and a
status line. ``WhatIfView``: segment counts before and after, the transition table and the
members who move (click a highlighted transition to list just those). ``RunsView``: the saved
runs, and who moved between two of them (``compare_runs`` in the background).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import studio_tables as tables
from app.gui.worker import Op
from reports.run_data import member_labels
from scorecard.scoring.runs import RunComparison, RunInfo, compare_runs
from scorecard.scoring.segments import SEGMENTS
from scorecard.scoring.whatif import BEFORE, NOT_IN_RUN, Baseline, Outcome, WhatIf, counts_of
from scorecard.workspace import Workspace

MOVES_SHOWN = 500
NO_RUNS = "No score runs yet: press Run to score every member and save the run."


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    if stretch:
        row.addStretch(1)
    return row


class StudioBar(QWidget):
    """The studio's actions; the page connects the buttons."""

    def __init__(self) -> None:
        super().__init__()
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Config name")
        self.save_button = QPushButton("Save config")
        self.run_button = QPushButton("Run (score all members)")
        self.run_button.setToolTip("Score every member with these settings and save the run")
        self.import_button = QPushButton("Import TOML…")
        self.export_button = QPushButton("Export TOML…")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the config last loaded or saved")
        v.addLayout(_row(QLabel("Config"), self.name_edit, self.save_button, self.run_button,
                         stretch=False))
        v.addLayout(_row(self.import_button, self.export_button, self.reset_button))
        self.baseline_box = QComboBox()
        v.addLayout(_row(QLabel("Compare with"), self.baseline_box))
        self.status = _label()
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        v.addWidget(self.status)

    def set_runs(self, runs: list[RunInfo]) -> None:
        """The runs to compare with, newest first (the one chosen before stays chosen)."""
        box = self.baseline_box
        chosen = box.currentData()
        box.clear()
        for run in reversed(runs):
            box.addItem(f"Run {run.id} · {run.created_at.astimezone():%Y-%m-%d %H:%M} · "
                        f"{run.config_name}", run.id)
        box.addItem("The config the studio started from", None)
        found = box.findData(chosen) if chosen is not None else -1
        box.setCurrentIndex(max(found, 0))


class WhatIfView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        v = QVBoxLayout(self)
        self.counts = tables.table(("Segment", "Before", "What if", "Change"))
        v.addWidget(self.counts)
        v.addWidget(QLabel("Who moves (click a highlighted cell to list those members)"))
        self.transitions = tables.table(("Before ↓  /  after →", *SEGMENTS))
        self.transitions.cellClicked.connect(self._transition_clicked)
        v.addWidget(self.transitions)
        self.moves_label = _label()
        v.addWidget(self.moves_label)
        self.moves_model = tables.MovesModel(tables.MOVE_HEADERS, self)
        self.moves = tables.moves_view(self.moves_model)
        v.addWidget(self.moves, 1)
        self.outcome: Outcome | None = None
        self._whatif: WhatIf | None = None
        self._workspace: Workspace | None = None
        self._rows: list[int] = []  # BEFORE index of each transition table row
        self._filter: tuple[int, int] | None = None  # (before, after) listed, or all
        self._before_counts: tuple[int, dict[str, int]] | None = None

    def clear(self) -> None:
        self.outcome = self._whatif = None
        self._filter = self._before_counts = None

    def show_outcome(self, o: Outcome, whatif: WhatIf, workspace: Workspace | None) -> None:
        self.outcome, self._whatif, self._workspace = o, whatif, workspace
        tables.fill_counts(self.counts, self._baseline_counts(o.before), o.counts)
        self.counts.setHorizontalHeaderLabels(["Segment", o.before.name, "What if", "Change"])
        # "(not in run)" only when members joined after the compared run.
        self._rows = [i for i in range(len(BEFORE)) if i != NOT_IN_RUN or o.transitions[i].sum()]
        tables.fill_transitions(self.transitions, [BEFORE[i] for i in self._rows], SEGMENTS,
                                o.transitions[self._rows])
        self._fill_moves()

    def _baseline_counts(self, baseline: Baseline) -> dict[str, int]:
        key = id(baseline.segment)  # one bincount per baseline, not per slider move
        if self._before_counts is None or self._before_counts[0] != key:
            in_run = baseline.segment[baseline.segment != NOT_IN_RUN]
            self._before_counts = (key, counts_of(in_run))
        return self._before_counts[1]

    def _transition_clicked(self, row: int, column: int) -> None:
        if column == 0 or self.outcome is None:
            self._filter = None
        else:
            pair = (self._rows[row], column - 1)
            self._filter = None if pair[0] == pair[1] or self._filter == pair else pair
        self._fill_moves()

    def _fill_moves(self) -> None:
        o, whatif = self.outcome, self._whatif
        if o is None or whatif is None:
            return
        rows = o.moved
        if self._filter is not None:
            a, b = self._filter
            rows = rows[(o.before.segment[rows] == a) & (o.segment[rows] == b)]
        shown = rows[:MOVES_SHOWN]
        ids = whatif.inputs.member_ids[shown].tolist()
        # A few hundred ids by primary key: quick enough for the GUI thread.
        labels = member_labels(self._workspace, ids) if self._workspace else {}
        out: list[tuple[object, ...]] = []
        for pos, member_id in zip(shown.tolist(), ids, strict=True):
            label = labels.get(member_id)
            out.append((label.name if label else f"Member {member_id}",
                        (label.external_id or "") if label else "",
                        BEFORE[o.before.segment[pos]], SEGMENTS[o.segment[pos]],
                        float(o.before.social[pos]), float(o.social[pos]),
                        float(o.financial[pos])))
        self.moves_model.set_rows(out)
        what = ("members change segment" if self._filter is None else
                f"members move from {BEFORE[self._filter[0]]} to {SEGMENTS[self._filter[1]]}")
        more = (f"; the first {MOVES_SHOWN:,} by member id are listed"
                if len(rows) > len(shown) else "")
        self.moves_label.setText(f"{len(rows):,} {what}{more}.")


class RunsView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        v = QVBoxLayout(self)
        self.label = _label()
        v.addWidget(self.label)
        self.table = tables.table(tables.RUN_HEADERS)
        self.table.itemSelectionChanged.connect(self._selected)
        v.addWidget(self.table, 1)
        self.compare_button = QPushButton("Compare the two selected runs")
        self.compare_button.clicked.connect(lambda: self.compare())
        row = QHBoxLayout()
        row.addWidget(self.compare_button)
        row.addStretch(1)
        v.addLayout(row)
        self.compare_label = _label("Select two runs (Ctrl+click) to see who moved between them.")
        v.addWidget(self.compare_label)
        self.transitions = tables.table(("Before ↓  /  after →",))
        v.addWidget(self.transitions)
        self.moves_model = tables.MovesModel(tables.MOVE_HEADERS[:-1], self)
        self.moves = tables.moves_view(self.moves_model)
        v.addWidget(self.moves, 1)
        self.transitions.hide()
        self.moves.hide()
        self.runs: list[RunInfo] = []
        self.workspace: Workspace | None = None
        self.op: Op | None = None

    def set_runs(self, workspace: Workspace | None, runs: list[RunInfo]) -> None:
        self.workspace, self.runs = workspace, runs
        tables.fill_runs(self.table, runs)
        count = len(runs)
        self.label.setText(NO_RUNS if not count else f"{count} score "
                           + ("run." if count == 1 else "runs, newest first."))
        self._selected()

    def _selected(self) -> None:
        self.compare_button.setEnabled(len(self.selected()) == 2)

    def selected(self) -> list[int]:
        """The run ids selected in the table, oldest first."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        newest_first = list(reversed(self.runs))
        return sorted(newest_first[r].id for r in rows if r < len(newest_first))

    def compare(self, run_a: int | None = None, run_b: int | None = None) -> Op | None:
        """Who moved from the older to the newer of two runs (the selected ones by default)."""
        ws = self.workspace
        if run_a is None or run_b is None:
            picked = self.selected()
            if len(picked) != 2:
                return None
            run_a, run_b = picked
        if ws is None:
            return None
        a, b = run_a, run_b
        self.op = Op(lambda _p, _c: compare_runs(ws, a, b, limit=MOVES_SHOWN),
                     title="Compare runs", parent=self)
        self.op.succeeded.connect(self._compared)
        return self.op.start(self)

    def _compared(self, comparison: RunComparison) -> None:
        order = {name: i for i, name in enumerate(BEFORE)}
        names = sorted(comparison.transitions, key=lambda s: order.get(s, 99))
        cols = sorted({d for row in comparison.transitions.values() for d in row},
                      key=lambda s: order.get(s, 99))
        matrix = [[comparison.transitions[r].get(c, 0) for c in cols] for r in names]
        tables.fill_transitions(self.transitions, names, cols, matrix)
        more = (f" (the first {MOVES_SHOWN:,} listed)" if comparison.moved > MOVES_SHOWN
                else "")
        self.compare_label.setText(
            f"Run {comparison.run_a} → run {comparison.run_b}: {comparison.moved:,} members "
            f"moved{more}, {comparison.unchanged:,} kept their segment.")
        ids = [m.member_id for m in comparison.moves]
        labels = member_labels(self.workspace, ids) if self.workspace else {}
        self.moves_model.set_rows([
            (labels[m.member_id].name if m.member_id in labels else f"Member {m.member_id}",
             m.external_id or "", m.segment_a or BEFORE[NOT_IN_RUN],
             m.segment_b or BEFORE[NOT_IN_RUN], m.social_a, m.social_b)
            for m in comparison.moves])
        self.transitions.show()
        self.moves.show()
