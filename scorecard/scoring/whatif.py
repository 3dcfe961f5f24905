"""What-if scoring for the scoring studio: segment counts of a changed config in milliseconds.

Load once (``load_whatif``: the run's own ``load_inputs``), then ``WhatIf.evaluate(config)``
recomputes only what the change touches, always with the engine's own functions, so the studio
and a real run (``compute_scores``) agree exactly:

* thresholds: ``segments.assign`` over the cached S and F;
* S weights, components needed, straight-liner exclusion: ``components.social_score`` over the
  cached K, P, R;
* the settings of one component (item weights, participation and network weights, reach, band
  values, the answered share): ``components.compute_social`` with the config reduced to that
  component. Each component reads only its own settings (P and R share the networks, which are
  in both of their cache keys), so the reduced call gives the very numbers of the full one at
  a fraction of the work;
* financial settings: ``financial.measure_value``.

Reach bands are applied by the loader in SQL (``loading._answer_cells``): with the default
bands a band answer counts its imported value, with restated bands the config's value. So the
answers are loaded once with the default bands, and the cells answered with a band label are
remembered (``BandCells``); a band change re-fills those cells the way the loader would.

Nothing here loops over members; one ``WhatIf`` serves one evaluation at a time (a lock).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from scorecard.errors import Cancelled, ScorecardError
from scorecard.scoring.components import compute_social, social_score
from scorecard.scoring.config import KnowledgeConfig, ReachConfig, ScoringConfig, answer_columns
from scorecard.scoring.config_toml import validate
from scorecard.scoring.engine import ScoreInputs, _column, _scatter
from scorecard.scoring.financial import measure_value
from scorecard.scoring.loading import load_inputs, read_answers
from scorecard.scoring.segments import NOT_SURVEYED, SEGMENTS, assign
from scorecard.workspace import Workspace

NOT_IN_RUN = len(SEGMENTS)  # a "before" code: the member was not in the compared run
BEFORE = (*SEGMENTS, "(not in run)")
_DEFAULT_BANDS = dict(ReachConfig().bands)
# Band cells are found by loading reach answers with these stand-in band values: far below any
# count (they are clamped at 0) and exact in float32, so a cell's value names its band.
_SENTINEL = -10_000_000.0


@dataclass(frozen=True)
class BandCells:
    """Reach answers given as a band label: their cells in the answers matrix, and which label."""

    cells: np.ndarray  # flat indexes into answers (row × width + column)
    index: np.ndarray  # per cell, an index into labels
    labels: tuple[str, ...]  # the band labels of the config the answers were loaded with


@dataclass(frozen=True)
class Baseline:
    """The "before" of the studio: a saved run's segments (or the starting config's)."""

    name: str
    segment: np.ndarray  # (n,) int8 codes into BEFORE, aligned with the inputs' members
    social: np.ndarray  # (n,) S, NaN missing or not in the run
    run_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    """One what-if: every member's S, F and segment under ``config``, against the baseline."""

    config: ScoringConfig
    social: np.ndarray
    financial: np.ndarray
    segment: np.ndarray  # int8 codes into SEGMENTS
    counts: dict[str, int]
    before: Baseline
    transitions: np.ndarray  # (len(BEFORE), len(SEGMENTS)) members from → to
    moved: np.ndarray  # member positions whose segment differs from the baseline's
    recomputed: tuple[str, ...]  # what the change touched, for the status line and tests
    seconds: float


def counts_of(codes: np.ndarray) -> dict[str, int]:
    found = np.bincount(codes.astype(np.intp), minlength=len(SEGMENTS))
    return {name: int(c) for name, c in zip(SEGMENTS, found, strict=False)}


