"""The live formulas of the workbook: S and the segment over the Weights sheet's cells.

The Members sheet's S and Segment columns are Excel formulas over the row's K, P, R and F and
the few editable cells of the Weights sheet, so a colleague can change a weight or a threshold
and watch the segments move. They follow the engine exactly
(``scorecard.scoring.components.compute_social`` and ``scorecard.scoring.segments.assign``):

* S is the weighted mean of the components that are present and weighted (weight > 0), when at
  least ``min(min_components, number of weighted components)`` of them are (and at least one);
  otherwise empty ("not surveyed", never zero).
* Segment: no S → "Not surveyed"; S ≥ social threshold and F ≥ financial threshold →
  Ambassadors; high S only → Advocates; high F only → Affluents; else Base. A missing F is
  not high.

The one case a formula over K, P, R cannot know is a straight-liner the run excluded from S
(config ``exclude_straightliners``): :func:`formula_social` mirrors the formula in NumPy so the
writer can spot those rows and write their S as a fixed (empty) cell instead.

The cell addresses live here, next to the formulas that use them, and the Weights sheet is laid
out from them.
"""

from __future__ import annotations

import numpy as np

from scorecard.scoring.config import ScoringConfig
from scorecard.scoring.segments import SEGMENTS

WEIGHTS = "Weights"

# Members sheet columns (1-based letters) the formulas read and write.
MEMBER_COLUMNS = (
    "Member number", "Name", "E-mail", "City", "Country", "K", "P", "R", "S", "F", "NV",
    "Segment", "Stability", "Revenue",
)
K_COL, R_COL, S_COL, F_COL, SEGMENT_COL = "F", "H", "I", "J", "L"

# Weights sheet cells (row, column); the sheet writes its values there.
WEIGHT_ROW = 5  # B5:D5 — the weights of K, P and R, as the colleague types them
USED_ROW = 6  # B6:D6 — the same, negatives counted as 0 (the engine ignores weights ≤ 0)
MIN_COMPONENTS_CELL = (8, 2)  # B8
NEEDED_CELL = (9, 2)  # B9 — components S needs, given the weights (a formula)
SOCIAL_THRESHOLD_CELL = (11, 2)  # B11
FINANCIAL_THRESHOLD_CELL = (12, 2)  # B12


def _ref(cell: tuple[int, int]) -> str:
    row, col = cell
    return f"{WEIGHTS}!${'ABCDEFGH'[col - 1]}${row}"


USED_WEIGHTS = f"{WEIGHTS}!$B${USED_ROW}:$D${USED_ROW}"
NEEDED = _ref(NEEDED_CELL)
SOCIAL_THRESHOLD = _ref(SOCIAL_THRESHOLD_CELL)
FINANCIAL_THRESHOLD = _ref(FINANCIAL_THRESHOLD_CELL)


def needed_formula() -> str:
    """The Weights cell counting the components S needs: the engine's min() and at least one."""
    used = f"$B${USED_ROW}:$D${USED_ROW}"
    return f'=MAX(1,MIN(B{MIN_COMPONENTS_CELL[0]},COUNTIF({used},">0")))'


def used_weight_formula(col: str) -> str:
    """A weight as the engine uses it: negative counts as 0."""
    return f"=MAX(0,{col}{WEIGHT_ROW})"


# SUMPRODUCT treats empty cells as 0 and takes arrays without Ctrl+Shift+Enter, in Excel and
# LibreOffice alike. The count of present, weighted components reaching NEEDED (≥ 1) implies a
# positive denominator.
_S = (
    "=IF(SUMPRODUCT(ISNUMBER({k}{r}:{rr}{r})*({w}>0))>={need},"
    "SUMPRODUCT({k}{r}:{rr}{r},{w})/SUMPRODUCT(ISNUMBER({k}{r}:{rr}{r})*{w}),\"\")"
).format(k=K_COL, rr=R_COL, w=USED_WEIGHTS, need=NEEDED, r="{r}")

_SEGMENT = (
    '=IF({s}{r}="","{ns}",IF({s}{r}>={st},IF(AND(ISNUMBER({f}{r}),{f}{r}>={ft}),"{amb}","{adv}"),'
    'IF(AND(ISNUMBER({f}{r}),{f}{r}>={ft}),"{aff}","{base}")))'
).format(s=S_COL, f=F_COL, st=SOCIAL_THRESHOLD, ft=FINANCIAL_THRESHOLD, ns=SEGMENTS[4],
         amb=SEGMENTS[0], adv=SEGMENTS[1], aff=SEGMENTS[2], base=SEGMENTS[3], r="{r}")

# Split once so a row's formula is a join, not a format call with keyword lookups.
_S_PARTS = _S.split("{r}")
_SEGMENT_PARTS = _SEGMENT.split("{r}")


def social_formula(row: int) -> str:
    """S of the Members row ``row``."""
    return str(row).join(_S_PARTS)


def segment_formula(row: int) -> str:
    """Segment of the Members row ``row``."""
    return str(row).join(_SEGMENT_PARTS)


def formula_social(components: np.ndarray, config: ScoringConfig) -> np.ndarray:
    """What the S formula computes for rows of K, P, R (NaN missing): NaN where it is empty."""
    s = config.social
    w = np.maximum(np.array([s.knowledge, s.participation, s.reach], dtype=np.float64), 0.0)
    present = ~np.isnan(components)
    counted = present & (w > 0)
    needed = max(1, min(s.min_components, int((w > 0).sum())))
    den = present @ w
    ok = counted.sum(axis=1) >= needed
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (np.nan_to_num(components) @ w) / den
    return np.where(ok, value, np.nan)
