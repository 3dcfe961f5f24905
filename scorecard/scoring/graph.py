"""The referral graph for the Network page: its size and components, the top referrers by NV and
by PageRank, and one member's two-hop ego network.

The graph is today's referrals between two known members (self-referrals and repeats left out),
built over the members that appear in it only, so a million-member programme with a hundred
thousand referrals is a hundred-thousand-node sparse matrix. PageRank is the scoring's own
(``scorecard.scoring.network``: edges turned towards the referrer, 1 = the average node); NV is
the one the chosen score run stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import connected_components

from scorecard.scoring.config_toml import from_toml
from scorecard.scoring.member_history import display_name
from scorecard.scoring.network import _pagerank, referral_matrix
from scorecard.workspace import Workspace

EGO_CAP = 60  # members drawn at most in an ego network: beyond that a drawing is a hairball

_KNOWN = ("referrer_id IS NOT NULL AND referred_id IS NOT NULL "
          "AND referrer_id <> referred_id")


@dataclass(frozen=True)
class Referrer:
    member_id: int
    name: str
    referrals: int  # distinct members this member referred
    network_value: float | None  # NV in the run (None: no run)
    pagerank: float  # 1 = the average member of the graph


@dataclass(frozen=True)
class NetworkSummary:
    run_id: int | None  # the run NV comes from
    referral_rows: int  # rows in the referral table
    unmatched_rows: int  # rows naming someone not in the member list
    nodes: int  # members in the graph (referred or referring)
    edges: int  # distinct referrer → referred pairs
    referrers: int  # members who referred at least one
    referred: int  # members who were referred
    components: int  # weakly connected components
    largest_component: int
    component_sizes: tuple[tuple[int, int], ...]  # (size, how many components), largest first
    top_by_nv: tuple[Referrer, ...]
    top_by_pagerank: tuple[Referrer, ...]


@dataclass(frozen=True)
class EgoNode:
    member_id: int
    name: str
    hop: int  # 0 the member, 1 direct referrer or referral, 2 one further
    segment: str | None  # in the latest run
    network_value: float | None


@dataclass(frozen=True)
class EgoNetwork:
    center: int
    nodes: tuple[EgoNode, ...]
    edges: tuple[tuple[int, int], ...]  # referrer → referred, among the drawn nodes
    within_two_hops: int  # members within two hops, the member included, before the cap
    cap: int

    @property
    def capped(self) -> bool:
        return self.within_two_hops > len(self.nodes)


def _cursor_run(ws: Workspace, fn, *args):  # type: ignore[no-untyped-def]
    with ws.read_cursor() as cur:
        return fn(cur, *args)


def _names(cur: sqlite3.Cursor, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = sorted({int(i) for i in ids})
    for lo in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        chunk = ids[lo:lo + 900]
        marks = ", ".join("?" * len(chunk))
        for mid, first, last, email in cur.execute(
                f"SELECT id, first_name, last_name, email FROM member WHERE id IN ({marks})",
                chunk):
            out[int(mid)] = display_name(first, last, email, mid)
    return out


def network_summary(ws: Workspace, run_id: int | None = None, top: int = 25) -> NetworkSummary:
    """Size, components and top referrers of the referral graph (NV from ``run_id``, default
    the latest run)."""
    return _cursor_run(ws, _summary, run_id, top)  # type: ignore[no-any-return]


def _summary(cur: sqlite3.Cursor, run_id: int | None, top: int) -> NetworkSummary:
    if run_id is None:
        run_id = cur.execute("SELECT max(id) FROM score_run").fetchone()[0]
    damping = 0.85
    if run_id is not None:
        row = cur.execute("SELECT config_toml FROM score_run WHERE id = ?", (run_id,)).fetchone()
        if row is not None:
            damping = from_toml(row[0], source=f"run {run_id}").network_value.pagerank_damping
    total, unmatched = cur.execute(
        "SELECT count(*), coalesce(sum(referrer_id IS NULL OR referred_id IS NULL), 0) "
        "FROM referral").fetchone()
    pairs = np.fromiter(
        (v for r in cur.execute(f"SELECT referrer_id, referred_id FROM referral WHERE {_KNOWN}")
         for v in r), dtype=np.int64).reshape(-1, 2)
    ids = np.unique(pairs)  # graph nodes, ascending member id
    n = len(ids)
    src, dst = np.searchsorted(ids, pairs[:, 0]), np.searchsorted(ids, pairs[:, 1])
    adj = referral_matrix(n, src, dst)
    out_degree = np.diff(adj.indptr)
    in_degree = np.bincount(adj.indices, minlength=n)
    if n:
        n_comp, labels = connected_components(adj, directed=True, connection="weak")
        sizes = np.bincount(labels)
        size_values, size_counts = np.unique(sizes, return_counts=True)
        component_sizes = tuple((int(s), int(c)) for s, c in
                                zip(size_values[::-1], size_counts[::-1], strict=True))
    else:
        n_comp, sizes, component_sizes = 0, np.zeros(1, np.int64), ()
    rank = _pagerank(n, adj, np.arange(n), damping)
    # NV as the run stored it, for the members of the graph who referred someone.
    nv = np.full(n, np.nan)
    if run_id is not None and n:
        stored = np.array(cur.execute(
            "SELECT member_id, network_value FROM member_score WHERE run_id = ? "
            "AND network_value > 0", (run_id,)).fetchall(), dtype=np.float64).reshape(-1, 2)
        pos = np.searchsorted(ids, stored[:, 0].astype(np.int64))
        pos = np.minimum(pos, n - 1)
        hit = ids[pos] == stored[:, 0].astype(np.int64)
        nv[pos[hit]] = stored[hit, 1]
    by_nv = np.flatnonzero(~np.isnan(nv) & (out_degree > 0))
    by_nv = by_nv[np.lexsort((ids[by_nv], -nv[by_nv]))][:top]  # NV high first, then member id
    referrers = np.flatnonzero(out_degree > 0)
    by_rank = referrers[np.lexsort((ids[referrers], -rank[referrers]))][:top]
    names = _names(cur, ids[np.concatenate([by_nv, by_rank])].tolist())

    def referrer(p: int) -> Referrer:
        member = int(ids[p])
        return Referrer(member, names.get(member, f"Member {member}"), int(out_degree[p]),
                        None if np.isnan(nv[p]) else float(nv[p]), float(rank[p]))

    return NetworkSummary(
        run_id=None if run_id is None else int(run_id),
        referral_rows=int(total),
        unmatched_rows=int(unmatched),
        nodes=n,
        edges=int(adj.nnz),
        referrers=int((out_degree > 0).sum()),
        referred=int((in_degree > 0).sum()),
        components=int(n_comp),
        largest_component=int(sizes.max()) if n else 0,
        component_sizes=component_sizes,
        top_by_nv=tuple(referrer(int(p)) for p in by_nv),
        top_by_pagerank=tuple(referrer(int(p)) for p in by_rank),
    )


def ego_network(ws: Workspace, member_id: int, cap: int = EGO_CAP) -> EgoNetwork:
    """The member, everyone they referred or were referred by, and one hop further (undirected),
    at most ``cap`` members: the nearest first, then the best connected."""
    return _cursor_run(ws, _ego, int(member_id), cap)  # type: ignore[no-any-return]


def _neighbour_edges(cur: sqlite3.Cursor, members: set[int]) -> set[tuple[int, int]]:
    edges: set[tuple[int, int]] = set()
    ids = sorted(members)
    for lo in range(0, len(ids), 400):  # each id is bound twice
        chunk = ids[lo:lo + 400]
        marks = ", ".join("?" * len(chunk))
        edges.update((int(a), int(b)) for a, b in cur.execute(
            f"SELECT referrer_id, referred_id FROM referral WHERE {_KNOWN} AND "
            f"(referrer_id IN ({marks}) OR referred_id IN ({marks}))", chunk + chunk))
    return edges


def _ego(cur: sqlite3.Cursor, center: int, cap: int) -> EgoNetwork:
    first = _neighbour_edges(cur, {center})
    hop1 = {m for e in first for m in e} - {center}
    second = _neighbour_edges(cur, hop1) if hop1 else set()
    hop2 = {m for e in second for m in e} - hop1 - {center}
    everyone = first | second
    degree: dict[int, int] = {}
    for a, b in everyone:  # the edges of a few dozen to a few thousand members
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    kept = [center, *sorted(hop1, key=lambda m: (-degree.get(m, 0), m))[:max(cap - 1, 0)]]
    kept_set = set(kept)
    reachable = {m for a, b in second for m in (a, b)
                 if m in hop2 and ({a, b} - {m}) & kept_set}
    kept += sorted(reachable, key=lambda m: (-degree.get(m, 0), m))[:max(cap - len(kept), 0)]
    kept_set = set(kept)
    edges = tuple(sorted((a, b) for a, b in everyone if a in kept_set and b in kept_set))
    names = _names(cur, kept)
    seg: dict[int, tuple[str, float | None]] = {}
    run = cur.execute("SELECT max(id) FROM score_run").fetchone()[0]
    if run is not None:
        marks = ", ".join("?" * len(kept))
        seg = {int(r[0]): (str(r[1]), r[2]) for r in cur.execute(
            f"SELECT member_id, segment, network_value FROM member_score WHERE run_id = ? "
            f"AND member_id IN ({marks})", (run, *kept))}
    hop = {center: 0, **dict.fromkeys(hop1, 1), **dict.fromkeys(hop2, 2)}
    nodes = tuple(
        EgoNode(m, names.get(m, f"Member {m}"), hop[m], seg.get(m, (None, None))[0],
                seg.get(m, (None, None))[1])
        for m in kept
    )
    return EgoNetwork(center, nodes, edges, 1 + len(hop1) + len(hop2), cap)


def ego_layout(ego: EgoNetwork, seed: int = 7) -> dict[int, tuple[float, float]]:
    """Spring-layout positions (about −1…1) of the drawn members, the member at the centre."""
    graph = nx.Graph()
    graph.add_nodes_from(node.member_id for node in ego.nodes)
    graph.add_edges_from(ego.edges)
    if len(graph) == 1:
        return {ego.center: (0.0, 0.0)}
    pos = nx.spring_layout(graph, seed=seed, pos={ego.center: (0.0, 0.0)}, fixed=[ego.center],
                           iterations=80)
    return {int(k): (float(v[0]), float(v[1])) for k, v in pos.items()}
