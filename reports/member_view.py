"""The Members view without Qt: which members match, in which order, and their row values.

Shared by the desktop table (``app.gui.members_model``) and the export of the current view
(``reports.view_export``). The order is computed once per sort or filter as one array of member
ids; rows are then read a page at a time by id. At a million members:

* identity columns (id, name, e-mail, city) are read in order from their indexes;
* spend and orders from the partial indexes over each member's latest financial snapshot
  (``financial_snapshot.superseded = 0``, migration 0005);
* score columns from the run's stored arrays (``score_run_array``), ordered with NumPy over all
  members at once: one index per score column and run would cost every scoring run seconds.
  Runs without arrays (older than migration 0004) are ordered in SQL.

A search or a segment selects members in one sequential pass; the view is the full order kept
where it is selected (see ``ordered_ids``). Blanks sort last in both directions; ties and
blanks keep member order (in the direction).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection

from scorecard.scoring.run_arrays import load_arrays
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

NOT_SCORED = "Not scored"
PAGE = 500


@dataclass(frozen=True)
class Column:
    header: str
    select: str  # SQL of the shown value
    source: str  # member | finance | score: where the sort keys live
    keys: tuple[str, ...]  # sort keys; the first one being NULL makes a blank
    number: bool = False
    tip: str | None = None


COLUMNS: tuple[Column, ...] = (
    Column("ID", "COALESCE(m.external_id, CAST(m.id AS TEXT))", "member", ("m.external_id",)),
    Column("Name", "TRIM(COALESCE(m.first_name, '') || ' ' || COALESCE(m.last_name, ''))",
           "member", ("m.last_name COLLATE NOCASE", "m.first_name COLLATE NOCASE")),
    Column("Email", "m.email", "member", ("m.email",)),
    Column("City", "m.city", "member", ("m.city COLLATE NOCASE",)),
    Column("Spend", "f.revenue", "finance", ("f.revenue",), True,
           "Revenue in the member's latest financial snapshot"),
    Column("Orders", "f.orders", "finance", ("f.orders",), True),
    Column("K", "ms.knowledge", "score", ("ms.knowledge",), True,
           "Knowledge and involvement, 0–100"),
    Column("P", "ms.participation", "score", ("ms.participation",), True,
           "Participation and connection value, 0–100"),
    Column("R", "ms.reach", "score", ("ms.reach",), True, "Reach, 0–100"),
    Column("S", "ms.social", "score", ("ms.social",), True,
           "Social score: weighted mean of K, P, R"),
    Column("F", "ms.financial", "score", ("ms.financial",), True,
           "Financial value: percentile rank, 0–100"),
    Column("NV", "ms.network_value", "score", ("ms.network_value",), True,
           "Network value observed from referrals"),
    Column("Segment", "ms.segment", "score", ("ms.segment",)),
)
HEADERS = [c.header for c in COLUMNS]
_SCORE_JOIN = "LEFT JOIN member_score ms ON ms.member_id = m.id AND ms.run_id = :run"
_LATEST = "LEFT JOIN financial_snapshot f ON f.member_id = m.id AND f.superseded = 0"


@dataclass(frozen=True)
class ViewSpec:
    """What the user asked to see: a search text, a segment, a sort column and direction."""

    search: str = ""
    segment: str | None = None  # a segment name, NOT_SCORED, or None for all
    sort_column: int = -1  # -1: member order
    descending: bool = False


def latest_run(conn: Connection) -> int | None:
    return conn.exec_driver_sql("SELECT MAX(id) FROM score_run").scalar()


def segments(ws: Workspace, run_id: int | None) -> list[str]:
    """The segments the run put members in, by name."""
    if run_id is None:
        return []
    with ws.engine.connect() as conn:
        summary = conn.exec_driver_sql(
            "SELECT summary_json FROM score_run WHERE id = ?", (run_id,)).scalar()
        counts = json.loads(summary).get("segments") if summary else None
        if isinstance(counts, dict):  # the run's own counts: no pass over a million rows
            return sorted(name for name, count in counts.items() if count)
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT segment FROM member_score WHERE run_id = ? ORDER BY 1", (run_id,)
        ).all()
    return [r[0] for r in rows]


class ViewCache:
    """The last full order and the last selection, so that changing only the search keeps
    the order and changing only the sort keeps the selection. ``clear()`` after the data
    changed (an import, an undo, a new run)."""

    def __init__(self) -> None:
        self.order: tuple[tuple[int, bool, int | None], np.ndarray] | None = None
        self.selected: tuple[tuple[str, str | None, int | None], np.ndarray | None] | None = None

    def clear(self) -> None:
        self.order = self.selected = None


def ordered_ids(conn: Connection, spec: ViewSpec, run_id: int | None,
                cache: ViewCache | None = None) -> np.ndarray:
    """The ids of the members in view, in view order (int64).

    Two passes, each cheap at a million members: the order of *all* members for the sort
    column (from an index or the run's arrays), and the set the search and segment select (a
    sequential scan, in id order). The view keeps the first in its order where it is in the
    second. Walking an index in order with the filter applied row by row would look each
    member up at random instead: ten seconds at a million.
    """
    cache = cache or ViewCache()
    wanted = (spec.search.strip(), spec.segment, run_id)
    if cache.selected is None or cache.selected[0] != wanted:
        cache.selected = (wanted, _selected_ids(conn, spec, run_id))
    selected = cache.selected[1]
    if spec.sort_column < 0:
        ids = selected if selected is not None else _ids(conn, "SELECT id FROM member ORDER BY id")
        return ids[::-1].copy() if spec.descending else ids
    key = (spec.sort_column, spec.descending, run_id)
    if cache.order is None or cache.order[0] != key:
        cache.order = (key, full_order(conn, COLUMNS[spec.sort_column], spec.descending, run_id))
    order = cache.order[1]
    return order if selected is None else _keep(order, selected)


def _keep(order: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """``order`` where its ids are in ``selected`` (ascending), in ``order``'s order."""
    if len(order) == 0 or len(selected) == 0:
        return selected[:0]
    top = int(max(order.max(), selected[-1]))
    if top <= 16 * len(order) + 1_000_000:  # ids are dense: a mask is one cache-friendly pass
        mask = np.zeros(top + 1, dtype=bool)
        mask[selected] = True
        return order[mask[order]]
    at = np.minimum(np.searchsorted(selected, order), len(selected) - 1)
    return order[selected[at] == order]


