"""A member's receipt for a past run, rebuilt on demand: each item's points, F and NV inputs.

The run stored the config TOML it used, the import batches it read, and per surveyed member the
response it read. The receipt recomputes that member's components from that response's answers
with that config (the same pure ``compute_social``), reads the financial snapshot and referrals
from those batches, and checks the result against the stored scores: ``matches_run`` is False
(with a note) when the data changed since, e.g. a batch was undone.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from scorecard.errors import ScorecardError
from scorecard.scoring.components import compute_social
from scorecard.scoring.config import ScoringConfig, answer_columns
from scorecard.scoring.config_toml import from_toml
from scorecard.scoring.financial import measure_value
from scorecard.scoring.loading import batch_filter, gross_margin, load_financial, read_answers
from scorecard.workspace import Workspace

TOLERANCE = 0.01  # stored scores are rounded to 2 decimals


@dataclass(frozen=True)
class ReceiptLine:
    item_id: str
    component: str
    answer: float  # on the item's own scale
    component_points: float  # what the item adds to its component (0–100)
    points: float  # what it adds to S


@dataclass(frozen=True)
class Explanation:
    run_id: int
    member_id: int
    segment: str
    stability: float | None
    scores: dict[str, float | None]  # as stored in the run
    lines: tuple[ReceiptLine, ...]
    recomputed_social: float | None
    matches_run: bool
    financial: dict[str, float | None]
    network: dict[str, object]
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id, "member_id": self.member_id, "segment": self.segment,
            "stability": self.stability, "scores": self.scores,
            "lines": [line.__dict__ for line in self.lines],
            "recomputed_social": self.recomputed_social, "matches_run": self.matches_run,
            "financial": self.financial, "network": self.network, "notes": list(self.notes),
        }

    def describe(self) -> str:
        s = self.scores
        head = [f"Member {self.member_id}, run {self.run_id}: {self.segment}"]
        head.append("  " + ", ".join(
            f"{k} {'—' if v is None else f'{v:.1f}'}" for k, v in s.items()))
        for line in self.lines:
            head.append(f"  {line.item_id:<22} answer {line.answer:>7g}  "
                        f"{line.points:+6.1f} points")
        if self.lines:
            head.append(f"  {'total':<22} {'':>14}{sum(x.points for x in self.lines):+6.1f}")
        head += [f"  note: {n}" for n in self.notes]
        return "\n".join(head)


def _num(x: object) -> float | None:
    if x is None:
        return None
    value = float(x)  # type: ignore[arg-type]
    return None if math.isnan(value) else round(value, 2)


def _run(cur: sqlite3.Cursor, run_id: int) -> tuple[ScoringConfig, list[int]]:
    row = cur.execute("SELECT config_toml, batches_json FROM score_run WHERE id = ?",
                      (run_id,)).fetchone()
    if row is None:
        raise ScorecardError(f"there is no score run {run_id} (see: scorecard runs)")
    return from_toml(row[0], source=f"run {run_id}"), [int(b) for b in json.loads(row[1])]


def explain(ws: Workspace, run_id: int, member_id: int) -> Explanation:
    """The receipt of one member in one run."""
    return explain_many(ws, run_id, [member_id])[0]


def explain_many(ws: Workspace, run_id: int, member_ids: Sequence[int]) -> list[Explanation]:
    """Receipts for several members at once (one query per kind of data, not per member)."""
    wanted = sorted({int(m) for m in member_ids})
    margin = gross_margin(ws)
    with ws.read_cursor() as cur:
        config, batches = _run(cur, run_id)
        marks = ", ".join("?" * len(wanted))
        stored = {
            int(r[0]): r[1:]
            for r in cur.execute(
                "SELECT member_id, knowledge, participation, reach, social, financial, "
                "network_value, segment, stability, receipt_json FROM member_score "
                f"WHERE run_id = ? AND member_id IN ({marks})", (run_id, *wanted))
        }
        missing = [m for m in wanted if m not in stored]
        if missing:
            raise ScorecardError(f"member {missing[0]} is not in score run {run_id}")
        responses = np.array(
            [json.loads(stored[m][8]).get("response", -1) if stored[m][8] else -1
             for m in wanted], dtype=np.int64)
        columns = answer_columns(config)
        answers = np.full((len(wanted), len(columns)), np.nan, dtype=np.float32)
        surveyed = responses >= 0
        answers[surveyed] = read_answers(cur, responses[surveyed], columns, config.reach)
        ids = np.array(wanted, dtype=np.int64)
        _, fin, _ = load_financial(cur, ids, margin, batches, only=wanted)
        network = [_network(cur, m, config, margin, batches) for m in wanted]
    social = compute_social(answers, columns, config)
    money = measure_value(fin, config.financial)
    out = []
    for i, member in enumerate(wanted):  # the members asked about, a handful
        k, p, r, s, f, nv, segment, stab, _receipt = stored[member]
        lines = []
        if social.points is not None and not math.isnan(social.social[i]):
            col = {c: j for j, c in enumerate(columns)}
            comp_index = {"knowledge": 0, "participation": 1, "reach": 2}
            for item, comp, pts in zip(social.receipt_items, social.receipt_component,
                                       social.points[i].tolist(), strict=True):
                answer = float(answers[i, col[item]])
                if math.isnan(answer):
                    continue
                factor = float(social.factor[i, comp_index[comp]])
                lines.append(ReceiptLine(item, comp, answer,
                                         round(pts / factor, 3) if factor else 0.0,
                                         round(pts, 3)))
        recomputed = _num(social.social[i])
        matches = (recomputed is None and s is None) or (
            recomputed is not None and s is not None and abs(recomputed - s) <= TOLERANCE)
        notes = []
        if responses[i] < 0:
            notes.append("not surveyed: no response of this member was read by the run")
        elif recomputed is None:
            notes.append("answers too incomplete for a social score (or a straight-liner "
                         "left out)")
        for name, value in (("knowledge", social.knowledge[i]),
                            ("participation", social.participation[i]),
                            ("reach", social.reach[i])):
            if responses[i] >= 0 and math.isnan(value):
                notes.append(f"{name} missing: fewer than half of its questions answered "
                             "(for reach and connections: of the networks the member uses)")
        if social.straightliner[i]:
            notes.append("same answer throughout the knowledge and activity grids "
                         "(straight-liner)")
        if social.implausible_reach[i]:
            notes.append(f"a network's contact count above {config.reach.implausible_above:g} "
                         "was counted as that many")
        if not matches:
            notes.append("the answers changed since this run (a batch undone or imported "
                         "again): the lines show today's data; score again to refresh")
        out.append(Explanation(
            run_id=run_id, member_id=member, segment=str(segment),
            stability=_num(stab),
            scores={"knowledge": _num(k), "participation": _num(p), "reach": _num(r),
                    "social": _num(s), "financial": _num(f), "network_value": _num(nv)},
            lines=tuple(lines), recomputed_social=recomputed, matches_run=bool(matches),
            financial={
                "measure": _num(money.measure[i]), "revenue": _num(fin.revenue[i]),
                "orders": _num(fin.orders[i]), "cost_to_serve": _num(fin.cost_to_serve[i]),
                "tenure_years": _num(fin.tenure_years[i]), "gross_margin": money.margin,
                "average_order_value": _num(money.aov[i]),
                "orders_per_year": _num(money.orders_per_year[i]),
            },
            network=network[i], notes=tuple(notes),
        ))
    return out


def _network(
    cur: sqlite3.Cursor, member: int, config: ScoringConfig, margin: float, batches: list[int]
) -> dict[str, object]:
    """Referrals made and the value they brought, hop by hop, as the run's NV counts them: a
    member reached along k referral paths at hop h adds k × decay^(h−1) × their value."""
    nv = config.network_value
    frontier = {member: 1}  # who this hop starts from → referral paths leading to them
    reached: list[tuple[int, int, int]] = []  # member, hop, paths
    for hop in range(1, nv.max_hops + 1):  # a few indexed queries, one a hop
        marks = ", ".join(str(int(k)) for k in frontier)
        pairs = cur.execute(
            "SELECT DISTINCT referrer_id, referred_id FROM referral "
            f"WHERE referrer_id IN ({marks}) AND referred_id IS NOT NULL "
            f"AND referred_id <> referrer_id AND {batch_filter('batch_id', batches)}").fetchall()
        following: dict[int, int] = {}
        for src, dst in pairs:
            following[dst] = following.get(dst, 0) + frontier[src]
        reached += [(dst, hop, paths) for dst, paths in following.items()]
        frontier = following
        if not frontier:
            break
    if not reached:
        return {"referrals": 0, "direct_value": 0.0, "indirect_value": 0.0, "referred": []}
    walk = np.array(reached, dtype=np.int64)
    ids = np.unique(walk[:, 0])
    _, fin, _ = load_financial(cur, ids, margin, batches, only=ids.tolist())
    value = np.maximum(np.nan_to_num(measure_value(fin, config.financial).measure), 0.0)
    per_row = value[np.searchsorted(ids, walk[:, 0])] * walk[:, 2] * nv.decay ** (walk[:, 1] - 1)
    direct = walk[:, 1] == 1
    return {
        "referrals": int(direct.sum()),
        "direct_value": round(float(per_row[direct].sum()), 2),
        "indirect_value": round(float(per_row[~direct].sum()), 2),
        "referred": sorted(int(x) for x in walk[direct, 0]),
    }
