"""Validity and data quality of a run: does stated S predict observed behaviour, and is it fair?

* Spearman correlation of S and of each component with observed referrals and e-mail forwards,
  among scored members, where such data exists (Kumar et al.: stated intent to refer overstates
  referring, so S must be checked against what members do).
* Cronbach's alpha of the knowledge battery (complete answers only).
* Straight-liners and implausible reach, counted.
* Age bands: members, scored, mean S and segment shares per band, and a warning when S falls
  steeply with age (seed 002's comment: do not silently penalise older, less-online members).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.stats import spearmanr

from scorecard.scoring.segments import NOT_SURVEYED, SEGMENTS

AGE_EDGES = (25, 35, 45, 55, 65, 75)  # the questionnaire's bands: 18–24 … 75 or older
AGE_BANDS = ("18–24", "25–34", "35–44", "45–54", "55–64", "65–74", "75+", "Unknown")
MIN_BAND = 20  # scored members a band needs before its mean S enters the warning


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), digits)


def spearman(x: np.ndarray, y: np.ndarray, min_n: int = 10) -> float | None:
    """Spearman's rho over the pairs where both are known; None when it cannot be computed."""
    both = ~np.isnan(x) & ~np.isnan(y)
    if both.sum() < min_n:
        return None
    a, b = x[both], y[both]
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = spearmanr(a, b).statistic
    return _round(rho)


def cronbach_alpha(items: np.ndarray) -> float | None:
    """Cronbach's alpha of the rows answered in full; None with fewer than 2 items or 10 rows."""
    if items.ndim != 2 or items.shape[1] < 2:
        return None
    full = items[~np.isnan(items).any(axis=1)]
    if len(full) < 10:
        return None
    k = items.shape[1]
    total_var = full.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return None
    return _round(k / (k - 1) * (1 - full.var(axis=0, ddof=1).sum() / total_var))


def correlations(
    components: dict[str, np.ndarray], observed: dict[str, np.ndarray | None]
) -> dict[str, dict[str, float | int | None]]:
    """{signal: {"n": pairs, component: rho, …}} for each observed signal that exists."""
    out: dict[str, dict[str, float | int | None]] = {}
    for signal, values in observed.items():
        if values is None:
            continue
        row: dict[str, float | int | None] = {
            "n": int((~np.isnan(values) & ~np.isnan(components["social"])).sum())
        }
        row.update({name: spearman(comp, values) for name, comp in components.items()})
        out[signal] = row
    return out


def age_band_codes(age: np.ndarray) -> np.ndarray:
    """Band index into ``AGE_BANDS`` for ages in years (NaN: Unknown)."""
    code = np.searchsorted(np.asarray(AGE_EDGES), np.nan_to_num(age, nan=0.0), side="right")
    return np.where(np.isnan(age), len(AGE_BANDS) - 1, code)


def age_table(
    age: np.ndarray, social: np.ndarray, segments: np.ndarray, decline_points: float
) -> tuple[list[dict[str, object]], str | None]:
    """Per age band: members, scored, mean S, segment shares among the scored; and a warning."""
    band = age_band_codes(age)
    scored = ~np.isnan(social)
    n_bands = len(AGE_BANDS)
    members = np.bincount(band, minlength=n_bands)
    n_scored = np.bincount(band[scored], minlength=n_bands)
    sum_s = np.bincount(band[scored], weights=social[scored], minlength=n_bands)
    seg_counts = np.zeros((n_bands, len(SEGMENTS)), dtype=np.int64)
    np.add.at(seg_counts, (band, segments.astype(np.intp)), 1)
    rows: list[dict[str, object]] = []
    for b, label in enumerate(AGE_BANDS):  # eight bands
        mean = sum_s[b] / n_scored[b] if n_scored[b] else None
        shares = {
            SEGMENTS[s]: _round(seg_counts[b, s] / n_scored[b]) if n_scored[b] else None
            for s in range(len(SEGMENTS)) if s != NOT_SURVEYED
        }
        rows.append({"band": label, "members": int(members[b]), "scored": int(n_scored[b]),
                     "mean_social": _round(mean, 1), "shares": shares})
    young = [b for b in range(3) if n_scored[b] >= MIN_BAND]  # under 45
    old = [b for b in (5, 6) if n_scored[b] >= MIN_BAND]  # 65 and over
    warning = None
    if young and old:
        mean_young = sum_s[young].sum() / n_scored[young].sum()
        mean_old = sum_s[old].sum() / n_scored[old].sum()
        if mean_young - mean_old >= decline_points:
            warning = (
                f"S falls steeply with age: members 65+ average {mean_old:.1f}, under 45 "
                f"{mean_young:.1f}. Check that offline activities and networks weigh as much as "
                "online ones before acting on the segments."
            )
    return rows, warning
