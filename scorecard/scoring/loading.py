"""Workspace → arrays: everything a score run reads, loaded set-based in one read transaction.

What is read (the survey importer's ``answer`` contract is in ``survey/answers.py``):

* members, ascending id; age from ``birth_year`` or the ``age_band`` text;
* per member the latest non-superseded response (optionally of one wave), and its answers as a
  matrix: the database computes each answer's cell (row × width + column) through two small
  temporary tables, Python only reads (cell, value) pairs in chunks and scatters them;
* the latest financial snapshot per member, with the tenure behind CLV;
* referrals between two known members; the latest engagement record per member;
* the workspace's gross margin.

Only ``_tick_value_sql`` knows how a ticked multi-select option is stored; it is the one place
to change if the importer stores ticks differently.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.scoring.config import NETWORKS_ITEM, ReachConfig, ScoringConfig, answer_columns
from scorecard.scoring.engine import EngagementInputs, ScoreInputs
from scorecard.scoring.financial import FinancialInputs
from scorecard.workspace import Workspace

CHUNK = 200_000  # rows per fetch
FEW_RESPONSES = 5_000  # up to this many, answers are read through the response index


def _tick_value_sql(alias: str = "a") -> str:
    """The value of a ticked option row (``c_networks:<code>``): 1 unless stated otherwise."""
    return f"coalesce({alias}.value, 1.0)"


def _band_key(label: str) -> str:
    return re.sub(r"\s+", "", label.replace("-", "–")).lower()


_BAND_KEY_SQL = "lower(replace(replace(trim({raw}), '-', '–'), ' ', ''))"


def _ints(cur: sqlite3.Cursor, sql: str, params: Sequence[object] = ()) -> np.ndarray:
    return np.fromiter(chain.from_iterable(cur.execute(sql, params)), dtype=np.int64)


def _floats(cur: sqlite3.Cursor, sql: str, params: Sequence[object], width: int) -> np.ndarray:
    """The query's rows as a float matrix (NULL → NaN), fetched in chunks."""
    cur.execute(sql, params)
    parts = []
    while rows := cur.fetchmany(CHUNK):
        parts.append(np.array(rows, dtype=np.float64).reshape(len(rows), width))
    return np.concatenate(parts) if parts else np.zeros((0, width))