def full_order(conn: Connection, column: Column, desc: bool, run_id: int | None) -> np.ndarray:
    """Every member's id, ordered by ``column``: values first, then blanks in member order."""
    first = column.keys[0].split(" COLLATE")[0]
    way = " DESC" if desc else ""
    if column.source == "member":
        keys = ", ".join(k + way for k in column.keys)
        return np.concatenate([
            _ids(conn, f"SELECT id FROM member m WHERE {first} IS NOT NULL "
                       f"ORDER BY {keys}, m.id{way}"),
            _ids(conn, f"SELECT id FROM member m WHERE {first} IS NULL ORDER BY m.id{way}"),
        ])
    if column.source == "finance":
        # The tie-break is the snapshot's member_id, not m.id: the partial index over the
        # latest snapshots then gives the whole order, with no sort step.
        latest = "SELECT member_id AS id FROM financial_snapshot f WHERE f.superseded = 0 AND"
        parts = [_ids(conn, f"{latest} {first} IS NOT NULL ORDER BY {first}{way}, id{way}"),
                 _ids(conn, f"{latest} {first} IS NULL ORDER BY id{way}")]
        members = conn.exec_driver_sql("SELECT count(*) FROM member").scalar_one()
        with_latest = conn.exec_driver_sql(
            "SELECT count(*) FROM financial_snapshot WHERE superseded = 0").scalar_one()
        if with_latest < members:  # members without any snapshot are blanks too
            parts.append(_ids(conn, "SELECT id FROM member m WHERE NOT EXISTS (SELECT 1 FROM "
                                    "financial_snapshot f WHERE f.member_id = m.id AND "
                                    f"f.superseded = 0) ORDER BY id{way}"))
        return np.concatenate(parts)
    if run_id is None:  # nobody is scored yet: all blank, in member order
        return _ids(conn, f"SELECT id FROM member ORDER BY id{way}")
    name = first.split(".")[1]
    arrays = load_arrays(conn, run_id, ["member_id", name])
    if arrays is not None:
        return _order_by_arrays(_ids(conn, "SELECT id FROM member ORDER BY id"),
                                arrays["member_id"], arrays[name], name, desc)
    # A run older than its stored arrays: SQL sorts (seconds at a million members).
    keys = ", ".join(k + way for k in column.keys)
    return _ids(conn, f"SELECT m.id FROM member m {_SCORE_JOIN} "
                      f"ORDER BY {first} IS NULL, {keys}, m.id{way}", {"run": run_id})


