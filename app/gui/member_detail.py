"""Member detail: profile, spend, survey answers (raw and parsed), component bars, the receipt,
stability, score history across runs, referrals in and out.

A non-modal dialog; its data (``member_history`` and the latest run's ``explain``) is read in a
background ``Op``. Double-clicking someone in the referral tables asks for their detail
(``member_requested``), which the main window answers with another dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.quadrant_view import SEGMENT_COLOURS
from app.gui.small_charts import RunLines, ScoreBars
from app.gui.worker import Op, error_text
from scorecard.errors import ScorecardError
from scorecard.scoring.config_toml import from_toml
from scorecard.scoring.explain import Explanation, explain
from scorecard.scoring.member_history import MemberHistory, ReferralLink, member_history
from scorecard.workspace import Workspace
from survey.questionnaire import item as questionnaire_item

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COMPONENT_COLOURS = {"knowledge": "#2C6E8F", "participation": "#D08C2E", "reach": "#5E8C4A"}


@dataclass(frozen=True)
class DetailData:
    history: MemberHistory
    receipt: Explanation | None
    receipt_error: str | None
    category: str
    thresholds: tuple[float | None, float | None]  # S and F of the latest run's config
    draws: int = 0  # perturbed draws behind the stability figure


def load_detail(ws: Workspace, member_id: int) -> DetailData:
    """The member's history and the receipt of the latest run that scored them."""
    history = member_history(ws, member_id)
    receipt, problem = None, None
    thresholds: tuple[float | None, float | None] = (None, None)
    draws = 0
    run = history.latest_run
    if run is not None:
        try:
            receipt = explain(ws, run.run_id, member_id)
        except ScorecardError as exc:  # e.g. the run's data was undone since
            problem = str(exc)
        with ws.engine.connect() as conn:
            text = conn.exec_driver_sql("SELECT config_toml FROM score_run WHERE id = ?",
                                        (run.run_id,)).scalar()
        config = from_toml(text, source=f"run {run.run_id}")
        thresholds = (float(config.segments.social_threshold),
                      float(config.segments.financial_threshold))
        draws = config.stability.draws
    return DetailData(history, receipt, problem, ws.settings().get("category", "the category"),
                      thresholds, draws)


def question(item_id: str, category: str) -> str:
    """The question a person read, for an item id (the id itself when it is not standard)."""
    base, _, option = item_id.partition(":")
    try:
        wording = questionnaire_item(base).text(category)
    except KeyError:
        return item_id
    return f"{wording} — {option}" if option else wording


