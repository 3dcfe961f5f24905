"""The Financial × Social chart's arrays: a grid index for hit-testing, the density colours and
the sparse points as pixels. NumPy only (no Qt), so it is built on a worker thread and timed in
the benchmark on its own.

The grid has ``GRID`` × ``GRID`` cells over 0–100 on both axes (one score point a cell). The
members are sorted by cell once; a cell's members are then one contiguous slice, and a row of
cells is one slice too. Hovering looks only at the few cells around the pointer; a rubber band
is a comparison over the arrays. Cells holding at most ``SPARSE`` members are drawn as
individual points; fuller ones as a colour-mapped density cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID = 100
SPARSE = 4  # members a cell may hold and still show each of them as a point
FEW_POINTS = 2_000  # up to this many points are drawn large
POINT_CAP = 20_000  # above this many, smallest (they are then mostly what the chart shows)



@dataclass(frozen=True)
class Hit:
    index: int  # into the index's arrays (-1: nothing near)
    nearby: int  # members within the radius, the hit included


class QuadrantIndex:
    """Plotted members (S and F both known) sorted into a grid of cells."""

    def __init__(self, financial: np.ndarray, social: np.ndarray, rows: np.ndarray,
                 segments: np.ndarray) -> None:
        self.f = np.asarray(financial, dtype=np.float64)
        self.s = np.asarray(social, dtype=np.float64)
        self.rows = np.asarray(rows, dtype=np.int64)  # positions in the run's arrays
        self.segments = np.asarray(segments, dtype=np.int8)
        cell = self.cell_of(self.f, self.s)
        self.order = np.argsort(cell, kind="stable").astype(np.int64)
        counts = np.bincount(cell, minlength=GRID * GRID)
        self.counts = counts.reshape(GRID, GRID)  # [S cell, F cell]
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.sparse = counts[cell] <= SPARSE  # per member: drawn as its own point

    @property
    def n(self) -> int:
        return len(self.f)

    @staticmethod
    def cell_of(f: np.ndarray, s: np.ndarray) -> np.ndarray:
        cx = np.clip((np.asarray(f) * (GRID / 100.0)).astype(np.int64), 0, GRID - 1)
        cy = np.clip((np.asarray(s) * (GRID / 100.0)).astype(np.int64), 0, GRID - 1)
        return cy * GRID + cx

    def candidates(self, f_lo: float, f_hi: float, s_lo: float, s_hi: float) -> np.ndarray:
        """Indices of the members in the cells touching the box (a superset of those inside)."""
        cx0, cy0 = (int(np.clip(v * GRID / 100.0, 0, GRID - 1)) for v in (f_lo, s_lo))
        cx1, cy1 = (int(np.clip(v * GRID / 100.0, 0, GRID - 1)) for v in (f_hi, s_hi))
        rows = np.arange(cy0, cy1 + 1) * GRID  # cell rows: sorted members are contiguous
        lo = self.starts[rows + cx0]
        hi = self.starts[rows + cx1 + 1]
        if len(lo) == 0 or int((hi - lo).sum()) == 0:
            return np.zeros(0, dtype=np.int64)
        return self.order[np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(),
                                                                          hi.tolist(),
                                                                          strict=True)])]

    def nearest(self, f: float, s: float, radius_f: float, radius_s: float) -> Hit:
        """The member nearest to (f, s) within an ellipse of the given radii (data units: the
        pointer's pixel radius in each axis), and how many members lie inside it."""
        cand = self.candidates(f - radius_f, f + radius_f, s - radius_s, s + radius_s)
        if len(cand) == 0:
            return Hit(-1, 0)
        d = ((self.f[cand] - f) / radius_f) ** 2 + ((self.s[cand] - s) / radius_s) ** 2
        inside = d <= 1.0
        if not inside.any():
            return Hit(-1, 0)
        best = int(np.argmin(np.where(inside, d, np.inf)))
        return Hit(int(cand[best]), int(inside.sum()))

    # -- pictures -----------------------------------------------------------------------------
    def density_rgba(self, colours: np.ndarray) -> np.ndarray:
        """(GRID, GRID, 4) premultiplied RGBA, top row = highest S; sparse cells transparent.

        A crowded cell takes the colour of the segment most of its members are in (so the
        quadrants keep their colours where points give way to density), pale for a few
        members and full for the fullest cell, on a log scale."""
        counts = self.counts[::-1]  # image rows run top-down, S up
        dense = counts > SPARSE
        out = np.zeros((GRID, GRID, 4), dtype=np.uint8)
        if not dense.any():
            return out
        k = len(colours)
        cell = self.cell_of(self.f, self.s)
        by_segment = np.bincount(cell * k + self.segments, minlength=GRID * GRID * k)
        major = by_segment.reshape(GRID, GRID, k).argmax(axis=2)[::-1]
        # Log scale: a few very full cells must not wash out the rest.
        level = np.log1p(counts[dense] - SPARSE)
        t = 0.4 + 0.6 * level / (float(level.max()) or 1.0)
        rgb = colours[major[dense]].astype(np.float64)
        out[dense, :3] = np.rint(255.0 + (rgb - 255.0) * t[:, None]).astype(np.uint8)
        out[dense, 3] = 255
        return out

    @property
    def fullest(self) -> int:
        """Members in the fullest cell (what the darkest shade stands for)."""
        return int(self.counts.max()) if self.n else 0

    def points_rgba(self, width: int, height: int, colours: np.ndarray) -> np.ndarray:
        """(height, width, 4) premultiplied RGBA with a dot for each member of a sparse cell.

        ``colours``: (segments, 3) uint8 RGB per segment code. Each dot is the same small
        anti-aliased disc, stamped with NumPy one pixel of the disc at a time (at most 7 × 7
        passes over all dots, never a loop over members)."""
        flat = np.zeros((max(height, 1) * max(width, 1), 4), dtype=np.float32)
        idx = np.flatnonzero(self.sparse)
        if len(idx) == 0 or width < 2 or height < 2:
            return flat.reshape(max(height, 1), max(width, 1), 4).astype(np.uint8)
        cx = np.rint(self.f[idx] / 100.0 * (width - 1)).astype(np.int64)
        cy = np.rint((1.0 - self.s[idx] / 100.0) * (height - 1)).astype(np.int64)
        rgb = colours[self.segments[idx]].astype(np.float32)
        # Fewer dots can be bigger; thousands of big dots would hide the density beneath.
        radius = 2.6 if len(idx) <= FEW_POINTS else 1.7 if len(idx) <= POINT_CAP else 1.0
        reach = int(np.ceil(radius))
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                a = float(np.clip(radius + 0.5 - np.hypot(dx, dy), 0.0, 1.0))
                if a <= 0.0:
                    continue
                x, y = cx + dx, cy + dy
                ok = (x >= 0) & (x < width) & (y >= 0) & (y < height)
                at = y[ok] * width + x[ok]
                cur = flat[at]
                flat[at, :3] = rgb[ok] * a + cur[:, :3] * (1.0 - a)  # premultiplied "over"
                flat[at, 3] = 255.0 * a + cur[:, 3] * (1.0 - a)
        return flat.reshape(height, width, 4).astype(np.uint8)
