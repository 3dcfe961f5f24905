"""The social components K, P, R and the social score S, as a pure function over arrays.

``compute_social(answers, columns, config)`` takes an answers matrix (one row per respondent,
one column per item id in ``columns``, NaN where not answered, values on each item's own scale as
the ``answer`` table holds them) and returns the components and, per row and item, the points
that item contributes to S. Nothing here loops over members or touches the database.

Rules (DESIGN.md, "The scoring model"):

* Items are normalised to 0–1 from their answer range (``ItemSpec.min``/``max``); a log scale
  where the config says so.
* **K** is the weighted mean of the answered knowledge items; fewer than half answered: missing.
* **P** combines an activity part (frequencies, weighted by Technographics rung) and a connection
  part (closeness and publicness of each network the member uses), with editable weights. The
  activity part follows the half rule over the nine activities; the connection part over the
  closeness and publicness items of the networks the member uses (ticked, or answered about).
  P needs its activity part; without a connection part it is the activity part alone.
* **R** sums each network's contacts (weighted, one network's count capped at the implausible
  limit) and log-scales the total against a reference reach, capped. Missing when no count was
  given, or counts for fewer than half of the networks the member uses.
* **S** is the weighted mean of the available components, when at least ``min_components`` are.
* **Receipt**: each item's points add up to S exactly (before display rounding): K and P items
  give their share of the weighted mean; a network's reach gives R in proportion to its share of
  the weighted contacts (the log is not additive, the proportion is the honest split).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scorecard.scoring.config import (
    ItemSpec,
    ScoringConfig,
    SocialConfig,
    close_item,
    public_item,
    reach_item,
    tick_item,
)

COMPONENTS = ("knowledge", "participation", "reach")


@dataclass(frozen=True)
class SocialScores:
    """The social side of a run for the rows of an answers matrix (NaN: missing)."""

    knowledge: np.ndarray
    participation: np.ndarray
    reach: np.ndarray
    social: np.ndarray
    activity: np.ndarray  # P's parts, 0–100
    connection: np.ndarray
    reach_contacts: np.ndarray  # the weighted, capped contact total behind R
    factor: np.ndarray  # (rows, 3): each component's share of S (0 where not used)
    points: np.ndarray | None  # (rows, len(receipt_items)): points each item adds to S
    receipt_items: tuple[str, ...]
    receipt_component: tuple[str, ...]  # the component of each receipt item
    straightliner: np.ndarray  # bool: the same answer throughout every grid
    implausible_reach: np.ndarray  # bool: a network's count above the implausible limit
    excluded: np.ndarray  # bool: straight-liners left out of S (when the config says so)

    def __len__(self) -> int:
        return len(self.social)


def _indexes(columns: Sequence[str], ids: Sequence[str]) -> np.ndarray:
    where = {c: i for i, c in enumerate(columns)}
    return np.array([where.get(i, -1) for i in ids], dtype=np.intp)


def _take(answers: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The columns ``idx`` as float64; a column the matrix lacks (-1) is all NaN."""
    out = answers[:, np.maximum(idx, 0)].astype(np.float64)
    if (idx < 0).any():
        out[:, idx < 0] = np.nan
    return out


