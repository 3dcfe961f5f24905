"""Score runs in a workspace: score and persist, list, compare (saved configs: ``configs``).

Every function takes a ``Workspace`` and returns plain dataclasses (``as_dict()`` for ``--json``,
``describe()`` for text), so the CLI and the GUI stay thin.

A run is persisted in one transaction: the ``score_run`` row (the config TOML exactly as used, the
import batches whose rows it read, the summary) and one ``member_score`` row per member, inserted
with the driver's ``executemany`` in chunks. ``receipt_json`` holds, for members who answered, the
response the run read (``{"response": 123}``): with the run's config and batches that is enough
to rebuild the full receipt on demand (``scorecard.scoring.explain``), so a million-member run
does not store a million receipts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat

import numpy as np
from sqlalchemy import Connection, insert, select

from scorecard import models
from scorecard.errors import Cancelled, ScorecardError
from scorecard.scoring.config import ScoringConfig
from scorecard.scoring.config_toml import to_toml, validate
from scorecard.scoring.configs import current_config
from scorecard.scoring.engine import ScoreResult, compute_scores
from scorecard.scoring.financial import FinancialInputs
from scorecard.scoring.loading import load_inputs
from scorecard.scoring.run_arrays import pack_arrays, save_arrays
from scorecard.scoring.segments import SEGMENTS
from scorecard.store import as_utc
from scorecard.workspace import Workspace

PERSIST_CHUNK = 100_000
MEMBER_SCORE_COLUMNS = (
    "run_id", "member_id", "knowledge", "participation", "reach", "social", "financial",
    "network_value", "segment", "stability", "receipt_json",
)


# -- a run ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    """What ``scorecard score`` prints: the run, its counts per segment, its validity figures."""

    run_id: int
    created_at: datetime
    config_name: str
    config_id: int | None
    members_scored: int  # member_score rows: every member, "Not surveyed" included
    surveyed: int  # members whose response the run read
    with_social_score: int
    segments: dict[str, int]
    validity: dict[str, object]
    batches: tuple[int, ...]
    wave_id: int | None = None
    seconds: float = 0.0
    result: ScoreResult | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "created_at": self.created_at.isoformat(),
            "config": self.config_name,
            "config_id": self.config_id,
            "members_scored": self.members_scored,
            "surveyed": self.surveyed,
            "with_social_score": self.with_social_score,
            "segments": dict(self.segments),
            "validity": self.validity,
            "batches": list(self.batches),
            "wave_id": self.wave_id,
            "seconds": round(self.seconds, 2),
        }

    def describe(self) -> str:
        lines = [
            f"Score run {self.run_id} ({self.config_name}): {self.members_scored:,} members, "
            f"{self.surveyed:,} surveyed, {self.with_social_score:,} with a social score",
        ]
        lines += [f"  {name:<13} {count:>10,}" for name, count in self.segments.items()]
        v = self.validity
        for signal, row in dict(v.get("correlations") or {}).items():  # type: ignore[call-overload]
            rho = row.get("social")
            lines.append(f"S vs observed {signal}: Spearman "
                         + ("n/a" if rho is None else f"{rho:+.2f}"))
        alpha = v.get("cronbach_alpha_knowledge")
        lines.append("Cronbach's alpha, knowledge items: " + ("n/a" if alpha is None
                                                              else f"{alpha:.2f}"))
        lines.append(f"Straight-liners: {v.get('straightliners', 0)} "
                     f"(excluded: {v.get('straightliners_excluded', 0)}); "
                     f"implausible reach: {v.get('implausible_reach', 0)}")
        if v.get("age_warning"):
            lines.append(f"Warning: {v['age_warning']}")
        return "\n".join(lines)


SCORES = ("knowledge", "participation", "reach", "social", "financial", "network_value")


def stored_scores(result: ScoreResult) -> dict[str, np.ndarray]:
    """A result's scores as a run stores them, in ``member_score`` and in its arrays alike:
    two decimals (stability three), so both copies of a run hold the same numbers."""
    out = {name: np.round(getattr(result, name), 2) for name in (*SCORES, "engagement")}
    out["stability"] = np.round(result.stability, 3)
    return out


def member_score_columns(
    run_id: int, result: ScoreResult, scores: dict[str, np.ndarray] | None = None,
    rows: slice = slice(None),
) -> list[Sequence[object]]:
    """The member_score values of a result's ``rows``, column by column in MEMBER_SCORE_COLUMNS
    order (``scores``: its ``stored_scores``, when the caller has them already).

    Missing scores stay NaN: SQLite stores a bound NaN as NULL (``sqlite3_bind_double``), so no
    per-value conversion is needed on the bulk path (a server database would need ``None``).
    """
    scores = stored_scores(result) if scores is None else scores
    ids = result.member_ids[rows]
    receipts: list[str | None] = [None] * len(ids)
    first = rows.indices(len(result.member_ids))[0]
    respondents = result.respondent_rows
    picked = (respondents >= first) & (respondents < first + len(ids))
    for row, response in zip((respondents[picked] - first).tolist(),
                             result.response_ids[picked].tolist(),
                             strict=True):  # respondents only: the anchor of their receipt
        receipts[row] = f'{{"response":{response}}}'
    return [
        repeat(run_id, len(ids)),
        ids.tolist(),
        *(scores[name][rows].tolist() for name in SCORES),
        np.asarray(SEGMENTS, dtype=object)[result.segment[rows]].tolist(),
        scores["stability"][rows].tolist(),
        receipts,
    ]


def member_score_rows(run_id: int, result: ScoreResult) -> list[tuple[object, ...]]:
    """The member_score rows of a result as tuples (what ``executemany`` takes)."""
    return list(zip(*member_score_columns(run_id, result), strict=False))


def run_arrays(
    result: ScoreResult, financial: FinancialInputs, scores: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The run's per-member arrays for ``run_arrays.pack_arrays``: its ``stored_scores`` with
    the finances and network figures the run saw."""
    net = result.network
    return {
        "member_id": result.member_ids.astype(np.int64),
        **scores,
        "segment": result.segment.astype(np.int8),
        "revenue": financial.revenue,
        "cost_to_serve": financial.cost_to_serve,
        "orders": financial.orders,
        "referrals": net.referrals.astype(np.int32),
        "pagerank": net.pagerank,
    }


