"""One score run read back for reporting: per-member arrays, segment economics, the short lists.

``load_run(ws, run_id)`` reads a persisted run (member_score) and the latest financial snapshot
the run saw into NumPy arrays aligned by member (ascending member id), so every figure a report
prints is computed over all members with NumPy, never a Python loop over members. Names and
e-mails are fetched only for the handful of members a report lists (``member_labels``); the
Excel workbook streams everyone with ``iter_member_rows``.

Used by the executive PDF, the scorecards, the workbook and the GUI dashboard alike, so they
agree to the member.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Connection

from scorecard.errors import ScorecardError
from scorecard.scoring.config import ScoringConfig
from scorecard.scoring.config_toml import from_toml
from scorecard.scoring.loading import gross_margin, load_financial
from scorecard.scoring.run_arrays import load_arrays
from scorecard.scoring.runs import latest_run_id
from scorecard.scoring.segments import AMBASSADORS, NOT_SURVEYED, SEGMENTS
from scorecard.store import as_utc
from scorecard.workspace import Workspace

FETCH = 50_000  # rows per fetchmany: bounded memory for the tuple stage


@dataclass(frozen=True)
class SegmentRow:
    """One line of the segment table: how many members and how much of the money."""

    name: str
    members: int
    member_share: float  # of all members, 0–1
    revenue: float
    revenue_share: float  # of the revenue of all members, 0–1 (0 when there is none)
    profit: float
    profit_share: float
    mean_social: float | None
    mean_financial: float | None


@dataclass(frozen=True)
class MemberLabel:
    """Who a member is, for the few members a report names."""

    member_id: int
    external_id: str | None
    name: str  # first and last name, else the e-mail, else "Member <id>"
    email: str | None
    city: str | None
    country: str | None
    join_date: str | None
    age_band: str | None


@dataclass(frozen=True)
class RunData:
    """A persisted run as arrays over all members, aligned by ``member_ids`` (ascending)."""

    run_id: int
    created_at: datetime
    config: ScoringConfig
    summary: dict[str, object]  # the run's summary: counts, validity, batches
    workspace: Path
    programme: str  # the programme name setting, else the workspace's file name
    currency: str
    margin: float  # gross margin used for profit
    member_ids: np.ndarray  # int64
    knowledge: np.ndarray  # float64, 0–100, NaN missing
    participation: np.ndarray
    reach: np.ndarray
    social: np.ndarray
    financial: np.ndarray
    network_value: np.ndarray
    stability: np.ndarray  # 0–1, NaN for members without S
    segment: np.ndarray  # int8 codes into SEGMENTS
    revenue: np.ndarray  # latest snapshot the run saw, NaN unknown
    profit: np.ndarray  # revenue × margin − cost to serve (cost unknown: none)
    orders: np.ndarray

    @property
    def n(self) -> int:
        return len(self.member_ids)

    @property
    def social_threshold(self) -> float:
        return float(self.config.segments.social_threshold)

    @property
    def financial_threshold(self) -> float:
        return float(self.config.segments.financial_threshold)

    @property
    def validity(self) -> dict[str, object]:
        return dict(self.summary.get("validity") or {})  # type: ignore[call-overload]

    def segment_counts(self) -> dict[str, int]:
        counts = np.bincount(self.segment.astype(np.intp), minlength=len(SEGMENTS))
        return {name: int(c) for name, c in zip(SEGMENTS, counts, strict=True)}

    def segment_table(self) -> list[SegmentRow]:
        """Members, revenue and profit per segment, with shares of the whole programme."""
        codes = self.segment.astype(np.intp)
        k = len(SEGMENTS)
        counts = np.bincount(codes, minlength=k)
        revenue = np.bincount(codes, weights=np.nan_to_num(self.revenue), minlength=k)
        profit = np.bincount(codes, weights=np.nan_to_num(self.profit), minlength=k)
        s_ok = ~np.isnan(self.social)
        f_ok = ~np.isnan(self.financial)
        s_sum = np.bincount(codes[s_ok], weights=self.social[s_ok], minlength=k)
        s_n = np.bincount(codes[s_ok], minlength=k)
        f_sum = np.bincount(codes[f_ok], weights=self.financial[f_ok], minlength=k)
        f_n = np.bincount(codes[f_ok], minlength=k)
        total_rev = float(revenue.sum())
        total_profit = float(profit.sum())
        n = max(self.n, 1)
        return [
            SegmentRow(
                name=name,
                members=int(counts[i]),
                member_share=float(counts[i]) / n,
                revenue=float(revenue[i]),
                revenue_share=float(revenue[i]) / total_rev if total_rev else 0.0,
                profit=float(profit[i]),
                profit_share=float(profit[i]) / total_profit if total_profit else 0.0,
                mean_social=float(s_sum[i] / s_n[i]) if s_n[i] else None,
                mean_financial=float(f_sum[i] / f_n[i]) if f_n[i] else None,
            )
            for i, name in enumerate(SEGMENTS)
        ]

    def rows_in(self, segment: str) -> np.ndarray:
        """Positions of the members of one segment (by name), in member order."""
        if segment not in SEGMENTS:
            raise ScorecardError(f"no segment {segment!r}; segments: {', '.join(SEGMENTS)}")
        return np.flatnonzero(self.segment == SEGMENTS.index(segment))

    def top_ambassadors(self, k: int = 25) -> np.ndarray:
        """Positions of the Ambassadors with the highest S (then F, then NV)."""
        rows = np.flatnonzero(self.segment == AMBASSADORS)
        order = np.lexsort((-np.nan_to_num(self.network_value[rows]),
                            -np.nan_to_num(self.financial[rows]),
                            -self.social[rows]))
        return rows[order[:k]]

    def not_surveyed_high_value(self, k: int = 25) -> np.ndarray:
        """Who to survey next: unsurveyed members with F at or over the threshold, highest first."""
        with np.errstate(invalid="ignore"):
            rows = np.flatnonzero((self.segment == NOT_SURVEYED)
                                  & (self.financial >= self.financial_threshold))
        order = np.argsort(-self.financial[rows], kind="stable")
        return rows[order[:k]]

    def not_surveyed_high_value_count(self) -> int:
        with np.errstate(invalid="ignore"):
            return int(((self.segment == NOT_SURVEYED)
                        & (self.financial >= self.financial_threshold)).sum())

    def quadrant_density(self, bins: int = 50) -> np.ndarray:
        """Counts of scored members on a ``bins`` × ``bins`` grid: [S bin, F bin], 0–100 each.

        Row 0 is the lowest S; members without S or F are left out.
        """
        ok = ~np.isnan(self.social) & ~np.isnan(self.financial)
        hist, _, _ = np.histogram2d(self.social[ok], self.financial[ok], bins=bins,
                                    range=[[0, 100], [0, 100]])
        return hist

    def distribution(self, values: np.ndarray, bins: int = 20) -> np.ndarray:
        """Histogram counts of a 0–100 score in ``bins`` equal bins (NaN left out)."""
        v = values[~np.isnan(values)]
        return np.histogram(v, bins=bins, range=(0, 100))[0]

    def rows_in_box(
        self, f_min: float, f_max: float, s_min: float, s_max: float
    ) -> np.ndarray:
        """Positions of the members with F in [f_min, f_max] and S in [s_min, s_max] (bounds
        included), in member order; members without S or F are never inside."""
        with np.errstate(invalid="ignore"):  # NaN compares False: outside every box
            inside = ((self.financial >= f_min) & (self.financial <= f_max)
                      & (self.social >= s_min) & (self.social <= s_max))
        return np.flatnonzero(inside)

    def rows_of(self, member_ids: Sequence[int]) -> np.ndarray:
        """Positions of the given member ids (ids not in the run are dropped)."""
        wanted = np.asarray(list(member_ids), dtype=np.int64)
        pos = np.searchsorted(self.member_ids, wanted)
        pos = np.minimum(pos, max(self.n - 1, 0))
        found = self.member_ids[pos] == wanted if self.n else np.zeros(len(wanted), bool)
        return pos[found]


def _run_row(conn: Connection, run_id: int) -> tuple[str, str, str | None, object]:
    row = conn.exec_driver_sql(
        "SELECT config_toml, batches_json, summary_json, created_at FROM score_run WHERE id = ?",
        (run_id,),
    ).first()
    if row is None:
        raise ScorecardError(f"there is no score run {run_id} (see: scorecard runs)")
    return tuple(row)  # type: ignore[return-value]


ARRAYS = ("member_id", "knowledge", "participation", "reach", "social", "financial",
          "network_value", "stability", "segment", "revenue", "cost_to_serve", "orders")


def load_run(ws: Workspace, run_id: int | None = None) -> RunData:
    """Read run ``run_id`` (default: the latest) with the latest finances it saw."""
    run_id = latest_run_id(ws) if run_id is None else int(run_id)
    settings = ws.settings()
    with ws.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")  # one read transaction: a consistent snapshot
        config_toml, batches_json, summary_json, created = _run_row(conn, run_id)
        config = from_toml(config_toml, source=f"run {run_id}")
        margin = (config.financial.gross_margin if config.financial.gross_margin is not None
                  else gross_margin(ws))
        arrays = load_arrays(conn, run_id, ARRAYS)
        if arrays is None:  # a run made before the arrays were kept: read the rows
            arrays = _arrays_from_rows(conn, run_id, margin, json.loads(batches_json))
    created_at = created if isinstance(created, datetime) else datetime.fromisoformat(str(created))
    revenue = arrays["revenue"]
    return RunData(
        run_id=run_id,
        created_at=as_utc(created_at),
        config=config,
        summary=json.loads(summary_json) if summary_json else {},
        workspace=ws.path,
        programme=settings.get("programme_name") or ws.path.stem,
        currency=settings.get("currency", ""),
        margin=float(margin),
        member_ids=arrays["member_id"].astype(np.int64),
        knowledge=arrays["knowledge"],
        participation=arrays["participation"],
        reach=arrays["reach"],
        social=arrays["social"],
        financial=arrays["financial"],
        network_value=arrays["network_value"],
        stability=arrays["stability"],
        segment=arrays["segment"].astype(np.int8),
        revenue=revenue,
        profit=revenue * margin - np.nan_to_num(arrays["cost_to_serve"], nan=0.0),
        orders=arrays["orders"],
    )


def _arrays_from_rows(
    conn: Connection, run_id: int, margin: float, batches: Sequence[int]
) -> dict[str, np.ndarray]:
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    cur = raw.cursor()
    try:
        cur.execute(
            "SELECT member_id, knowledge, participation, reach, social, financial, "
            "network_value, stability, CASE segment "
            + " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(SEGMENTS))
            + f" ELSE {NOT_SURVEYED} END FROM member_score WHERE run_id = ? ORDER BY member_id",
            (run_id,),
        )
        parts = []
        while rows := cur.fetchmany(FETCH):
            parts.append(np.array(rows, dtype=np.float64).reshape(len(rows), 9))
        table = np.concatenate(parts) if parts else np.zeros((0, 9))
        ids = table[:, 0].astype(np.int64)
        _, fin, _ = load_financial(cur, ids, margin, [int(b) for b in batches])
    finally:
        cur.close()
    names = ARRAYS[1:9]
    out = {name: table[:, i + 1].copy() for i, name in enumerate(names)}
    out["member_id"] = ids
    out["revenue"] = fin.revenue
    out["cost_to_serve"] = fin.cost_to_serve
    out["orders"] = fin.orders
    return out


_LABEL_SQL = (
    "SELECT id, external_id, first_name, last_name, email, city, country, join_date, age_band "
    "FROM member WHERE id IN ({marks})"
)


def _label(row: Sequence[object]) -> MemberLabel:
    member_id, external_id, first, last, email, city, country, joined, band = row
    name = " ".join(str(p) for p in (first, last) if p) or (str(email) if email else "")
    return MemberLabel(
        member_id=int(member_id),  # type: ignore[call-overload]
        external_id=None if external_id is None else str(external_id),
        name=name or f"Member {member_id}",
        email=None if email is None else str(email),
        city=None if city is None else str(city),
        country=None if country is None else str(country),
        join_date=None if joined is None else str(joined),
        age_band=None if band is None else str(band),
    )


def member_labels(ws: Workspace, member_ids: Sequence[int]) -> dict[int, MemberLabel]:
    """Identity of the given members, by member id (at most a few thousand at a time)."""
    ids = sorted({int(m) for m in member_ids})
    out: dict[int, MemberLabel] = {}
    with ws.read_cursor() as cur:
        for lo in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
            chunk = ids[lo:lo + 900]
            sql = _LABEL_SQL.format(marks=", ".join("?" * len(chunk)))
            for row in cur.execute(sql, chunk):
                label = _label(row)
                out[label.member_id] = label
    return out


MEMBER_ROW_COLUMNS = (
    "member_id", "external_id", "first_name", "last_name", "email", "city", "country",
    "age_band", "join_date",
)


def iter_member_rows(
    ws: Workspace, run_id: int, chunk: int = FETCH
) -> Iterator[list[tuple[object, ...]]]:
    """Every member of a run with their identity (``MEMBER_ROW_COLUMNS``), in member-id order.

    Yields lists of up to ``chunk`` rows, in the same order as ``RunData.member_ids``, so a
    writer can zip them with the run's arrays without holding a million names at once.
    """
    with ws.read_cursor() as cur:
        cur.execute(
            "SELECT m.id, m.external_id, m.first_name, m.last_name, m.email, m.city, "
            "m.country, m.age_band, m.join_date FROM member_score s "
            "JOIN member m ON m.id = s.member_id WHERE s.run_id = ? ORDER BY s.member_id",
            (run_id,),
        )
        while rows := cur.fetchmany(chunk):
            yield rows


@dataclass(frozen=True)
class BatchLine:
    batch_id: int
    kind: str
    file_name: str
    rows: int
    inserted: int
    updated: int
    rejected: int
    unmatched: int
    warnings: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class DataQuality:
    """What went into the run and what did not: imports, rejects, unmatched, flagged answers."""

    batches: tuple[BatchLine, ...]
    rejected_rows: int  # kept rows of the run's batches that were refused on import
    unmatched_responses: int  # current responses of no member
    responses: int  # current responses
    members_without_finances: int
    straightliners: int
    straightliners_excluded: int
    implausible_reach: int
    warnings: tuple[str, ...]  # for a person to read, most important first


def data_quality(ws: Workspace, run: RunData) -> DataQuality:
    """The data-quality figures of a run, from its batches and its summary."""
    batches = [int(b) for b in run.summary.get("batches", []) or []]  # type: ignore[union-attr]
    with ws.read_cursor() as cur:
        rows = cur.execute(
            "SELECT id, kind, file_name, rows, inserted, updated, rejected, unmatched, "
            "warnings_json, created_at FROM import_batch WHERE status = 'committed' "
            "ORDER BY id"
        ).fetchall()
        resp = cur.execute(
            "SELECT count(*), sum(member_id IS NULL) FROM response WHERE NOT superseded"
        ).fetchone()
    lines = []
    for r in rows:
        if batches and int(r[0]) not in batches and r[1] != "members":
            continue
        warns = tuple(str(w) for w in json.loads(r[8])) if r[8] else ()
        created = r[9] if isinstance(r[9], datetime) else datetime.fromisoformat(str(r[9]))
        lines.append(BatchLine(int(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]),
                               int(r[5]), int(r[6]), int(r[7]), warns, as_utc(created)))
    v = run.validity
    no_fin = int(np.isnan(run.revenue).sum())
    unmatched = int(resp[1] or 0)
    warnings: list[str] = []
    if v.get("age_warning"):
        warnings.append(str(v["age_warning"]))
    if unmatched:
        warnings.append(f"{unmatched:,} survey response(s) match no member: check the member "
                        "number or e-mail the survey asked for.")
    if no_fin:
        warnings.append(f"{no_fin:,} member(s) have no spend figures; they cannot be high F.")
    straight = int(v.get("straightliners", 0) or 0)  # type: ignore[call-overload]
    if straight:
        warnings.append(f"{straight:,} respondent(s) gave the same answer down a whole grid "
                        "(straight-lining).")
    implausible = int(v.get("implausible_reach", 0) or 0)  # type: ignore[call-overload]
    if implausible:
        warnings.append(f"{implausible:,} respondent(s) reported implausibly many contacts; "
                        "their reach was capped.")
    for line in lines:  # the importers' own warnings; unmapped columns are routine, not a risk
        warnings += [f"{line.file_name}: {w}" for w in line.warnings
                     if not w.startswith("Columns not imported")]
    return DataQuality(
        batches=tuple(lines),
        rejected_rows=sum(line.rejected for line in lines),
        unmatched_responses=unmatched,
        responses=int(resp[0] or 0),
        members_without_finances=no_fin,
        straightliners=straight,
        straightliners_excluded=int(v.get("straightliners_excluded", 0) or 0),  # type: ignore[call-overload]
        implausible_reach=implausible,
        warnings=tuple(warnings),
    )