def _fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]],
           numeric: Sequence[int] = ()) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    for r, row in enumerate(rows):  # one member's rows: dozens at most
        for c, value in enumerate(row):
            item = QTableWidgetItem(_fmt(value))
            if len(item.text()) > 30:  # the column may cut it short
                item.setToolTip(item.text())
            if c in numeric:
                item.setTextAlignment(RIGHT)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class MemberDetail(QDialog):
    member_requested = Signal(int)
    loaded = Signal()

    def __init__(self, workspace: Workspace, member_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.member_id = int(member_id)
        self.data: DetailData | None = None
        self.setWindowTitle(f"Member {member_id}")
        self.resize(860, 660)
        layout = QVBoxLayout(self)
        self.title = QLabel("Reading…")
        self.title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(self.title)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("color: #5F6B7A;")
        layout.addWidget(self.subtitle)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.op = Op(lambda _p, _c: load_detail(workspace, self.member_id),
                     title="Read the member", parent=self)
        self.op.succeeded.connect(self._show)
        self.op.failed.connect(lambda exc: self.title.setText(error_text(exc)[0]))
        self.op.start(self, show_errors=False)

    # -- filling -------------------------------------------------------------------------
    def _show(self, data: DetailData) -> None:
        self.data = data
        h = data.history
        p = h.profile
        self.setWindowTitle(f"{h.name} — member detail")
        self.title.setText(h.name)
        place = ", ".join(str(x) for x in (p["city"], p["country"]) if x)
        bits = [f"Member no. {p['external_id'] or h.member_id}", str(p["email"] or ""), place]
        self.subtitle.setText(" · ".join(b for b in bits if b))
        self.tabs.addTab(self._scores_tab(data), "Scores and receipt")
        self.tabs.addTab(self._profile_tab(h), "Profile and spend")
        self.tabs.addTab(self._answers_tab(data), f"Survey answers ({len(h.responses)})")
        self.tabs.addTab(self._history_tab(h), f"Score history ({len(h.runs)})")
        self.tabs.addTab(self._referrals_tab(h), f"Referrals ({len(h.referrals_out)} out, "
                                                 f"{len(h.referrals_in)} in)")
        self.loaded.emit()

    def _scores_tab(self, data: DetailData) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        run = data.history.latest_run
        e = data.receipt
        if run is None:
            v.addWidget(QLabel("Not scored yet: score the members (Scoring page) to see this "
                               "member's scores and receipt."))
            v.addStretch(1)
            return tab
        head = QHBoxLayout()
        badge = QLabel(f" {run.segment} ")
        badge.setStyleSheet(f"background: {SEGMENT_COLOURS.get(run.segment, '#5F6B7A')}; "
                            "color: white; font-weight: 600; border-radius: 3px; padding: 2px;")
        head.addWidget(badge)
        stability = ("" if run.stability is None else
                     f"Stability: the segment holds in {run.stability:.0%} of {data.draws} "
                     "perturbed weightings and thresholds.")
        self.stability = QLabel(f"Score run {run.run_id} ({run.config}). {stability}")
        self.stability.setWordWrap(True)
        head.addWidget(self.stability, 1)
        v.addLayout(head)
        thresholds = data.thresholds
        self.bars = ScoreBars()
        self.bars.set_rows([
            ("Knowledge K", run.knowledge, COMPONENT_COLOURS["knowledge"], None),
            ("Participation P", run.participation, COMPONENT_COLOURS["participation"], None),
            ("Reach R", run.reach, COMPONENT_COLOURS["reach"], None),
            ("Social S", run.social, SEGMENT_COLOURS["Ambassadors"], thresholds[0]),
            ("Financial F", run.financial, SEGMENT_COLOURS["Affluents"], thresholds[1]),
            ("Network value NV", run.network_value, SEGMENT_COLOURS["Advocates"], None),
        ])
        v.addWidget(self.bars)
        if e is None:
            v.addWidget(QLabel(data.receipt_error or "No receipt for this run."))
            v.addStretch(1)
            return tab
        raw = self._raw_answers(data)
        rows = [(question(line.item_id, data.category), line.component,
                 raw.get(line.item_id, ""), line.answer, line.component_points, line.points)
                for line in e.lines]
        self.receipt = _table(("Question", "Component", "Answer", "Value",
                               "Points to component", "Points to S"), rows, (3, 4, 5))
        self.receipt.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.receipt.horizontalHeader().setStretchLastSection(False)
        for r, line in enumerate(e.lines):
            colour = QColor(COMPONENT_COLOURS.get(line.component, "#1F2933"))
            self.receipt.item(r, 1).setForeground(colour)
        total = sum(line.points for line in e.lines)
        self.receipt_total = QLabel(
            f"<b>Receipt</b>: each answer's points; they add up to S = {total:.1f}"
            + ("" if e.matches_run else " (today's data: see the note below)"))
        v.addWidget(self.receipt_total)
        v.addWidget(self.receipt, 1)
        fin = e.financial
        net = e.network
        facts = (f"F ranks the financial measure {_fmt(fin.get('measure'), 2)} "
                 f"(revenue {_fmt(fin.get('revenue'), 2)}, "
                 f"{_fmt(fin.get('orders'), 0)} orders, margin {_fmt(fin.get('gross_margin'), 2)})"
                 f" · referrals {net.get('referrals', 0)}, value brought in "
                 f"{_fmt(net.get('direct_value'), 2)} direct + "
                 f"{_fmt(net.get('indirect_value'), 2)} further on")
        notes = QLabel("\n".join([facts, *[f"Note: {n}" for n in e.notes]]))
        notes.setWordWrap(True)
        notes.setStyleSheet("color: #5F6B7A;")
        v.addWidget(notes)
        return tab

    @staticmethod
    def _raw_answers(data: DetailData) -> dict[str, str]:
        run = data.history.latest_run
        for response in data.history.responses:
            if run is not None and response.response_id == run.response_id:
                return {a.item_id: a.raw or "" for a in response.answers}
        return {}

    def _profile_tab(self, h: MemberHistory) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        form = QFormLayout()
        labels = {"external_id": "Member no.", "email": "E-mail", "first_name": "First name",
                  "last_name": "Last name", "phone": "Phone", "birth_year": "Born",
                  "age_band": "Age band", "join_date": "Joined", "city": "City",
                  "country": "Country", "postcode": "Postcode", "consent_email": "E-mail consent",
                  "consent_sms": "SMS consent", "referral_code": "Referral code", "tags": "Tags"}
        for key, label in labels.items():
            value = h.profile.get(key)
            if key.startswith("consent") and value is not None:
                value = "yes" if value else "no"
            text = QLabel("—" if value in (None, "") else str(value))
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, text)
        v.addLayout(form)
        v.addWidget(QLabel(f"<b>Financial snapshots</b> ({len(h.snapshots)}, newest first)"))
        self.snapshots = _table(
            ("As of", "Revenue", "Orders", "Cost to serve", "First order", "Last order",
             "Currency", "Batch"),
            [(s.as_of, s.revenue, s.orders, s.cost_to_serve, s.first_order, s.last_order,
              s.currency, s.batch_id) for s in h.snapshots], (1, 2, 3, 7))
        v.addWidget(self.snapshots, 1)
        if h.engagement:
            e = h.engagement
            v.addWidget(QLabel(f"E-mail engagement ({e['as_of'] or 'undated'}): rating "
                               f"{_fmt(e['rating'])}, opens {_fmt(e['opens'])}, clicks "
                               f"{_fmt(e['clicks'])}, forwards {_fmt(e['forwards'])}"))
        return tab

    def _answers_tab(self, data: DetailData) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        h = data.history
        if not h.responses:
            v.addWidget(QLabel("No survey answers from this member."))
            v.addStretch(1)
            return tab
        rows = []
        several = len(h.responses) > 1
        for r in h.responses:  # a member's few questionnaires
            state = " (superseded by a later answer)" if r.superseded else ""
            where = f"{r.wave}, {(r.submitted_at or 'undated')[:16]}{state}"
            for a in r.answers:
                rows.append((question(a.item_id, data.category), a.raw, a.value)
                            + ((where,) if several else ()))
        headers = ("Question", "Answer as given", "Read as") + (
            ("Questionnaire",) if several else ())
        self.answers = _table(headers, rows, (2,))
        self.answers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.answers.horizontalHeader().setStretchLastSection(False)
        first = h.responses[0]
        v.addWidget(QLabel(
            "Each answer as the file had it, and the value the scoring reads (— : blank or not "
            "readable, kept as text). "
            + ("" if several else f"{first.wave}, submitted "
               f"{(first.submitted_at or 'undated')[:16]}.")))
        v.addWidget(self.answers, 1)
        return tab

    def _history_tab(self, h: MemberHistory) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        rows = [(r.run_id, r.created_at[:16], r.config, r.knowledge, r.participation, r.reach,
                 r.social, r.financial, r.network_value, r.segment,
                 None if r.stability is None else f"{r.stability:.0%}") for r in h.runs]
        self.history = _table(("Run", "When", "Config", "K", "P", "R", "S", "F", "NV",
                               "Segment", "Stability"), rows, (0, 3, 4, 5, 6, 7, 8, 10))
        self.history_chart = RunLines()
        self.history_chart.set_series(
            [f"run {r.run_id}" for r in h.runs],
            [("Social S", [r.social for r in h.runs], SEGMENT_COLOURS["Ambassadors"]),
             ("Financial F", [r.financial for r in h.runs], SEGMENT_COLOURS["Affluents"]),
             ("Network value NV", [r.network_value for r in h.runs],
              SEGMENT_COLOURS["Advocates"])])
        v.addWidget(QLabel("Every score run that included this member, oldest first."))
        v.addWidget(self.history_chart, 1)
        v.addWidget(self.history, 1)
        return tab

    def _referrals_tab(self, h: MemberHistory) -> QWidget:
        tab = QWidget()
        v = QVBoxLayout(tab)
        self.referrals_out = self._links(h.referrals_out)
        self.referrals_in = self._links(h.referrals_in)
        v.addWidget(QLabel(f"<b>Brought in</b> ({len(h.referrals_out)})"))
        v.addWidget(self.referrals_out, 2)
        v.addWidget(QLabel(f"<b>Referred by</b> ({len(h.referrals_in)})"))
        v.addWidget(self.referrals_in, 1)
        v.addWidget(QLabel("Double-click someone to open their detail."))
        return tab

    def _links(self, links: Sequence[ReferralLink]) -> QTableWidget:
        table = _table(("Name", "Key in the referrals file", "When", "In member list"),
                       [(link.name, link.key, link.referred_at,
                         "yes" if link.member_id is not None else "no") for link in links])
        ids = [link.member_id for link in links]
        table.cellDoubleClicked.connect(
            lambda row, _c: ids[row] is not None and self.member_requested.emit(ids[row]))
        return table