def transitions(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Members per (before, after) segment pair, as a len(BEFORE) × len(SEGMENTS) matrix."""
    k = len(SEGMENTS)
    pairs = before.astype(np.intp) * k + after.astype(np.intp)
    return np.bincount(pairs, minlength=len(BEFORE) * k).reshape(len(BEFORE), k)


# -- the reduced configs: one component's settings, nothing else ---------------------------------

_ONLY = ("knowledge", "participation", "reach")


def _only(config: ScoringConfig, component: str) -> ScoringConfig:
    """``config`` keeping what ``compute_social`` needs for one component (the rest empty)."""
    if component == "knowledge":
        return config.with_(participation=replace(config.participation, activities=()),
                            networks=())
    no_knowledge = KnowledgeConfig()
    if component == "participation":
        return config.with_(knowledge=no_knowledge)
    return config.with_(knowledge=no_knowledge,
                        participation=replace(config.participation, activities=()))


def _keys(config: ScoringConfig) -> dict[str, object]:
    """What each cached piece depends on; a piece is recomputed when its key changes."""
    share = config.social.min_answered_share
    return {
        "knowledge": (config.knowledge.items, share),
        "participation": (config.participation, config.networks, share),
        "reach": (config.reach, config.networks, share),
        "straightliners": (config.knowledge.battery,
                           tuple(a.id for a in config.participation.activities),
                           config.quality.straightline_min_items),
        "social": (config.social, config.quality.exclude_straightliners),
        "financial": config.financial,
    }


class WhatIf:
    """Loaded inputs and cached components; ``evaluate`` a config against a baseline."""

    def __init__(self, inputs: ScoreInputs, config: ScoringConfig,
                 bands: BandCells | None = None) -> None:
        validate(config)
        self.inputs = inputs
        self.columns = inputs.columns
        self.bands = bands
        self._lock = threading.Lock()
        self._answers = inputs.answers  # copied on the first band change
        self._band_loaded: np.ndarray | None = None
        if bands is not None:
            self._band_loaded = inputs.answers.reshape(-1)[bands.cells].copy()
        self._band_state: tuple[float, ...] | None = None  # see _answers_for
        self._comps = np.full((len(inputs.respondent_rows), 3), np.nan)
        self._straight = np.zeros(len(inputs.respondent_rows), dtype=bool)
        self._key: dict[str, object] = {}
        self._social = np.full(inputs.n, np.nan)
        self._financial = np.full(inputs.n, np.nan)
        first = self._compute(config, None)
        self.start = Baseline(config.name, first.segment, first.social)
        self.baseline = self.start

    @property
    def n(self) -> int:
        return self.inputs.n

    @property
    def surveyed(self) -> int:
        return len(self.inputs.respondent_rows)

    def compatible(self, config: ScoringConfig) -> bool:
        """Whether ``config`` reads the loaded columns and bands (else load again with it)."""
        if answer_columns(config) != self.columns:
            return False
        labels = tuple(label for label, _ in config.reach.bands)
        return self.bands is None or labels == self.bands.labels

    def set_baseline(self, baseline: Baseline | None) -> None:
        """Compare with ``baseline`` from now on (None: the config the studio started from).

        A plain assignment, not under the lock: the GUI thread never waits for an evaluation;
        one already running compares with the baseline it started with.
        """
        self.baseline = baseline or self.start

    def evaluate(self, config: ScoringConfig) -> Outcome:
        """Segments under ``config``; raises ScorecardError when a value cannot be used."""
        if not self.compatible(config):
            raise ScorecardError("this config reads other survey items or bands than the ones "
                                 "loaded; load the studio again with it")
        validate(config)
        baseline = self.baseline
        with self._lock:
            return self._compute(config, baseline)

    # -- the recompute ---------------------------------------------------------------------------
    def _compute(self, config: ScoringConfig, baseline: Baseline | None) -> Outcome:
        started = time.perf_counter()
        keys = _keys(config)
        done: list[str] = []
        forced: set[str] = set()
        answers = self._answers_for(config, done, forced)
        rows = self.inputs.respondent_rows
        if keys["straightliners"] != self._key.get("straightliners"):
            # Rare (not a studio control): the full engine call refreshes everything at once.
            full = compute_social(answers, self.columns, config, receipts=False)
            self._comps = np.stack([full.knowledge, full.participation, full.reach], axis=1)
            self._straight = full.straightliner
            done += ["straightliners", *_ONLY]
        else:
            for j, part in enumerate(_ONLY):
                if keys[part] != self._key.get(part) or part in forced:
                    scores = compute_social(answers, self.columns, _only(config, part),
                                            receipts=False)
                    self._comps[:, j] = getattr(scores, part)
                    done.append(part)
        if done or keys["social"] != self._key.get("social"):
            excluded = self._straight & config.quality.exclude_straightliners
            social, _, _ = social_score(self._comps, excluded, config.social)
            self._social = _scatter(self.n, rows, social)
            done.append("social")
        if keys["financial"] != self._key.get("financial"):
            sow = _column(self.inputs, config.financial.share_of_wallet_item)
            self._financial = measure_value(self.inputs.financial, config.financial,
                                            sow).financial
            done.append("financial")
        self._key = keys
        seg = config.segments
        segment = assign(self._social, self._financial, seg.social_threshold,
                         seg.financial_threshold)
        before = baseline or Baseline(config.name, segment, self._social)
        return Outcome(
            config=config,
            social=self._social,
            financial=self._financial,
            segment=segment,
            counts=counts_of(segment),
            before=before,
            transitions=transitions(before.segment, segment),
            moved=np.flatnonzero(before.segment != segment),
            recomputed=(*done, "segments"),
            seconds=time.perf_counter() - started,
        )

    def _answers_for(self, config: ScoringConfig, done: list[str],
                     forced: set[str]) -> np.ndarray:
        """The answers as ``load_inputs(ws, config)`` would give them: band cells re-filled.

        A re-fill that turns a cell blank or answered also changes which networks P counts
        as used, so P is then recomputed too.
        """
        if self.bands is None or self._band_loaded is None:
            return self._answers
        values = dict(config.reach.bands)
        # None: the default bands, which the loader leaves as imported (how they were loaded).
        state = None if values == _DEFAULT_BANDS else tuple(values[x] for x in self.bands.labels)
        if state == self._band_state:
            return self._answers
        if self._answers is self.inputs.answers:
            self._answers = self.inputs.answers.copy()
        flat = self._answers.reshape(-1)
        blank = np.isnan(flat[self.bands.cells])
        if state is None:
            flat[self.bands.cells] = self._band_loaded
        else:
            flat[self.bands.cells] = np.asarray(state, dtype=flat.dtype)[self.bands.index]
        if (np.isnan(flat[self.bands.cells]) != blank).any():
            forced.add("participation")
        done.append("bands")
        self._band_state = state
        return self._answers


# -- loading from a workspace ---------------------------------------------------------------------


def load_whatif(ws: Workspace, config: ScoringConfig,
                cancel: Callable[[], bool] | None = None) -> WhatIf:
    """Everything a run reads (its own loader), the band cells, and the first evaluation."""
    validate(config)
    as_loaded = config.with_(reach=replace(config.reach, bands=tuple(_DEFAULT_BANDS.items())))
    inputs = load_inputs(ws, as_loaded)
    if cancel and cancel():
        raise Cancelled("loading cancelled")
    bands = band_cells(ws, inputs, config)
    if cancel and cancel():
        raise Cancelled("loading cancelled")
    return WhatIf(inputs, config, bands)


def band_cells(ws: Workspace, inputs: ScoreInputs, config: ScoringConfig) -> BandCells:
    """Which reach answers are band labels: the loader's own band matching, with stand-in values."""
    labels = tuple(label for label, _ in config.reach.bands)
    reach_cols = [j for j, c in enumerate(inputs.columns) if c.startswith("r_")]
    stand_in = ReachConfig(bands=tuple((label, _SENTINEL - i) for i, label in enumerate(labels)))
    with ws.read_cursor() as cur:
        found = read_answers(cur, inputs.response_ids,
                             [inputs.columns[j] for j in reach_cols], stand_in)
    row, col = np.nonzero(found <= _SENTINEL + 0.5)
    index = (_SENTINEL - found[row, col]).round().astype(np.int16)
    width = len(inputs.columns)
    cells = row.astype(np.int64) * width + np.asarray(reach_cols, dtype=np.int64)[col]
    return BandCells(cells=cells, index=index, labels=labels)


def data_fingerprint(ws: Workspace) -> tuple[object, ...]:
    """What loaded inputs depend on (committed imports, members, the margin): load again when
    it changes."""
    with ws.engine.connect() as conn:
        batches = conn.exec_driver_sql(
            "SELECT group_concat(id) FROM (SELECT id FROM import_batch "
            "WHERE status = 'committed' ORDER BY id)").scalar()
        members = tuple(conn.exec_driver_sql("SELECT count(*), max(id) FROM member").one())
    return batches, members, ws.settings().get("gross_margin")


def run_baseline(ws: Workspace, run_id: int, member_ids: np.ndarray, name: str = "") -> Baseline:
    """A saved run's segments and S aligned with ``member_ids`` (absent members: NOT_IN_RUN)."""
    case = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEGMENTS))
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT member_id, social, CASE segment {case} ELSE {NOT_SURVEYED} END "
            "FROM member_score WHERE run_id = ? ORDER BY member_id", (run_id,)).all()
    table = np.array(rows, dtype=np.float64).reshape(len(rows), 3)
    segment = np.full(len(member_ids), NOT_IN_RUN, dtype=np.int8)
    social = np.full(len(member_ids), np.nan)
    if len(table) and len(member_ids):
        ids = table[:, 0].astype(np.int64)
        pos = np.minimum(np.searchsorted(member_ids, ids), len(member_ids) - 1)
        ok = member_ids[pos] == ids  # members deleted since the run drop out
        segment[pos[ok]] = table[ok, 2].astype(np.int8)
        social[pos[ok]] = table[ok, 1]
    return Baseline(name or f"Run {run_id}", segment, social, run_id)


