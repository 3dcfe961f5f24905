"""Network value NV: what a member's referrals brought in, and where they sit in the graph.

Observed, never mixed into S (DESIGN.md): it is shown beside S and used to check how well the
self-reported S predicts observed referrals (Kumar, Petersen and Leone: ~68% intend to refer,
~33% do).

* **Referral value** (Domingos and Richardson's network value, Kumar et al.'s CRV): the money
  measure of the members a member referred, plus those they referred in turn at ``decay`` per hop,
  up to ``max_hops``. With the referral matrix A (A[i, j] = 1 when i referred j) and values v,
  that is Σₖ decayᵏ⁻¹ Aᵏ v — sparse matrix-vector products, no loop over members.
* **NV** (the ``network_value`` column): the percentile rank of the referral value among the
  members whose referrals brought in value; 0 for the others; missing when the workspace has no
  referral data at all.
* **PageRank** (networkx) on the graph with edges turned towards the referrer, so credit flows
  to whoever brought people in; scaled so 1 is the average node. **Clustering**: local
  clustering coefficient of the undirected graph (tight-knit circles), computed with sparse
  products; equal to ``networkx.clustering``.
* **Engagement**: e-mail forwards, clicks, opens and the Mailchimp rating, each as a percentile
  rank among the members who have it, combined with the configured weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from scorecard.scoring.config import NetworkValueConfig
from scorecard.scoring.financial import percentile_rank


@dataclass(frozen=True)
class NetworkValue:
    network_value: np.ndarray  # NV 0–100 (NaN: no referral data in the workspace)
    referral_value: np.ndarray  # direct + decayed indirect value brought in (money)
    direct_value: np.ndarray
    referrals: np.ndarray  # distinct members referred (int)
    referred: np.ndarray  # bool: this member was referred by someone
    pagerank: np.ndarray  # NaN outside the referral graph
    clustering: np.ndarray  # NaN outside the referral graph


def referral_matrix(n: int, src: np.ndarray, dst: np.ndarray) -> sparse.csr_matrix:
    """A[i, j] = 1 when member i referred member j (positions; duplicates and self-loops out)."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    pairs = np.unique(src[keep] * n + dst[keep])
    rows, cols = np.divmod(pairs, n)
    data = np.ones(len(pairs), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(n, n))


def _clustering(adj: sparse.csr_matrix) -> np.ndarray:
    """Local clustering coefficient of the undirected simple graph behind ``adj``."""
    und = ((adj + adj.T) > 0).astype(np.float64).tocsr()
    und.setdiag(0)
    und.eliminate_zeros()
    degree = np.asarray(und.sum(axis=1)).ravel()
    closed = np.asarray((und @ und).multiply(und).sum(axis=1)).ravel()  # 2 × triangles
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(degree > 1, closed / (degree * (degree - 1)), 0.0)


def _pagerank(
    n: int, adj: sparse.csr_matrix, nodes: np.ndarray, damping: float,
    tol: float = 1.0e-6, max_iter: int = 100,
) -> np.ndarray:
    """PageRank over the referral graph's ``nodes``, scaled so the mean member scores 1.

    The same power iteration as ``networkx.pagerank`` (uniform teleport, dangling members spread
    evenly, stop when the L1 change is under ``len(nodes) × tol``), run on the sparse matrix
    directly: building a networkx graph of a million members took seconds, this takes a tenth.
    """
    out = np.full(n, np.nan)
    k = len(nodes)
    if k == 0:
        return out
    index = np.full(n, -1, dtype=np.int64)
    index[nodes] = np.arange(k)
    coo = adj.tocoo()
    # Referred → referrer: a member's rank rises with the people (and their people) they brought.
    src, dst = index[coo.col], index[coo.row]
    keep = (src >= 0) & (dst >= 0)
    m = sparse.csr_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])), shape=(k, k))
    m.sum_duplicates()
    m.data[:] = 1.0
    out_degree = np.asarray(m.sum(axis=1)).ravel()
    scale = np.divide(1.0, out_degree, out=np.zeros(k), where=out_degree > 0)
    transition = (sparse.diags(scale) @ m).T.tocsr()  # column-stochastic where not dangling
    dangling = out_degree == 0
    x = np.full(k, 1.0 / k)
    for _ in range(max_iter):
        previous = x
        x = damping * (transition @ x + x[dangling].sum() / k) + (1.0 - damping) / k
        if np.abs(x - previous).sum() < k * tol:
            break
    out[nodes] = x * k
    return out


def network_value(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    value: np.ndarray,
    config: NetworkValueConfig,
) -> NetworkValue:
    """NV and graph measures for ``n`` members from referral edges (member positions)."""
    adj = referral_matrix(n, src, dst)
    has_data = adj.nnz > 0
    v = np.maximum(np.nan_to_num(np.asarray(value, dtype=np.float64), nan=0.0), 0.0)
    direct = adj @ v
    total = direct.copy()
    reach = direct
    for hop in range(2, config.max_hops + 1):
        reach = adj @ reach
        total += config.decay ** (hop - 1) * reach
    referrals = np.diff(adj.indptr).astype(np.int64)
    referred = np.asarray(adj.sum(axis=0)).ravel() > 0
    if has_data:
        nv = np.zeros(n)
        positive = total > 0
        nv[positive] = percentile_rank(total[positive])
    else:
        nv = np.full(n, np.nan)
    in_graph = (referrals > 0) | referred
    nodes = np.flatnonzero(in_graph)
    clustering = np.where(in_graph, _clustering(adj), np.nan) if has_data else np.full(n, np.nan)
    return NetworkValue(
        network_value=nv,
        referral_value=total,
        direct_value=direct,
        referrals=referrals,
        referred=referred,
        pagerank=_pagerank(n, adj, nodes, config.pagerank_damping),
        clustering=clustering,
    )


def engagement_score(
    forwards: np.ndarray,
    clicks: np.ndarray,
    opens: np.ndarray,
    rating: np.ndarray,
    config: NetworkValueConfig,
) -> np.ndarray:
    """0–100: weighted mean of the percentile ranks of the signals a member has (NaN: none)."""
    signals = (
        (forwards, config.forwards_weight),
        (clicks, config.clicks_weight),
        (opens, config.opens_weight),
        (rating, config.rating_weight),
    )
    num = np.zeros(len(forwards))
    den = np.zeros(len(forwards))
    for values, weight in signals:  # four signals, not members
        if weight <= 0:
            continue
        ranks = percentile_rank(values)
        known = ~np.isnan(ranks)
        num += np.where(known, ranks * weight, 0.0)
        den += known * weight
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)
