"""A run read back for reports: arrays agree with the database, figures with each other."""

from __future__ import annotations

import numpy as np

from reports.run_data import data_quality, iter_member_rows, load_run, member_labels
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace


def test_run_arrays_match_member_score(demo_workspace: Workspace) -> None:
    run = load_run(demo_workspace)
    with demo_workspace.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT member_id, social, financial, segment FROM member_score WHERE run_id = ? "
            "ORDER BY member_id", (run.run_id,)).all()
    assert run.n == len(rows) == demo_workspace.info().members
    assert run.member_ids.tolist() == [r[0] for r in rows]
    got = [SEGMENTS[c] for c in run.segment.tolist()]
    assert got == [r[3] for r in rows]
    social = np.array([np.nan if r[1] is None else r[1] for r in rows])
    assert np.allclose(run.social, social, equal_nan=True)
    assert run.segment_counts() == run.summary["segments"]


def test_segment_table_shares_add_up(demo_workspace: Workspace) -> None:
    run = load_run(demo_workspace)
    table = run.segment_table()
    assert [r.name for r in table] == list(SEGMENTS)
    assert sum(r.members for r in table) == run.n
    assert abs(sum(r.revenue_share for r in table) - 1) < 1e-9
    assert abs(sum(r.revenue for r in table) - np.nansum(run.revenue)) < 1e-6
    amb = table[0]
    assert amb.mean_social is not None and amb.mean_social >= run.social_threshold
    assert amb.mean_financial is not None and amb.mean_financial >= run.financial_threshold


def test_short_lists_and_density(demo_workspace: Workspace) -> None:
    run = load_run(demo_workspace)
    top = run.top_ambassadors(10)
    assert len(top) == min(10, run.segment_counts()["Ambassadors"])
    assert np.all(np.diff(run.social[top]) <= 0)
    nxt = run.not_surveyed_high_value(10)
    assert np.all(np.isnan(run.social[nxt]))
    assert np.all(run.financial[nxt] >= run.financial_threshold)
    assert run.not_surveyed_high_value_count() >= len(nxt)
    scored = int((~np.isnan(run.social) & ~np.isnan(run.financial)).sum())
    assert run.quadrant_density(25).sum() == scored
    labels = member_labels(demo_workspace, run.member_ids[top].tolist())
    assert set(labels) == set(run.member_ids[top].tolist())
    assert all(label.name for label in labels.values())
    assert run.rows_of([int(run.member_ids[5]), 10**9]).tolist() == [5]


def test_member_rows_stream_in_run_order(demo_workspace: Workspace) -> None:
    run = load_run(demo_workspace)
    ids = [row[0] for chunk in iter_member_rows(demo_workspace, run.run_id, chunk=400)
           for row in chunk]
    assert ids == run.member_ids.tolist()


def test_data_quality_counts(demo_workspace: Workspace) -> None:
    run = load_run(demo_workspace)
    dq = data_quality(demo_workspace, run)
    kinds = [b.kind for b in dq.batches]
    assert kinds == ["members", "survey", "referrals", "engagement"]
    assert dq.rejected_rows == sum(b.rejected for b in dq.batches) > 0
    assert 0 < dq.unmatched_responses < dq.responses
    assert not any(w.startswith("Columns not imported") or ": Columns not imported" in w
                   for w in dq.warnings)


def test_runs_without_stored_arrays_read_member_score(demo_workspace: Workspace) -> None:
    fast = load_run(demo_workspace)
    with demo_workspace.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM score_run_array")  # as a run made before 0004
    slow = load_run(demo_workspace)
    for name in ("member_ids", "knowledge", "social", "financial", "network_value",
                 "stability", "segment", "revenue", "profit", "orders"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name), equal_nan=True), name
