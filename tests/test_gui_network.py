"""The Network page and the graph behind it: top referrers, graph size, ego networks."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import networkx as nx
import numpy as np
from PySide6.QtCore import Qt

from app.gui.network_page import NetworkPage
from reports.run_data import load_run, member_labels
from scorecard.scoring.graph import EGO_CAP, ego_layout, ego_network, network_summary
from scorecard.workspace import Workspace
from survey.members import import_members
from tests import gui_fixtures
from tests.gui_fixtures import close_widget
from tests.member_files import PEOPLE, write_shopify

gui_guard = gui_fixtures.gui_guard


def _referral_graph(ws: Workspace) -> nx.DiGraph:
    """Referrer → referred between known members, straight from the table."""
    with sqlite3.connect(ws.path) as db:
        pairs = db.execute(
            "SELECT DISTINCT referrer_id, referred_id FROM referral WHERE referrer_id IS NOT "
            "NULL AND referred_id IS NOT NULL AND referrer_id <> referred_id").fetchall()
    graph = nx.DiGraph()
    graph.add_edges_from(pairs)
    return graph


def test_network_page_lists_the_top_referrers_and_draws_an_ego_network(
        demo_workspace, gui_guard, qtbot):
    ws = demo_workspace
    page = NetworkPage()
    page.resize(1000, 700)
    try:
        with qtbot.waitSignal(page.ego_drawn, timeout=30_000):  # the top referrer's circle
            page.show()
            page.set_workspace(ws)
        graph = _referral_graph(ws)
        run = load_run(ws)
        # Top by NV: the highest NV of the run (ties: lowest member id).
        referrers = {m for m, d in graph.out_degree() if d > 0}
        nv = {int(m): float(v) for m, v in zip(run.member_ids, run.network_value, strict=True)
              if int(m) in referrers and v > 0}
        best_nv = min(nv, key=lambda m: (-nv[m], m))
        names = member_labels(ws, [best_nv])
        assert page.by_nv.item(0, 0).text() == names[best_nv].name
        assert page.by_nv.item(0, 0).data(Qt.ItemDataRole.UserRole) == best_nv
        assert page.by_nv.item(0, 2).text() == f"{nv[best_nv]:.1f}"
        # Top by PageRank: networkx on the graph turned towards the referrer.
        rank = nx.pagerank(graph.reverse(copy=True), alpha=0.85)
        best_rank = min(referrers, key=lambda m: (-rank[m], m))
        assert page.by_rank.item(0, 0).data(Qt.ItemDataRole.UserRole) == best_rank
        assert page.by_rank.item(0, 3).text() == f"{rank[best_rank] * len(graph):.2f}"
        # Size and circles.
        circles = nx.number_weakly_connected_components(graph)
        facts = page.facts.text().replace("<b>", "").replace("</b>", "")
        assert f"{graph.number_of_nodes():,} members in the referral graph" in facts
        assert f"{graph.number_of_edges():,} referrals between members" in facts
        assert f"{circles:,} separate circles" in facts
        # The drawing: the top referrer and everyone within two steps (undirected).
        ego = nx.ego_graph(graph.to_undirected(), best_nv, radius=2)
        assert set(page.view.nodes) == set(ego.nodes)
        assert page.ego.center == best_nv and not page.ego.capped
        edges = [i for i in page.view.scene().items() if i.type() == 6]  # QGraphicsLineItem
        assert len(edges) == ego.number_of_edges()
        # Picking another referrer redraws around them.
        with qtbot.waitSignal(page.ego_drawn, timeout=30_000):
            page.by_rank.selectRow(0)
        assert page.ego.center == best_rank
        assert page.by_nv.selectionModel().selectedRows() == []
        with qtbot.waitSignal(page.member_requested, timeout=1000) as asked:
            page.by_rank.cellDoubleClicked.emit(0, 0)
        assert asked.args == [best_rank]
    finally:
        close_widget(page)


def test_without_referrals_the_page_offers_an_import(workspace, tmp_path, gui_guard, qtbot):
    import_members(workspace, write_shopify(tmp_path / "s.csv", PEOPLE))
    page = NetworkPage()
    try:
        with qtbot.waitSignal(page.loaded, timeout=30_000):
            page.show()
            page.set_workspace(workspace)
        assert page.stack.currentIndex() == 0
        assert "No referrals yet" in page.message.text()
        assert page.import_button.text() == "Import referrals…" and page.import_button.isEnabled()
        with qtbot.waitSignal(page.import_requested, timeout=1000):
            page.import_button.click()
    finally:
        close_widget(page)


def test_a_big_circle_is_capped_nearest_first(workspace, tmp_path):
    people = [replace(p, id=f"70000000{i:05d}", email=f"m{i}@x.nl")
              for i, p in enumerate(PEOPLE * 20)]  # 120 members
    import_members(workspace, write_shopify(tmp_path / "s.csv", people))
    with workspace.transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO import_batch (id, kind, file_name, file_hash, file_size, rows, "
            "inserted, updated, rejected, unmatched, status, created_at) VALUES "
            "(99, 'referrals', 'r.csv', 'h', 0, 0, 0, 0, 0, 0, 'committed', '2026-01-01')")
        # Member 1 referred 2…30; each of those referred three more (hop 2): 31…117.
        rows = [(99, 1, m) for m in range(2, 31)]
        rows += [(99, m, 31 + 3 * (m - 2) + k) for m in range(2, 31) for k in range(3)]
        conn.exec_driver_sql("INSERT INTO referral (batch_id, referrer_id, referred_id) "
                             "VALUES (?, ?, ?)", rows)
    ego = ego_network(workspace, 1)
    assert ego.within_two_hops == 117 and ego.capped and len(ego.nodes) == EGO_CAP
    hops = [n.hop for n in ego.nodes]
    assert hops.count(0) == 1 and hops.count(1) == 29  # every direct referral is drawn
    kept = {n.member_id for n in ego.nodes}
    assert all(a in kept and b in kept for a, b in ego.edges)
    pos = ego_layout(ego)
    assert set(pos) == kept and pos[1] == (0.0, 0.0)
    summary = network_summary(workspace)
    assert summary.nodes == 117 and summary.edges == 116 and summary.components == 1
    assert summary.top_by_pagerank[0].member_id == 1
    assert summary.top_by_nv == ()  # no score run: no NV
    # PageRank scaled so the average member of the graph is 1.
    assert np.isclose(summary.top_by_pagerank[0].pagerank,
                      nx.pagerank(_referral_graph(workspace).reverse(), alpha=0.85)[1] * 117)
