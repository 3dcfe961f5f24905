"""A run's per-member arrays stored whole (table ``score_run_array``), for fast read-back.

``member_score`` is the queryable record of a run, one row per member; reading a million of those
rows back through Python takes seconds. The same values, saved at the end of the run as a few
zlib-compressed NumPy arrays, load in a fraction of a second: the reports and the dashboard read
these. Runs made before the arrays existed have none; readers fall back to ``member_score``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

import numpy as np
from sqlalchemy import Connection

LEVEL = 1  # fastest zlib level: scores rounded to 2 decimals still shrink to about half


Packed = list[tuple[str, str, int, bytes]]  # (name, dtype, length, zlib data) per array


def pack_arrays(arrays: Mapping[str, np.ndarray]) -> Packed:
    """Compress each array. zlib lets go of the GIL, so this can run beside SQLite's inserts."""
    out = []
    for name, values in arrays.items():
        arr = np.ascontiguousarray(values)
        out.append((name, arr.dtype.str, len(arr), zlib.compress(arr.tobytes(), LEVEL)))
    return out


def save_arrays(conn: Connection, run_id: int, packed: Packed) -> None:
    """Store a run's packed arrays, one row each, in the caller's transaction."""
    conn.exec_driver_sql(
        "INSERT INTO score_run_array (run_id, name, dtype, length, data) VALUES (?, ?, ?, ?, ?)",
        [(run_id, *row) for row in packed],
    )


def load_arrays(
    conn: Connection, run_id: int, names: Iterable[str]
) -> dict[str, np.ndarray] | None:
    """The named arrays of a run, or None when the run lacks any of them (an older run)."""
    wanted = list(names)
    marks = ", ".join("?" * len(wanted))
    rows = conn.exec_driver_sql(
        f"SELECT name, dtype, length, data FROM score_run_array "
        f"WHERE run_id = ? AND name IN ({marks})",
        (run_id, *wanted),
    ).all()
    if len(rows) != len(wanted):
        return None
    out = {}
    for name, dtype, length, data in rows:
        arr = np.frombuffer(zlib.decompress(data), dtype=np.dtype(dtype))
        if len(arr) != length:
            return None  # a damaged copy: the caller reads member_score instead
        out[str(name)] = arr.copy()  # writable, owned
    return out