def fetch_rows(conn: Connection, ids: Sequence[int] | np.ndarray,
               run_id: int | None) -> list[tuple[object, ...]]:
    """The shown values of members ``ids`` (a page), in the order given."""
    if len(ids) == 0:
        return []
    select = ", ".join(c.select for c in COLUMNS)
    rows = conn.exec_driver_sql(
        f"SELECT m.id, {select} FROM member m {_SCORE_JOIN} {_LATEST} "
        f"WHERE m.id IN ({','.join(str(int(i)) for i in ids)})",
        {"run": run_id if run_id is not None else -1},
    )
    found = {r[0]: tuple(r[1:]) for r in rows}
    blank = (None,) * len(COLUMNS)
    return [found.get(int(i), blank) for i in ids]


def iter_rows(ws: Workspace, ids: np.ndarray, run_id: int | None,
              page: int = PAGE) -> Iterator[list[tuple[object, ...]]]:
    """The rows of ``ids`` a page at a time, each page read in its own short query."""
    for start in range(0, len(ids), page):
        with ws.engine.connect() as conn:
            yield fetch_rows(conn, ids[start:start + page], run_id)


# -- selecting and ordering ----------------------------------------------------------------


def _selected_ids(conn: Connection, spec: ViewSpec, run_id: int | None) -> np.ndarray | None:
    """The ids the search and segment let through, ascending; None when nothing is filtered."""
    search = spec.search.strip()
    if not search and not spec.segment:
        return None
    where: list[str] = []
    params: dict[str, object] = {"run": run_id if run_id is not None else -1}
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["q"], params["exact"] = f"%{escaped}%", search
        where.append(
            "(m.email LIKE :q ESCAPE '\\' OR m.first_name LIKE :q ESCAPE '\\' "
            "OR m.last_name LIKE :q ESCAPE '\\' OR m.external_id LIKE :q ESCAPE '\\' "
            "OR (COALESCE(m.first_name, '') || ' ' || COALESCE(m.last_name, '')) "
            "LIKE :q ESCAPE '\\' OR CAST(m.id AS TEXT) = :exact)"
        )
    join = ""
    if spec.segment == NOT_SCORED:
        join = _SCORE_JOIN
        where.append("ms.member_id IS NULL")
    elif spec.segment:
        params["seg"] = spec.segment
        if not search:  # the run's rows are already in member order: no join, no sort
            return _ids(conn, "SELECT member_id AS id FROM member_score WHERE run_id = :run "
                              "AND segment = :seg ORDER BY member_id", params)
        join = _SCORE_JOIN
        where.append("ms.segment = :seg")
    return _ids(conn, f"SELECT m.id AS id FROM member m {join} WHERE {' AND '.join(where)} "
                      "ORDER BY m.id", params)


def _ids(conn: Connection, sql: str, params: dict[str, object] | None = None) -> np.ndarray:
    """Run an ordered ``SELECT … AS id`` and return the ids as an array.

    The ids come back as one text (``group_concat``) parsed by NumPy: a million rows through
    Python tuples cost 0.4 s, the text 0.1 s. SQLite keeps the subquery's order here: a
    subquery with ORDER BY under an aggregate is never flattened (its rule 16), so it is run
    as written and fed to the aggregate row by row; the tests check the order.
    """
    text = conn.exec_driver_sql(f"SELECT group_concat(id) FROM ({sql})", params or {}).scalar()
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.empty(0, np.int64)


def _order_by_arrays(ids: np.ndarray, run_ids: np.ndarray, values: np.ndarray, name: str,
                     desc: bool) -> np.ndarray:
    """Members ``ids`` (ascending) ordered by the run's array of one score (NumPy, no SQL)."""
    run_ids = run_ids.astype(np.int64)
    if name == "segment":  # codes → rank of the name, so segments sort by name
        rank = np.argsort(np.argsort(np.asarray(SEGMENTS))).astype(np.float64)
        values = rank[values.astype(np.int64)]
    values = values.astype(np.float64)
    if len(run_ids) > 1 and not np.all(run_ids[1:] > run_ids[:-1]):
        by_id = np.argsort(run_ids, kind="stable")
        run_ids, values = run_ids[by_id], values[by_id]
    pos = np.searchsorted(run_ids, ids)
    found = pos < len(run_ids)
    found[found] = run_ids[pos[found]] == ids[found]
    key = np.full(len(ids), np.nan)
    key[found] = values[pos[found]]
    # A stable sort of the key over ids in the asked direction: ties keep member order, and
    # NaN (blank, or not in the run) sorts last either way.
    if desc:
        ids, key = ids[::-1], -key[::-1]
    return ids[np.argsort(key, kind="stable")]
