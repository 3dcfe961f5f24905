"""Hand-computed scores: a few members whose K, P, R, S, F and segment are worked out below.

Default config: agreement items 1–7 → (v − 1) / 6; years on a log scale between 0.5 and 15;
activity weights by Technographics rung (read 1, reviews 4, photos 6, posts 6, comment 4,
share 5, recommend 5, events 2, organise 6: total 39); closeness and publicness 1–5 →
(v − 1) / 4; P = mean of its activity and connection parts; R = 50 · ln(1 + T) / ln(151),
capped at 100, one network's count capped at 1,500; S = mean of K, P, R; profit = revenue × 0.4
− cost; F = (rank − ½) / n · 100; Ambassadors: S ≥ 60 and F ≥ 75.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scorecard.scoring.components import compute_social
from scorecard.scoring.config import QualityConfig, answer_columns, default_config
from scorecard.scoring.engine import ScoreInputs, compute_scores
from scorecard.scoring.financial import FinancialInputs, percentile_rank
from scorecard.scoring.segments import SEGMENTS

CONFIG = default_config()
COLUMNS = answer_columns(CONFIG)
AGREE = ("k_expertise", "k_interest", "k_brand", "k_advice", "k_influence", "k_maven")
ACTIVITIES = ("p_read", "p_reviews", "p_photos", "p_posts", "p_comment", "p_share",
              "p_recommend", "p_events", "p_organise")


def R(total: float) -> float:
    return min(100.0, 50 * math.log1p(total) / math.log1p(150))


def row(*groups: dict[str, float], **answers: float) -> np.ndarray:
    """One respondent's answers; later groups and keywords override earlier ones."""
    merged: dict[str, float] = {}
    for group in groups:
        merged.update(group)
    merged.update(answers)
    out = np.full(len(COLUMNS), np.nan)
    for item, value in merged.items():
        out[COLUMNS.index(item.replace("__", ":"))] = value
    return out


# Ann. K: 7, 4, 1, 4, 7, 1 → 1, ½, 0, ½, 1, 0; years 0.5 → 0: K = 3/7 = 42.857.
# Activities: read 4 (1×1), reviews 2 (4×½), photos 0, posts 0, comment 2 (4×½), share 4 (5),
# recommend 4 (5), events 2 (2×½), organise 0: 16/39 = 41.026. Connection: WhatsApp and family
# close 5 (1), public 1 (0): ½ → 50. P = (41.026 + 50)/2 = 45.513. Reach 60 + 90 = 150 → R = 50.
# S = (42.857 + 45.513 + 50)/3 = 46.123.
ANN = row(k_expertise=7, k_interest=4, k_brand=1, k_advice=4, k_influence=7, k_maven=1,
          k_years=0.5, p_read=4, p_reviews=2, p_photos=0, p_posts=0, p_comment=2, p_share=4,
          p_recommend=4, p_events=2, p_organise=0, c_networks__whatsapp=1,
          c_networks__family=1, c_whatsapp_close=5, c_whatsapp_public=1, c_family_close=5,
          c_family_public=1, r_whatsapp=60, r_family=90)
ANN_K, ANN_P = 300 / 7, (1600 / 39 + 50) / 2
ANN_S = (ANN_K + ANN_P + 50) / 3

# Bob. K: five 7s and brand 6 (5/6); years 15 → 1: (6 + 5/6)/7 = 97.619. Activities all 4 but
# read 3 (¾ × 1): 38.75/39 = 99.359. Connection: Facebook 4, 5 (¾, 1); Instagram 3, 5 (½, 1);
# clubs 5, 3 (1, ½): 4.75/6 = 79.167. P = (99.359 + 79.167)/2. Reach: 1,000 + 2,000 (implausible:
# counted as 1,500) + 35 = 2,535 → R = 50 ln(2536)/ln(151) = 78.11. S = mean of the three.
BOB = row(dict.fromkeys(AGREE, 7), dict.fromkeys(ACTIVITIES, 4), k_brand=6, k_years=15,
          p_read=3, c_networks__facebook=1, c_networks__instagram=1, c_networks__clubs=1,
          c_facebook_close=4, c_facebook_public=5, c_instagram_close=3, c_instagram_public=5,
          c_clubs_close=5, c_clubs_public=3, r_facebook=1000, r_instagram=2000, r_clubs=35)
