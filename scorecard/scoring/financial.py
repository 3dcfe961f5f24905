"""Financial value F: the percentile rank (0–100) of a chosen money measure, vectorised.

Measures (DESIGN.md; seed 003 on profitability and potential value):

* ``profit`` = revenue × gross margin − cost to serve (cost unknown counts as none, so without
  any cost data the ranking is the revenue ranking);
* ``revenue``;
* ``clv`` = average order value × orders per year × margin × expected years, where orders per
  year divides by the years since the first order (or joining), at least ``min_tenure_years``
  so a brand-new customer's first week is not extrapolated.

Optional potential value: with a share-of-wallet answer ``sow`` (0–1, or 0–100 as a percentage)
the spend placed elsewhere, measure × (1/sow − 1), is added with ``potential_weight``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from scorecard.scoring.config import FinancialConfig


@dataclass(frozen=True)
class FinancialInputs:
    """Per-member arrays from the latest financial snapshot (NaN: unknown or no snapshot)."""

    revenue: np.ndarray
    orders: np.ndarray
    cost_to_serve: np.ndarray
    tenure_years: np.ndarray  # from the first order (or joining) to the snapshot date
    gross_margin: float  # the workspace setting, used when the config leaves it unset

    def __len__(self) -> int:
        return len(self.revenue)


@dataclass(frozen=True)
class FinancialValue:
    measure: np.ndarray  # the money value ranked (NaN: no data)
    financial: np.ndarray  # F, 0–100 (NaN: no data)
    aov: np.ndarray  # average order value (the CLV inputs, for the receipt)
    orders_per_year: np.ndarray
    margin: float


def percentile_rank(values: np.ndarray) -> np.ndarray:
    """Percentile rank 0–100 among the known values: (below + half of ties) / n × 100.

    So exactly the top quarter (ties aside) ranks at 75 or above; NaN stays NaN.
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    known = ~np.isnan(values)
    n = int(known.sum())
    if n:
        out[known] = (rankdata(values[known], method="average") - 0.5) * (100.0 / n)
    return out


def measure_value(
    inputs: FinancialInputs, config: FinancialConfig, share_of_wallet: np.ndarray | None = None
) -> FinancialValue:
    """The configured money measure per member, and the CLV inputs behind it."""
    margin = config.gross_margin if config.gross_margin is not None else inputs.gross_margin
    revenue = inputs.revenue
    cost = np.nan_to_num(inputs.cost_to_serve, nan=0.0)
    years = np.maximum(np.nan_to_num(inputs.tenure_years, nan=0.0), config.min_tenure_years)
    with np.errstate(invalid="ignore", divide="ignore"):
        orders = np.where(inputs.orders > 0, inputs.orders, np.nan)
        aov = revenue / orders
        per_year = orders / years
    if config.measure == "revenue":
        measure = revenue.astype(np.float64, copy=True)
    elif config.measure == "profit":
        measure = revenue * margin - cost
    else:  # clv: with no order count, revenue per year stands in for aov × frequency
        yearly = np.where(np.isnan(aov), revenue / years, aov * per_year)
        measure = yearly * margin * config.expected_years
    if share_of_wallet is not None and config.potential_weight > 0:
        sow = np.where(share_of_wallet > 1, share_of_wallet / 100.0, share_of_wallet)
        with np.errstate(invalid="ignore", divide="ignore"):
            elsewhere = np.where(sow > 0, measure * (1.0 / np.clip(sow, 0.05, 1.0) - 1.0), 0.0)
        measure = measure + config.potential_weight * np.nan_to_num(elsewhere)
    return FinancialValue(
        measure=measure,
        financial=percentile_rank(measure),
        aov=aov,
        orders_per_year=per_year,
        margin=float(margin),
    )