def _normalise(x: np.ndarray, specs: Sequence[ItemSpec]) -> np.ndarray:
    lo = np.array([s.min for s in specs], dtype=np.float64)
    hi = np.array([s.max for s in specs], dtype=np.float64)
    log = np.array([s.scale == "log" for s in specs], dtype=bool)
    if log.any():
        x = x.copy()
        with np.errstate(invalid="ignore"):
            x[:, log] = np.log1p(np.maximum(x[:, log], lo[log]))
        lo, hi = np.where(log, np.log1p(lo), lo), np.where(log, np.log1p(hi), hi)
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def _scale(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def _weighted_mean(
    xn: np.ndarray, w: np.ndarray, share: float, applicable: np.ndarray | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean × 100 of the answered columns, and each column's part of it (points).

    Missing (NaN, parts 0) when nothing is answered or fewer than ``share`` of the applicable
    items (by default every item with a weight) are.
    """
    weighted = w > 0
    answered = ~np.isnan(xn) & weighted
    count = answered.sum(axis=1)
    if applicable is None:
        applicable = int(weighted.sum())
    den = answered @ w
    ok = (count > 0) & (count >= share * applicable) & (den > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = np.where(answered, xn * w, 0.0) * (100.0 / np.where(ok, den, 1.0))[:, None]
    parts[~ok] = 0.0
    mean = np.where(ok, parts.sum(axis=1), np.nan)
    return mean, parts


def _constant_grid(x: np.ndarray, min_items: int) -> np.ndarray:
    """Rows that answered at least ``min_items`` of the grid, all with the same value."""
    if x.shape[1] == 0:
        return np.zeros(len(x), dtype=bool)
    missing = np.isnan(x)
    top = np.where(missing, -np.inf, x).max(axis=1)
    bottom = np.where(missing, np.inf, x).min(axis=1)
    return ((~missing).sum(axis=1) >= min_items) & (top == bottom)


def social_score(
    comps: np.ndarray, excluded: np.ndarray, s: SocialConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """S from the (rows, 3) K, P, R matrix (NaN missing): the weighted mean of the available
    components, each component's share of it (``factor``) and which rows have an S.

    Its own function so the scoring studio recombines cached components exactly as a run does.
    """
    w = np.array([s.knowledge, s.participation, s.reach], dtype=np.float64)
    available = ~np.isnan(comps) & (w > 0)
    needed = min(s.min_components, int((w > 0).sum()))
    s_den = available @ w
    s_ok = (available.sum(axis=1) >= needed) & (s_den > 0) & ~excluded
    factor = np.where(available & s_ok[:, None], w, 0.0) / np.where(s_ok, s_den, 1.0)[:, None]
    social = np.where(s_ok, (np.nan_to_num(comps) * factor).sum(axis=1), np.nan)
    return social, factor, s_ok


def compute_social(
    answers: np.ndarray,
    columns: Sequence[str],
    config: ScoringConfig,
    *,
    receipts: bool = True,
) -> SocialScores:
    """K, P, R, S (0–100, NaN missing) and receipts for each row of ``answers``."""
    answers = np.asarray(answers)
    if answers.ndim != 2 or answers.shape[1] != len(columns):
        raise ValueError("answers must be a rows × len(columns) matrix")
    share = config.social.min_answered_share
    k_specs = config.knowledge.items
    a_specs = config.participation.activities
    nets = config.networks
    part = config.participation

    # K: weighted mean of the knowledge items.
    k_raw = _take(answers, _indexes(columns, [s.id for s in k_specs]))
    k_w = np.array([s.weight for s in k_specs], dtype=np.float64)
    knowledge, k_parts = _weighted_mean(_normalise(k_raw, k_specs), k_w, share)

    # P, activity part.
    a_raw = _take(answers, _indexes(columns, [s.id for s in a_specs]))
    a_w = np.array([s.weight for s in a_specs], dtype=np.float64)
    activity, a_parts = _weighted_mean(_normalise(a_raw, a_specs), a_w, share)

    # Which networks a member uses: ticked, or answered about.
    close = _take(answers, _indexes(columns, [close_item(n.key) for n in nets]))
    public = _take(answers, _indexes(columns, [public_item(n.key) for n in nets]))
    counts = _take(answers, _indexes(columns, [reach_item(n.key) for n in nets]))
    ticks = _take(answers, _indexes(columns, [tick_item(n.key) for n in nets]))
    used = (ticks > 0) | ~np.isnan(close) | ~np.isnan(public) | ~np.isnan(counts)

    # P, connection part: closeness and publicness of each used network.
    conn_w = np.array([n.connection_weight for n in nets], dtype=np.float64)
    c_w = np.concatenate([conn_w * part.closeness_weight, conn_w * part.publicness_weight])
    c_norm = np.concatenate(
        [_scale(close, part.closeness_min, part.closeness_max),
         _scale(public, part.publicness_min, part.publicness_max)],
        axis=1,
    )
    c_applicable = (np.concatenate([used, used], axis=1) & (c_w > 0)).sum(axis=1)
    connection, c_parts = _weighted_mean(c_norm, c_w, share, c_applicable)

    wa, wc = part.activity_weight, part.connection_weight
    a_on = ~np.isnan(activity) & (wa > 0)
    c_on = ~np.isnan(connection) & (wc > 0)
    p_den = wa * a_on + wc * c_on
    p_ok = (p_den > 0) & (a_on | (wa == 0))
    safe = np.where(p_ok, p_den, 1.0)
    share_a = np.where(p_ok, wa * a_on / safe, 0.0)
    share_c = np.where(p_ok, wc * c_on / safe, 0.0)
    p_parts = np.concatenate([a_parts * share_a[:, None], c_parts * share_c[:, None]], axis=1)
    participation = np.where(p_ok, p_parts.sum(axis=1), np.nan)

    # R: weighted contacts, capped per network, log-scaled against the reference reach.
    rc = config.reach
    r_w = np.array([n.reach_weight for n in nets], dtype=np.float64)
    counts = np.maximum(counts, 0.0)
    with np.errstate(invalid="ignore"):
        implausible = (counts > rc.implausible_above).any(axis=1)
    answered_r = ~np.isnan(counts) & (r_w > 0)
    n_answered = answered_r.sum(axis=1)
    r_ok = (n_answered > 0) & (n_answered >= share * (used & (r_w > 0)).sum(axis=1))
    contacts = np.where(answered_r, np.minimum(counts, rc.implausible_above) * r_w, 0.0)
    total = contacts.sum(axis=1)
    reach = np.minimum(rc.cap, rc.reference_score * np.log1p(total) / np.log1p(rc.reference))
    with np.errstate(invalid="ignore", divide="ignore"):
        r_parts = np.where(total[:, None] > 0, contacts * (reach / total)[:, None], 0.0)
    reach = np.where(r_ok, reach, np.nan)
    r_parts[~r_ok] = 0.0

    # S: weighted mean of the available components.
    straight = np.ones(len(answers), dtype=bool)
    grids = (
        _take(answers, _indexes(columns, config.knowledge.battery)),
        a_raw,
    )
    for grid in grids:
        straight &= _constant_grid(grid, config.quality.straightline_min_items)
    excluded = straight & config.quality.exclude_straightliners
    comps = np.stack([knowledge, participation, reach], axis=1)
    social, factor, s_ok = social_score(comps, excluded, config.social)

    items = (
        *(sp.id for sp in k_specs),
        *(sp.id for sp in a_specs),
        *(close_item(n.key) for n in nets),
        *(public_item(n.key) for n in nets),
        *(reach_item(n.key) for n in nets),
    )
    owner = (
        ("knowledge",) * len(k_specs)
        + ("participation",) * (len(a_specs) + 2 * len(nets))
        + ("reach",) * len(nets)
    )
    points = None
    if receipts:
        points = np.concatenate(
            [k_parts * factor[:, 0:1], p_parts * factor[:, 1:2], r_parts * factor[:, 2:3]],
            axis=1,
        )
        points[~s_ok] = np.nan
    return SocialScores(
        knowledge=knowledge,
        participation=participation,
        reach=reach,
        social=social,
        activity=activity,
        connection=connection,
        reach_contacts=np.where(r_ok, total, np.nan),
        factor=factor,
        points=points,
        receipt_items=items,
        receipt_component=owner,
        straightliner=straight,
        implausible_reach=implausible,
        excluded=excluded,
    )