BOB_K, BOB_P, BOB_R = (6 + 5 / 6) / 7 * 100, (38.75 / 39 * 100 + 4.75 / 6 * 100) / 2, R(2535)
BOB_S = (BOB_K + BOB_P + BOB_R) / 3

# Cas: three of seven knowledge items (fewer than half) → K missing. Activities all 1 (¼) →
# A = 25; no network grid → P = 25. Reach: family 10 → R = 50 ln 11 / ln 151 = 23.89.
# S = (25 + 23.89)/2 from two components.
CAS = row(dict.fromkeys(ACTIVITIES, 1), k_expertise=7, k_interest=2, k_brand=5, r_family=10)
CAS_S = (25 + R(10)) / 2

# Dee: four knowledge items of 5 (⅔) → K = 66.667; four of nine activities (fewer than half) →
# P missing; no reach → R missing. One component: no S, so "Not surveyed" though she answered.
DEE = row(k_expertise=5, k_interest=5, k_brand=5, k_advice=5, p_read=1, p_share=2,
          p_reviews=3, p_events=1)

# Fay: every agreement 1 and every activity 0 (a straight-liner: flagged, kept by default);
# years 0.5. K = 0, P = 0, R: family 3 → 50 ln 4 / ln 151 = 13.82. S = 13.82/3 = 4.61.
FAY = row(dict.fromkeys(AGREE, 1), dict.fromkeys(ACTIVITIES, 0), k_years=0.5, r_family=3)

EVE = row()  # did not answer


def test_hand_computed_components() -> None:
    s = compute_social(np.stack([ANN, BOB, CAS, DEE, FAY, EVE]), COLUMNS, CONFIG)
    assert s.knowledge[0] == pytest.approx(ANN_K)
    assert s.participation[0] == pytest.approx(ANN_P)
    assert s.reach[0] == pytest.approx(50.0)
    assert s.social[0] == pytest.approx(ANN_S)
    assert round(ANN_S, 3) == 46.123
    assert (s.knowledge[1], s.participation[1], s.reach[1]) == pytest.approx(
        (BOB_K, BOB_P, BOB_R))
    assert s.social[1] == pytest.approx(BOB_S)
    assert round(BOB_R, 2) == 78.11
    assert s.implausible_reach.tolist() == [False, True, False, False, False, False]
    assert np.isnan(s.knowledge[2]) and s.participation[2] == pytest.approx(25.0)
    assert s.social[2] == pytest.approx(CAS_S)
    assert s.knowledge[3] == pytest.approx(200 / 3)
    assert np.isnan(s.participation[3]) and np.isnan(s.reach[3]) and np.isnan(s.social[3])
    assert s.social[4] == pytest.approx(R(3) / 3)
    assert round(R(3), 2) == 13.82
    assert s.straightliner.tolist() == [False, False, False, False, True, False]
    assert np.isnan([s.knowledge[5], s.participation[5], s.reach[5], s.social[5]]).all()


def test_receipt_points_add_up_to_s_item_by_item() -> None:
    s = compute_social(np.stack([ANN, BOB, DEE, EVE]), COLUMNS, CONFIG)
    assert s.points is not None
    points = dict(zip(s.receipt_items, s.points[0], strict=True))
    # k_expertise: 1/7 of K's 100 points, K a third of S.
    assert points["k_expertise"] == pytest.approx(100 / 7 / 3)
    # Reach splits R by contacts: family's 90 of 150 → 60% of R = 30 points of R, 10 of S.
    assert points["r_family"] == pytest.approx(10.0)
    # Organising is a Creators activity answered "never": no points.
    assert points["p_organise"] == 0.0
    # WhatsApp closeness: 1 of the connection part's 2 (of 4 items) → 25 points of C, C half
    # of P, P a third of S.
    assert points["c_whatsapp_close"] == pytest.approx(25 / 2 / 3)
    assert np.nansum(s.points[:2], axis=1) == pytest.approx(s.social[:2])
    assert np.isnan(s.points[2:]).all()  # no S: no receipt