def _positions(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``wanted`` ids in the sorted ``ids``, and which were found."""
    pos = np.searchsorted(ids, wanted)
    pos = np.minimum(pos, max(len(ids) - 1, 0))
    found = (ids[pos] == wanted) if len(ids) else np.zeros(len(wanted), dtype=bool)
    return pos, found


def batch_filter(column: str, batches: Iterable[int] | None) -> str:
    if batches is None:
        return "1"
    ids = ", ".join(str(int(b)) for b in sorted(set(batches))) or "NULL"
    return f"({column} IN ({ids}) OR {column} IS NULL)"


def age_from_band_text(texts: np.ndarray) -> np.ndarray:
    """Representative age of band texts like ``35–44``, ``35-44``, ``75+``, ``75 or older``."""
    uniq, inverse = np.unique(texts.astype(str), return_inverse=True)
    ages = np.full(len(uniq), np.nan)
    for i, text in enumerate(uniq.tolist()):  # distinct band texts, a handful
        nums = [float(x) for x in re.findall(r"\d+", text)]
        if len(nums) >= 2:
            ages[i] = (nums[0] + nums[1]) / 2
        elif len(nums) == 1:
            ages[i] = nums[0] + 5 if re.search(r"\+|older|over|more", text) else nums[0]
    return ages[inverse]


def gross_margin(ws: Workspace) -> float:
    """The workspace's gross margin setting as a share (``40%`` and ``0.4`` both read 0.4)."""
    text = ws.settings().get("gross_margin", "0.40").strip().replace(",", ".")
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise ScorecardError(f"setting gross_margin: {text!r} is not a number") from None
    if text.endswith("%") or value > 1:
        value /= 100.0
    if not 0 <= value <= 1:
        raise ScorecardError(f"setting gross_margin: {text!r} is not between 0 and 100%")
    return value


def load_inputs(
    ws: Workspace,
    config: ScoringConfig,
    *,
    wave_id: int | None = None,
    as_of: date | None = None,
) -> ScoreInputs:
    """Everything a run reads, as arrays (``wave_id``: only that wave's responses; ``as_of``:
    the date ages are counted to, default today)."""
    margin = gross_margin(ws)
    today = as_of or date.today()
    with ws.read_cursor() as cur:  # one read transaction: a consistent snapshot
        return _load(cur, config, margin, today, wave_id)


def _load(
    cur: sqlite3.Cursor,
    config: ScoringConfig,
    margin: float,
    today: date,
    wave_id: int | None,
) -> ScoreInputs:
    ids = _ints(cur, "SELECT id FROM member ORDER BY id")
    n = len(ids)
    birth = _floats(cur, "SELECT birth_year FROM member ORDER BY id", (), 1)[:, 0]
    band_text = np.fromiter(
        chain.from_iterable(cur.execute("SELECT coalesce(age_band, '') FROM member ORDER BY id")),
        dtype=object, count=n,
    )
    age = np.where(np.isnan(birth), age_from_band_text(band_text), today.year - birth)
    used_batches: set[int] = set()

    # -- responses: each member's latest that is not superseded --------------------------------
    wave = "AND wave_id = ?" if wave_id is not None else ""
    chosen = _floats(
        cur,
        "SELECT id, member_id, batch_id FROM (SELECT id, member_id, batch_id, row_number() "
        "OVER (PARTITION BY member_id ORDER BY submitted_at DESC, id DESC) AS rn "
        f"FROM response WHERE member_id IS NOT NULL AND superseded = 0 {wave}) "
        "WHERE rn = 1 ORDER BY member_id",
        () if wave_id is None else (wave_id,),
        3,
    )
    response_ids = chosen[:, 0].astype(np.int64)
    rows, found = _positions(ids, chosen[:, 1].astype(np.int64))
    response_ids, rows = response_ids[found], rows[found]
    used_batches.update(np.unique(chosen[found, 2][~np.isnan(chosen[found, 2])]).astype(int))

    columns = answer_columns(config)
    answers = read_answers(cur, response_ids, columns, config.reach)

    # -- latest financial snapshot per member --------------------------------------------------
    _, financial, fin_batches = load_financial(cur, ids, margin)
    used_batches.update(fin_batches)

    # -- referrals between two known members ---------------------------------------------------
    ref = _floats(
        cur,
        "SELECT referrer_id, referred_id, batch_id FROM referral WHERE referrer_id IS NOT NULL "
        "AND referred_id IS NOT NULL",
        (),
        3,
    )
    src, ok_src = _positions(ids, ref[:, 0].astype(np.int64))
    dst, ok_dst = _positions(ids, ref[:, 1].astype(np.int64))
    keep = ok_src & ok_dst
    used_batches.update(np.unique(ref[:, 2][~np.isnan(ref[:, 2])]).astype(int))

    # -- latest engagement record per member ---------------------------------------------------
    eng = _floats(
        cur,
        "SELECT member_id, forwards, clicks, opens, rating, batch_id FROM ("
        " SELECT member_id, forwards, clicks, opens, rating, batch_id, row_number() OVER ("
        "  PARTITION BY member_id ORDER BY as_of DESC, id DESC) AS rn FROM engagement"
        " WHERE member_id IS NOT NULL) WHERE rn = 1",
        (),
        6,
    )
    engagement = None
    if len(eng):
        pos, ok = _positions(ids, eng[:, 0].astype(np.int64))
        pos, eng = pos[ok], eng[ok]
        engagement = EngagementInputs(*(_spread(n, pos, eng[:, j]) for j in range(1, 5)))
        used_batches.update(np.unique(eng[:, 5][~np.isnan(eng[:, 5])]).astype(int))

    return ScoreInputs(
        member_ids=ids,
        respondent_rows=rows,
        response_ids=response_ids,
        columns=columns,
        answers=answers,
        financial=financial,
        referral_src=src[keep],
        referral_dst=dst[keep],
        engagement=engagement,
        age=age,
        batches=tuple(sorted(int(b) for b in used_batches)),
    )


def _spread(n: int, pos: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.full(n, np.nan)
    out[pos] = values
    return out


def load_financial(
    cur: sqlite3.Cursor,
    ids: np.ndarray,
    margin: float,
    batches: Sequence[int] | None = None,
    only: Sequence[int] | None = None,
) -> tuple[np.ndarray, FinancialInputs, set[int]]:
    """Latest snapshot per member of ``ids`` (ascending) as arrays aligned with ``ids``.

    ``only`` limits the query to those members (a receipt needs a handful, not a million).
    """
    who = ""
    if only is not None:
        who = " AND f.member_id IN (" + (", ".join(str(int(i)) for i in only) or "NULL") + ")"
    fin = _floats(
        cur,
        "SELECT member_id, revenue, orders, cost_to_serve, tenure_days, batch_id FROM ("
        " SELECT f.member_id, f.revenue, f.orders, f.cost_to_serve, f.batch_id,"
        "  julianday(f.as_of) - julianday(coalesce(f.first_order, m.join_date)) AS tenure_days,"
        "  row_number() OVER (PARTITION BY f.member_id ORDER BY f.as_of DESC, f.id DESC) AS rn"
        " FROM financial_snapshot f JOIN member m ON m.id = f.member_id"
        f" WHERE {batch_filter('f.batch_id', batches)}{who}) WHERE rn = 1",
        (),
        6,
    )
    pos, ok = _positions(ids, fin[:, 0].astype(np.int64))
    pos, fin = pos[ok], fin[ok]
    n = len(ids)
    financial = FinancialInputs(
        revenue=_spread(n, pos, fin[:, 1]),
        orders=_spread(n, pos, fin[:, 2]),
        cost_to_serve=_spread(n, pos, fin[:, 3]),
        tenure_years=_spread(n, pos, fin[:, 4] / 365.25),
        gross_margin=margin,
    )
    used = {int(b) for b in np.unique(fin[:, 5][~np.isnan(fin[:, 5])])}
    return ids, financial, used


def read_answers(
    cur: sqlite3.Cursor, response_ids: np.ndarray, columns: Sequence[str], reach: ReachConfig
) -> np.ndarray:
    """The answers matrix (float32, NaN not answered) of ``response_ids``, row by row."""
    m, width = len(response_ids), len(columns)
    matrix = np.full((m, width), np.nan, dtype=np.float32)
    if m == 0:
        return matrix
    try:
        cells = _answer_cells(cur, response_ids, columns, reach)
    finally:
        for table in _TEMP_TABLES:
            cur.execute(f"DROP TABLE IF EXISTS temp.{table}")
    flat = matrix.reshape(-1)
    flat[cells[:, 0].astype(np.int64)] = cells[:, 1]
    return matrix


_TEMP_TABLES = ("_score_resp", "_score_item", "_score_band")


def _answer_cells(
    cur: sqlite3.Cursor, response_ids: np.ndarray, columns: Sequence[str], reach: ReachConfig
) -> np.ndarray:
    """(cell, value) pairs: cell = row × width + column, computed by the database."""
    m, width = len(response_ids), len(columns)
    cur.execute("CREATE TEMP TABLE _score_resp (id INTEGER PRIMARY KEY, row INTEGER NOT NULL)")
    cur.executemany("INSERT INTO _score_resp VALUES (?, ?)",
                    zip(response_ids.tolist(), range(m), strict=True))
    cur.execute("CREATE TEMP TABLE _score_item (item_id TEXT PRIMARY KEY, col INTEGER NOT NULL,"
                " tick INTEGER NOT NULL, reach INTEGER NOT NULL)")
    cur.executemany(
        "INSERT INTO _score_item VALUES (?, ?, ?, ?)",
        [(c, j, int(c.startswith(NETWORKS_ITEM + ":")), int(c.startswith("r_")))
         for j, c in enumerate(columns)],
    )
    value = f"CASE WHEN i.tick THEN {_tick_value_sql()} ELSE a.value END"
    band_join = ""
    if dict(reach.bands) != dict(ReachConfig().bands):
        # Bands restated in the config: a band answer counts as the config says, a number as typed.
        cur.execute("CREATE TEMP TABLE _score_band (key TEXT PRIMARY KEY, value REAL)")
        cur.executemany("INSERT OR REPLACE INTO _score_band VALUES (?, ?)",
                        [(_band_key(label), v) for label, v in reach.bands])
        band_join = (" LEFT JOIN _score_band b ON i.reach AND b.key = "
                     + _BAND_KEY_SQL.format(raw="a.raw"))
        value = f"CASE WHEN b.key IS NOT NULL THEN b.value ELSE {value} END"
    # A few responses (a receipt): walk them through the answer index; many (a run): scan the
    # answer table once. SQLite has no statistics on the temp table, so the order is stated.
    drive = ("FROM _score_resp r CROSS JOIN answer a ON a.response_id = r.id"
             if m <= FEW_RESPONSES else
             "FROM answer a JOIN _score_resp r ON r.id = a.response_id")
    query = (
        f"SELECT r.row * {width} + i.col, {value} {drive}"
        f" JOIN _score_item i ON i.item_id = a.item_id{band_join}"
        " WHERE a.value IS NOT NULL OR i.tick" + (" OR b.key IS NOT NULL" if band_join else "")
    )
    # Never NULL here, so the flat stream of numbers goes straight into one array (no lists of
    # tuples in between: a quarter faster on millions of answers).
    flat = np.fromiter(chain.from_iterable(cur.execute(query)), dtype=np.float64)
    return flat.reshape(-1, 2)
