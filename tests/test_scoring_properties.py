"""Properties of the scoring that hold for any answers (hypothesis, modest example counts)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.scoring.components import compute_social
from scorecard.scoring.config import answer_columns, default_config
from scorecard.scoring.engine import ScoreInputs, compute_scores
from scorecard.scoring.financial import FinancialInputs
from scorecard.scoring.segments import NOT_SURVEYED

CONFIG = default_config()
COLUMNS = answer_columns(CONFIG)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _choices(column: str) -> tuple[float, ...]:
    if column == "k_years":
        return (0.5, 1.5, 4.0, 8.0, 15.0)
    if column.startswith("k_"):
        return tuple(float(v) for v in range(1, 8))
    if column.startswith("p_"):
        return tuple(float(v) for v in range(5))
    if column.startswith("c_networks:"):
        return (1.0,)
    if column.startswith("c_"):
        return tuple(float(v) for v in range(1, 6))
    if column.startswith("r_"):
        return (0.0, 3.0, 10.0, 30.0, 100.0, 300.0, 750.0, 2000.0, 12.0)
    return (21.0, 40.0, 70.0)  # age_band


@st.composite
def answer_matrices(draw: st.DrawFn, max_rows: int = 6) -> np.ndarray:
    """Respondents with any pattern of answered and skipped items (some rows left blank)."""
    rows = draw(st.integers(1, max_rows))
    density = draw(st.sampled_from([0.0, 0.2, 0.5, 0.8, 1.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    out = np.full((rows, len(COLUMNS)), np.nan)
    for j, column in enumerate(COLUMNS):  # columns, not members
        choices = np.array(_choices(column))
        values = choices[rng.integers(0, len(choices), rows)]
        out[:, j] = np.where(rng.random(rows) < density, values, np.nan)
    blank = draw(st.lists(st.booleans(), min_size=rows, max_size=rows))
    out[np.array(blank)] = np.nan
    return out


@SETTINGS
@given(answer_matrices())
def test_scores_stay_within_0_and_100(answers: np.ndarray) -> None:
    s = compute_social(answers, COLUMNS, CONFIG)
    for values in (s.knowledge, s.participation, s.reach, s.social, s.activity, s.connection):
        known = values[~np.isnan(values)]
        assert ((known >= 0) & (known <= 100 + 1e-9)).all()


@SETTINGS
@given(answer_matrices())
def test_receipts_add_up_to_s(answers: np.ndarray) -> None:
    s = compute_social(answers, COLUMNS, CONFIG)
    assert s.points is not None
    scored = ~np.isnan(s.social)
    assert np.allclose(s.points[scored].sum(axis=1), s.social[scored], atol=1e-9)
    assert np.isnan(s.points[~scored]).all()
    assert (s.points[scored] >= -1e-12).all()


@SETTINGS
@given(answer_matrices(), st.data())
def test_more_reach_never_lowers_r(answers: np.ndarray, data: st.DataObject) -> None:
    reach_cols = [j for j, c in enumerate(COLUMNS) if c.startswith("r_")]
    j = data.draw(st.sampled_from(reach_cols))
    extra = data.draw(st.floats(0.5, 5000))
    more = answers.copy()
    more[:, j] = more[:, j] + extra  # NaN stays NaN: the same items answered
    before = compute_social(answers, COLUMNS, CONFIG).reach
    after = compute_social(more, COLUMNS, CONFIG).reach
    known = ~np.isnan(before)
    assert (np.isnan(after) == np.isnan(before)).all()
    assert (after[known] >= before[known] - 1e-9).all()


@SETTINGS
@given(answer_matrices())
def test_unanswered_rows_have_no_score(answers: np.ndarray) -> None:
    answers = np.vstack([answers, np.full(len(COLUMNS), np.nan)])
    s = compute_social(answers, COLUMNS, CONFIG)
    assert np.isnan([s.knowledge[-1], s.participation[-1], s.reach[-1], s.social[-1]]).all()


def _inputs(answers: np.ndarray, n: int, rows: np.ndarray, seed: int) -> ScoreInputs:
    rng = np.random.default_rng(seed)
    fin = FinancialInputs(
        revenue=np.where(rng.random(n) < 0.8, rng.gamma(2.0, 300.0, n), np.nan),
        orders=rng.integers(0, 20, n).astype(float),
        cost_to_serve=rng.gamma(2.0, 20.0, n),
        tenure_years=rng.uniform(0, 6, n),
        gross_margin=0.4,
    )
    edges = rng.integers(0, n, size=(2, n))
    return ScoreInputs(np.arange(1, n + 1), rows, np.arange(len(rows)), COLUMNS, answers, fin,
                       edges[0], edges[1], None, rng.uniform(18, 90, n))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_matrices(), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_permuting_members_permutes_results(answers: np.ndarray, seed: int, order: int) -> None:
    m = len(answers)
    n = m + 4  # some members did not answer
    rng = np.random.default_rng(order)
    rows = np.sort(rng.choice(n, m, replace=False))
    inputs = _inputs(answers, n, rows, seed)
    base = compute_scores(inputs, CONFIG)
    perm = rng.permutation(n)  # new position p holds old member perm[p]
    where = np.argsort(perm)  # old position → new position
    shuffled = ScoreInputs(
        member_ids=inputs.member_ids[perm],
        respondent_rows=where[rows],
        response_ids=inputs.response_ids,
        columns=COLUMNS,
        answers=answers,
        financial=FinancialInputs(*(getattr(inputs.financial, f)[perm] for f in (
            "revenue", "orders", "cost_to_serve", "tenure_years")), gross_margin=0.4),
        referral_src=where[inputs.referral_src],
        referral_dst=where[inputs.referral_dst],
        age=None if inputs.age is None else inputs.age[perm],
    )
    moved = compute_scores(shuffled, CONFIG)
    for name in ("knowledge", "participation", "reach", "social", "financial",
                 "network_value", "stability"):
        np.testing.assert_allclose(getattr(moved, name), getattr(base, name)[perm],
                                   rtol=1e-9, atol=1e-9, err_msg=name)
    assert (moved.segment == base.segment[perm]).all()
    np.testing.assert_allclose(moved.network.pagerank, base.network.pagerank[perm], rtol=1e-4)
    not_surveyed = np.setdiff1d(np.arange(n), rows)
    assert (base.segment[not_surveyed] == NOT_SURVEYED).all()
    assert np.isnan(base.social[not_surveyed]).all()