def persist(
    conn: Connection, run_id: int, result: ScoreResult,
    scores: dict[str, np.ndarray] | None = None,
) -> int:
    """Bulk-insert the member_score rows of ``result``; return the count."""
    scores = stored_scores(result) if scores is None else scores
    n = len(result.member_ids)
    # The run id is a literal rather than a parameter bound a million times; rows go in slices
    # so that only one slice's values exist as Python objects at a time.
    sql = (f"INSERT INTO member_score ({', '.join(MEMBER_SCORE_COLUMNS)}) "
           f"VALUES ({int(run_id)}, {', '.join('?' * (len(MEMBER_SCORE_COLUMNS) - 1))})")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for lo in range(0, n, PERSIST_CHUNK):
            columns = member_score_columns(run_id, result, scores, slice(lo, lo + PERSIST_CHUNK))
            cursor.executemany(sql, zip(*columns[1:], strict=True))
    finally:
        cursor.close()
    return n


def save_run(
    conn: Connection, run_id: int, result: ScoreResult, financial: FinancialInputs
) -> int:
    """Everything a run keeps per member: its member_score rows and its arrays; the count."""
    scores = stored_scores(result)
    with ThreadPoolExecutor(1, thread_name_prefix="pack-run") as pool:
        # The arrays compress on the other core while SQLite inserts the rows.
        packed = pool.submit(pack_arrays, run_arrays(result, financial, scores))
        count = persist(conn, run_id, result, scores)
        save_arrays(conn, run_id, packed.result())
    return count