def test_financial_value_and_segments() -> None:
    # Profit = revenue × 0.4 − cost: Ann 1000 → 300; Bob 5000 → 2000; Cas 2000 − 50 → 750;
    # Dee 100 − 10 → 30; Fay 4000 → 1600; Eve 3000 − 2000 → −800; Gus (Bob's answers) 200 → 80.
    # Ranks: Eve 1, Dee 2, Gus 3, Ann 4, Cas 5, Fay 6, Bob 7 → F = (rank − ½)/7 · 100:
    # Eve 7.14, Dee 21.43, Gus 35.71, Ann 50, Cas 64.29, Fay 78.57, Bob 92.86.
    # Segments: Ann S 46 → Base; Bob S 88, F 93 → Ambassadors; Cas S 24, F 64 → Base;
    # Dee (no S) and Eve → Not surveyed; Fay S 4.6, F 78.6 → Affluents; Gus S 88, F 36 → Advocates.
    answers = np.stack([ANN, BOB, CAS, DEE, FAY, BOB])
    revenue = np.array([1000, 5000, 2000, 100, 4000, 3000, 200], dtype=float)
    cost = np.array([100, 0, 50, 10, 0, 2000, 0], dtype=float)
    inputs = ScoreInputs(
        member_ids=np.arange(1, 8),
        respondent_rows=np.array([0, 1, 2, 3, 4, 6]),  # Eve (5) did not answer
        response_ids=np.arange(6),
        columns=COLUMNS,
        answers=answers,
        financial=FinancialInputs(revenue, np.full(7, 4.0), cost, np.full(7, 2.0), 0.4),
    )
    result = compute_scores(inputs, CONFIG)
    assert result.financial == pytest.approx(
        np.array([50, 92.857, 64.286, 21.429, 78.571, 7.143, 35.714]), abs=1e-3)
    assert [SEGMENTS[c] for c in result.segment] == [
        "Base", "Ambassadors", "Base", "Not surveyed", "Affluents", "Not surveyed", "Advocates"]
    assert result.segment_counts() == {"Ambassadors": 1, "Advocates": 1, "Affluents": 1,
                                       "Base": 2, "Not surveyed": 2}
    # Not surveyed: no S and no stability; F is still known for everyone with a snapshot.
    assert np.isnan(result.social[[3, 5]]).all() and np.isnan(result.stability[[3, 5]]).all()
    # Bob is far above both thresholds: no perturbation moves him. Fay's F (78.6) sits within
    # 5 points of 75, so some draws move her to Base.
    assert result.stability[1] == 1.0
    assert 0.0 < result.stability[4] < 1.0


def test_straightliners_can_be_left_out() -> None:
    config = CONFIG.with_(quality=QualityConfig(exclude_straightliners=True))
    s = compute_social(np.stack([ANN, FAY]), COLUMNS, config)
    assert s.social[0] == pytest.approx(ANN_S)
    assert np.isnan(s.social[1]) and s.excluded.tolist() == [False, True]
    assert s.knowledge[1] == 0.0  # the components stay visible


def test_clv_and_revenue_measures() -> None:
    from dataclasses import replace

    from scorecard.scoring.financial import measure_value

    fin = FinancialInputs(
        revenue=np.array([1200.0, 1200.0, np.nan]),
        orders=np.array([12.0, 4.0, 3.0]),
        cost_to_serve=np.array([np.nan, 100.0, 0.0]),
        tenure_years=np.array([2.0, 0.25, 1.0]),
        gross_margin=0.5,
    )
    # CLV = aov × orders a year × margin × 3 years: 100 × 6 × 0.5 × 3 = 900; the second has
    # under a year of tenure, counted as one: 300 × 4 × 0.5 × 3 = 1800; no revenue: unknown.
    clv = measure_value(fin, replace(CONFIG.financial, measure="clv"))
    assert clv.measure[:2] == pytest.approx([900.0, 1800.0]) and np.isnan(clv.measure[2])
    assert clv.financial[:2] == pytest.approx([25.0, 75.0])
    profit = measure_value(fin, CONFIG.financial)  # cost unknown counts as none
    assert profit.measure[:2] == pytest.approx([600.0, 500.0])
    assert percentile_rank(np.array([3.0, 1.0, 2.0, 2.0])) == pytest.approx(
        [87.5, 12.5, 50.0, 50.0])


