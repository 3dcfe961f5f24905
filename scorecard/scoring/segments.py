"""Segments (Ambassadors, Advocates, Affluents, Base, Not surveyed) and their stability.

Seed 002: the new high-value customer is the Ambassador, high on financial *and* social value.
Thresholds default to S ≥ 60 and F in the top quartile (F ≥ 75, F being a percentile rank). A
member without S is "Not surveyed", whatever F says; a member without F counts as not high F.

Stability (DESIGN.md: "how often the segment holds when weights and thresholds are
perturbed"): each draw multiplies the three component weights by U(1 − j, 1 + j) and shifts
both thresholds by U(−t, +t) points, recomputes S from the component arrays (not the raw
answers) and the segments; a member's stability is the share of draws that keep its segment.
All draws are made up front as arrays; the loop runs over draws, never over members.
"""

from __future__ import annotations

import numpy as np

from scorecard.scoring.config import ScoringConfig

SEGMENTS = ("Ambassadors", "Advocates", "Affluents", "Base", "Not surveyed")
AMBASSADORS, ADVOCATES, AFFLUENTS, BASE, NOT_SURVEYED = range(5)
DRAW_BLOCK = 20  # draws evaluated together: (members × 20) arrays keep memory modest


def assign(
    social: np.ndarray, financial: np.ndarray, social_threshold: float, financial_threshold: float
) -> np.ndarray:
    """Segment codes (index into ``SEGMENTS``) as int8.

    S and F are compared as stated, to two decimals (as runs store and reports print them), so
    a member shown with S 60.00 is never put below a threshold of 60 by a hidden 59.996.
    """
    surveyed = ~np.isnan(social)
    social = np.round(social, 2)
    financial = np.round(financial, 2)
    with np.errstate(invalid="ignore"):
        high_s = social >= social_threshold
        high_f = financial >= financial_threshold  # NaN: False
    code = np.where(high_s, np.where(high_f, AMBASSADORS, ADVOCATES),
                    np.where(high_f, AFFLUENTS, BASE))
    return np.where(surveyed, code, NOT_SURVEYED).astype(np.int8)


def segment_names(codes: np.ndarray) -> np.ndarray:
    return np.asarray(SEGMENTS, dtype=object)[codes]


def stability(
    components: np.ndarray,
    financial: np.ndarray,
    base: np.ndarray,
    config: ScoringConfig,
) -> np.ndarray:
    """Share of perturbed draws keeping each member's segment (NaN for members without S).

    ``components``: (n, 3) K, P, R with NaN; ``base``: the run's segment codes. Members whose
    S is missing in the run stay out (their segment, Not surveyed, cannot change).
    """
    st = config.stability
    s = config.social
    n = len(base)
    out = np.full(n, np.nan)
    rows = np.flatnonzero(base != NOT_SURVEYED)
    if st.draws == 0 or len(rows) == 0:
        return out
    comps = components[rows]
    available = (~np.isnan(comps)).astype(np.float64)
    filled = np.nan_to_num(comps)
    fin = financial[rows]
    seg = base[rows]
    weights = np.array([s.knowledge, s.participation, s.reach], dtype=np.float64)
    weights = np.where(weights > 0, weights, 0.0)
    rng = np.random.default_rng(st.seed)
    jitter = rng.uniform(1 - st.weight_jitter, 1 + st.weight_jitter, size=(st.draws, 3))
    shifts = rng.uniform(-st.threshold_jitter, st.threshold_jitter, size=(st.draws, 2))
    draw_weights = weights * jitter
    s_threshold = config.segments.social_threshold + shifts[:, 0]
    f_threshold = config.segments.financial_threshold + shifts[:, 1]
    kept = np.zeros(len(rows), dtype=np.int32)
    for lo in range(0, st.draws, DRAW_BLOCK):  # blocks of draws, never members
        w = draw_weights[lo:lo + DRAW_BLOCK].T  # (3, draws in block)
        social = (filled @ w) / (available @ w)
        with np.errstate(invalid="ignore"):
            low_s = social < s_threshold[lo:lo + DRAW_BLOCK]
            low_f = ~(fin[:, None] >= f_threshold[lo:lo + DRAW_BLOCK])  # NaN F: not high
        # Codes as in assign(): Ambassadors 0, Advocates 1, Affluents 2, Base 3.
        code = 2 * low_s.astype(np.int8) + low_f.astype(np.int8)
        kept += (code == seg[:, None]).sum(axis=1, dtype=np.int32)
    out[rows] = kept / st.draws
    return out