def score(
    ws: Workspace,
    config: ScoringConfig | None = None,
    *,
    config_id: int | None = None,
    wave_id: int | None = None,
    progress: Callable[[str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> RunSummary:
    """Score every member and persist the run; ``config`` None uses the current saved config."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    if config is None:
        config, config_id = current_config(ws, config_id)
    validate(config)
    say("Reading members, answers, finances and referrals …")
    inputs = load_inputs(ws, config, wave_id=wave_id)
    if cancel and cancel():
        raise Cancelled("scoring cancelled; nothing was written")
    say(f"Scoring {inputs.n:,} members ({len(inputs.response_ids):,} surveyed) …")
    # Receipts are rebuilt on demand (explain), so the run does not hold them for everyone.
    result = compute_scores(inputs, config, receipts=False)
    if cancel and cancel():
        raise Cancelled("scoring cancelled; nothing was written")
    now = datetime.now(UTC)
    segments = result.segment_counts()
    with_social = int((~np.isnan(result.social)).sum())
    say("Saving the run …")
    with ws.transaction() as conn:
        run_id = conn.execute(
            insert(models.ScoreRun.__table__).values(
                config_id=config_id,
                config_toml=to_toml(config),
                batches_json=json.dumps(list(inputs.batches)),
                members_scored=inputs.n,
                created_at=now,
            )
        ).inserted_primary_key[0]
        save_run(conn, int(run_id), result, inputs.financial)
        summary = RunSummary(
            run_id=int(run_id),
            created_at=now,
            config_name=config.name,
            config_id=config_id,
            members_scored=inputs.n,
            surveyed=len(inputs.response_ids),
            with_social_score=with_social,
            segments=segments,
            validity=result.validity,
            batches=inputs.batches,
            wave_id=wave_id,
            seconds=time.perf_counter() - started,
            result=result,
        )
        t = models.ScoreRun.__table__
        conn.execute(t.update().where(t.c.id == run_id)
                     .values(summary_json=json.dumps(summary.as_dict())))
    return summary


# -- listing and comparing runs -------------------------------------------------------------------


@dataclass(frozen=True)
class RunInfo:
    id: int
    created_at: datetime
    config_name: str
    members_scored: int
    segments: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "created_at": self.created_at.isoformat(),
                "config": self.config_name, "members_scored": self.members_scored,
                "segments": dict(self.segments)}


def list_runs(ws: Workspace) -> list[RunInfo]:
    t = models.ScoreRun.__table__
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.id, t.c.created_at, t.c.members_scored, t.c.summary_json).order_by(t.c.id)
        ).all()
    out = []
    for run_id, created, members, summary in rows:
        doc = json.loads(summary) if summary else {}
        out.append(RunInfo(int(run_id), as_utc(created), str(doc.get("config", "")),
                           int(members), dict(doc.get("segments", {}))))
    return out


def latest_run_id(ws: Workspace) -> int:
    with ws.engine.connect() as conn:
        run_id = conn.exec_driver_sql("SELECT max(id) FROM score_run").scalar_one()
    if run_id is None:
        raise ScorecardError("this workspace has no score runs yet (run: scorecard score)")
    return int(run_id)


def check_run(conn: Connection, run_id: int) -> None:
    found = conn.exec_driver_sql("SELECT 1 FROM score_run WHERE id = ?", (run_id,)).first()
    if found is None:
        raise ScorecardError(f"there is no score run {run_id} (see: scorecard runs)")


@dataclass(frozen=True)
class Move:
    member_id: int
    external_id: str | None
    email: str | None
    segment_a: str | None  # None: not in run A
    segment_b: str | None
    social_a: float | None
    social_b: float | None


@dataclass(frozen=True)
class RunComparison:
    run_a: int
    run_b: int
    transitions: dict[str, dict[str, int]]  # from segment → to segment → members
    moved: int
    unchanged: int
    moves: list[Move]  # the members who moved (up to the limit asked for)

    def as_dict(self) -> dict[str, object]:
        return {"run_a": self.run_a, "run_b": self.run_b, "moved": self.moved,
                "unchanged": self.unchanged, "transitions": self.transitions,
                "moves": [m.__dict__ for m in self.moves]}

    def describe(self) -> str:
        lines = [f"Run {self.run_a} → run {self.run_b}: {self.moved:,} members moved, "
                 f"{self.unchanged:,} kept their segment"]
        for src, row in self.transitions.items():
            for dst, count in row.items():
                if src != dst:
                    lines.append(f"  {src} → {dst}: {count:,}")
        return "\n".join(lines)


_NONE = "(not in run)"


def compare_runs(ws: Workspace, run_a: int, run_b: int, limit: int | None = 1000) -> RunComparison:
    """Who moved between segments from run A to run B (members in only one run included)."""
    # A full outer join, spelled for SQLite before 3.39 (older Pythons bundle those).
    both = (
        "SELECT a.member_id AS member_id, a.segment AS seg_a, b.segment AS seg_b, "
        "a.social AS s_a, b.social AS s_b FROM member_score a LEFT JOIN member_score b "
        "ON b.run_id = :b AND b.member_id = a.member_id WHERE a.run_id = :a "
        "UNION ALL SELECT b.member_id, NULL, b.segment, NULL, b.social FROM member_score b "
        "WHERE b.run_id = :b AND NOT EXISTS (SELECT 1 FROM member_score a "
        "WHERE a.run_id = :a AND a.member_id = b.member_id)"
    )
    params = {"a": run_a, "b": run_b}
    with ws.engine.connect() as conn:
        check_run(conn, run_a)
        check_run(conn, run_b)
        counts = conn.exec_driver_sql(
            f"SELECT seg_a, seg_b, count(*) FROM ({both}) GROUP BY 1, 2 ORDER BY 1, 2", params
        ).all()
        lim = "" if limit is None else f" LIMIT {int(limit)}"
        moves = conn.exec_driver_sql(
            f"SELECT j.member_id, m.external_id, m.email, j.seg_a, j.seg_b, j.s_a, j.s_b "
            f"FROM ({both}) j LEFT JOIN member m ON m.id = j.member_id "
            f"WHERE j.seg_a IS NOT j.seg_b ORDER BY j.member_id{lim}",
            params,
        ).all()
    transitions: dict[str, dict[str, int]] = {}
    moved = unchanged = 0
    for seg_a, seg_b, count in counts:
        transitions.setdefault(seg_a or _NONE, {})[seg_b or _NONE] = int(count)
        if seg_a == seg_b:
            unchanged += int(count)
        else:
            moved += int(count)
    return RunComparison(run_a, run_b, transitions, moved, unchanged,
                         [Move(int(r[0]), *r[1:]) for r in moves])
