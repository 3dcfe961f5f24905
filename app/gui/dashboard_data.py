"""What the Dashboard shows, read on a worker thread: the latest run as arrays, its data quality,
the quadrant's grid index and the component histograms; and the warnings with their links.

NumPy and the domain only (no widgets), so it runs in an ``Op`` and in the benchmark alike.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from app.gui.member_list_model import run_orders
from app.gui.quadrant_index import QuadrantIndex
from reports.run_data import DataQuality, RunData, SegmentRow, data_quality, load_run
from scorecard.workspace import Workspace

BINS = 20
WEAK_RHO = 0.2  # below this, stated S predicts observed behaviour too weakly to lean on
LOW_ALPHA = 0.7  # Cronbach's alpha under this: the knowledge items do not hang together


@dataclass(frozen=True)
class Figures:
    """The run's figures the page prints, computed with the data (not on the GUI thread)."""

    segments: list[SegmentRow]
    scored: int  # members with a social score
    survey_next: int  # not surveyed, F at or over the threshold
    missing: dict[str, int]  # members without a value, per score letter


@dataclass(frozen=True)
class DashboardData:
    state: str  # "ready", "no-members", "no-run"
    members: int
    run: RunData | None = None
    quality: DataQuality | None = None
    index: QuadrantIndex | None = None
    distributions: dict[str, np.ndarray] = field(default_factory=dict)
    orders: dict[int, np.ndarray] = field(default_factory=dict)  # for listing members
    figures: Figures | None = None


def load_dashboard(ws: Workspace) -> DashboardData:
    """Read the latest run (or say why there is none) and build the chart's index."""
    with ws.engine.connect() as conn:
        members = int(conn.exec_driver_sql("SELECT count(*) FROM member").scalar_one())
        run_id = conn.exec_driver_sql("SELECT max(id) FROM score_run").scalar_one()
    if members == 0:
        return DashboardData("no-members", 0)
    if run_id is None:
        return DashboardData("no-run", members)
    run = load_run(ws, int(run_id))
    return DashboardData("ready", members, run, data_quality(ws, run), quadrant_index(run),
                         distributions(run), run_orders(run), figures(run))


def figures(run: RunData) -> Figures:
    scores = {"K": run.knowledge, "P": run.participation, "R": run.reach, "S": run.social,
              "F": run.financial}
    missing = {key: int(np.isnan(values).sum()) for key, values in scores.items()}
    return Figures(run.segment_table(), run.n - missing["S"], run.not_surveyed_high_value_count(),
                   missing)


def quadrant_index(run: RunData) -> QuadrantIndex:
    """The members with both S and F, in the chart's grid index."""
    rows = np.flatnonzero(~np.isnan(run.social) & ~np.isnan(run.financial))
    return QuadrantIndex(run.financial[rows], run.social[rows], rows, run.segment[rows])


def distributions(run: RunData) -> dict[str, np.ndarray]:
    """Histogram counts (``BINS`` bins over 0–100) of each score; NV among the referrers."""
    nv = run.network_value
    with np.errstate(invalid="ignore"):
        referrers = nv[nv > 0]
    return {
        "K": run.distribution(run.knowledge, BINS),
        "P": run.distribution(run.participation, BINS),
        "R": run.distribution(run.reach, BINS),
        "S": run.distribution(run.social, BINS),
        "F": run.distribution(run.financial, BINS),
        "NV": run.distribution(referrers, BINS),
    }


@dataclass(frozen=True)
class Notice:
    text: str
    href: str | None = None  # batch:<id>, list:<name>, segment:<name>, network
    link: str = ""  # what the link says


def warnings_for(run: RunData, quality: DataQuality) -> list[Notice]:
    """Validity and data-quality warnings, most important first, each with a way to the rows."""
    out: list[Notice] = []
    v = run.validity
    if v.get("age_warning"):
        out.append(Notice(str(v["age_warning"])))
    rho = dict(dict(v.get("correlations") or {}).get("referrals") or {}).get("social")
    if rho is not None and float(rho) < WEAK_RHO:
        out.append(Notice(f"Stated S barely predicts observed referrals (Spearman {rho:+.2f}):"
                           " lean on NV where you have referral data.", "network",
                           "see the referral network"))
    alpha = v.get("cronbach_alpha_knowledge")
    if alpha is not None and float(alpha) < LOW_ALPHA:  # type: ignore[arg-type]
        out.append(Notice(f"The knowledge questions do not hang together well (Cronbach's "
                           f"alpha {alpha:.2f}); K is less reliable."))
    for b in quality.batches:
        if b.rejected:
            out.append(Notice(f"{b.rejected:,} row(s) of {b.file_name} were refused on import.",
                               f"batch:{b.batch_id}", f"see batch {b.batch_id}"))
    if quality.unmatched_responses:
        survey = [b for b in quality.batches if b.kind == "survey" and b.unmatched]
        out.append(Notice(
            f"{quality.unmatched_responses:,} survey response(s) match no member: check the "
            "member number or e-mail the survey asked for.",
            f"batch:{survey[-1].batch_id}" if survey else None,
            f"see batch {survey[-1].batch_id}" if survey else ""))
    if quality.members_without_finances:
        out.append(Notice(f"{quality.members_without_finances:,} member(s) have no spend "
                           "figures; they cannot be high F.", "list:no-finances", "list them"))
    if quality.straightliners:
        out.append(Notice(f"{quality.straightliners:,} respondent(s) gave the same answer "
                           "down a whole grid (straight-lining)."))
    if quality.implausible_reach:
        out.append(Notice(f"{quality.implausible_reach:,} respondent(s) reported implausibly "
                           "many contacts; their reach was capped."))
    for b in quality.batches:  # the importers' own warnings; unmapped columns are routine
        for w in b.warnings:
            if not w.startswith("Columns not imported"):
                out.append(Notice(f"{b.file_name}: {w}", f"batch:{b.batch_id}",
                                   f"see batch {b.batch_id}"))
    return out


def warnings_html(items: list[Notice], limit: int = 3) -> str:
    """The warnings as rich text for a QLabel (links fire ``linkActivated``)."""
    lines = []
    for w in items[:limit]:
        link = f' <a href="{html.escape(w.href)}">{html.escape(w.link)}</a>' if w.href else ""
        lines.append(f"<li>{html.escape(w.text)}{link}</li>")
    more = len(items) - limit
    tail = (f'<li>… and {more} more: <a href="list:all-warnings">show all</a></li>'
            if more > 0 else "")
    return ("<b>Check before you act</b><ul style='margin-left:-20px'>"
            + "".join(lines) + tail + "</ul>")