# -- one value of a config, by path ----------------------------------------------------------------
# Paths: "<section>.<field>" ("social.knowledge"), "knowledge.items.<id>.<field>",
# "participation.items.<id>.<field>", "networks.<key>.<field>", "reach.bands.<label>".


def get_value(config: ScoringConfig, path: str) -> object:
    section, rest = path.split(".", 1)
    if section == "reach" and rest.startswith("bands."):
        return dict(config.reach.bands)[rest[6:]]
    if section in ("knowledge", "participation") and rest.startswith("items."):
        item, field = rest[6:].rsplit(".", 1)
        return getattr(_item(_specs(config, section), item, path), field)
    if section == "networks":
        key, field = rest.rsplit(".", 1)
        return getattr(_item(config.networks, key, path), field)
    return getattr(getattr(config, section), rest)


def set_value(config: ScoringConfig, path: str, value: object) -> ScoringConfig:
    """A copy of ``config`` with the value at ``path`` replaced (not validated here)."""
    section, rest = path.split(".", 1)
    if section == "reach" and rest.startswith("bands."):
        label = rest[6:]
        if label not in dict(config.reach.bands):
            raise KeyError(path)
        bands = tuple((k, float(value) if k == label else v)  # type: ignore[arg-type]
                      for k, v in config.reach.bands)
        return config.with_(reach=replace(config.reach, bands=bands))
    if section in ("knowledge", "participation") and rest.startswith("items."):
        item, field = rest[6:].rsplit(".", 1)
        specs = _replaced(_specs(config, section), item, field, value, path)
        if section == "knowledge":
            return config.with_(knowledge=replace(config.knowledge, items=specs))
        return config.with_(participation=replace(config.participation, activities=specs))
    if section == "networks":
        key, field = rest.rsplit(".", 1)
        return config.with_(networks=_replaced(config.networks, key, field, value, path))
    part = getattr(config, section)
    if not hasattr(part, rest):
        raise KeyError(path)
    return config.with_(**{section: replace(part, **{rest: value})})


def _specs(config: ScoringConfig, section: str) -> tuple:  # type: ignore[type-arg]
    return config.knowledge.items if section == "knowledge" else config.participation.activities


def _item(specs: tuple, name: str, path: str) -> object:  # type: ignore[type-arg]
    for spec in specs:
        if getattr(spec, "id", getattr(spec, "key", None)) == name:
            return spec
    raise KeyError(path)


def _replaced(specs: tuple, name: str, field: str, value: object,  # type: ignore[type-arg]
              path: str) -> tuple:  # type: ignore[type-arg]
    _item(specs, name, path)
    return tuple(
        replace(s, **{field: value}) if getattr(s, "id", getattr(s, "key", None)) == name else s
        for s in specs
    )