def test_network_value_by_hand() -> None:
    import networkx as nx

    from scorecard.scoring.config import NetworkValueConfig
    from scorecard.scoring.network import engagement_score, network_value

    # 0 referred 1 and 3; 1 referred 2 and 3. Values (profit): 10, 100, 50, 20, 0.
    # Direct: 0 → 100 + 20 = 120; 1 → 50 + 20 = 70. Second hop, halved: 0 → (50 + 20)/2 = 35.
    # Referral value: 0 → 155, 1 → 70. NV ranks the two who brought value in: 1 → 25, 0 → 75;
    # the others 0. Member 4 is in no referral: no PageRank, no clustering.
    src, dst = np.array([0, 1, 0, 1, 1]), np.array([1, 2, 3, 3, 3])  # one edge repeated
    nv = network_value(5, src, dst, np.array([10, 100, 50, 20, 0.0]), NetworkValueConfig())
    assert nv.direct_value.tolist() == [120, 70, 0, 0, 0]
    assert nv.referral_value.tolist() == [155, 70, 0, 0, 0]
    assert nv.network_value.tolist() == [75, 25, 0, 0, 0]
    assert nv.referrals.tolist() == [2, 2, 0, 0, 0]
    graph = nx.Graph([(0, 1), (1, 2), (0, 3), (1, 3)])
    expected = nx.clustering(graph)  # 0: 1, 1: 1/3, 2: 0, 3: 1
    assert nv.clustering[:4] == pytest.approx([expected[i] for i in range(4)])
    assert np.isnan(nv.clustering[4]) and np.isnan(nv.pagerank[4])
    assert nv.pagerank[0] > nv.pagerank[2]  # credit flows to the referrer
    none = network_value(3, np.zeros(0, int), np.zeros(0, int), np.ones(3), NetworkValueConfig())
    assert np.isnan(none.network_value).all()  # no referral data: NV unknown, not 0

    # Engagement: the percentile ranks of forwards (weight 2) and clicks (weight 1).
    eng = engagement_score(np.array([5.0, 0.0, np.nan]), np.array([9.0, 1.0, 2.0]),
                           np.full(3, np.nan), np.full(3, np.nan), NetworkValueConfig())
    # forwards ranks among 2: 75, 25; clicks among 3: 83.3, 16.7, 50.
    assert eng == pytest.approx([(2 * 75 + 500 / 6) / 3, (2 * 25 + 100 / 6) / 3, 50.0])


def test_pagerank_equals_networkx_on_a_random_referral_graph() -> None:
    import networkx as nx

    from scorecard.scoring.network import _pagerank, referral_matrix

    rng = np.random.default_rng(7)
    n = 300
    src = rng.integers(0, n, 500)
    dst = rng.integers(0, n, 500)
    adj = referral_matrix(n, src, dst)
    coo = adj.tocoo()
    nodes = np.unique(np.concatenate([coo.row, coo.col]))
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes.tolist())
    graph.add_edges_from(zip(coo.col.tolist(), coo.row.tolist(), strict=True))
    expected = nx.pagerank(graph, alpha=0.85)
    got = _pagerank(n, adj, nodes, 0.85)
    want = np.full(n, np.nan)
    want[list(expected)] = np.array(list(expected.values())) * len(nodes)
    assert np.allclose(got, want, equal_nan=True, atol=1e-4)


def test_segments_compare_scores_as_stated_to_two_decimals() -> None:
    from scorecard.scoring.segments import SEGMENTS, assign

    social = np.array([59.996, 59.994, np.nan])
    financial = np.array([80.0, 74.996, 99.0])
    names = [SEGMENTS[c] for c in assign(social, financial, 60.0, 75.0)]
    assert names == ["Ambassadors", "Affluents", "Not surveyed"]
