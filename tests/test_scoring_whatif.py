"""The studio's what-if engine agrees exactly with a real run, whatever the change."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bench.bench_scoring import synthetic_inputs
from bench.bench_studio import with_band_answers
from scorecard.errors import ScorecardError
from scorecard.scoring.config import ItemSpec, ScoringConfig, default_config
from scorecard.scoring.configs import current_config
from scorecard.scoring.engine import compute_scores
from scorecard.scoring.loading import load_inputs
from scorecard.scoring.runs import latest_run_id, score
from scorecard.scoring.segments import SEGMENTS
from scorecard.scoring.whatif import (
    NOT_IN_RUN,
    WhatIf,
    get_value,
    load_whatif,
    run_baseline,
    set_value,
    transitions,
)

# One change after another, so the caches meet every kind of step and its undoing.
STEPS: tuple[tuple[str, object], ...] = (
    ("social.knowledge", 3.0),
    ("segments.social_threshold", 52.0),
    ("segments.financial_threshold", 60.0),
    ("knowledge.items.k_advice.weight", 4.0),
    ("participation.items.p_share.weight", 0.5),
    ("participation.connection_weight", 0.0),
    ("networks.instagram.reach_weight", 0.2),
    ("networks.facebook.connection_weight", 3.0),
    ("reach.cap", 80.0),
    ("reach.reference", 400.0),
    ("social.min_answered_share", 0.8),
    ("social.min_components", 3),
    ("quality.exclude_straightliners", True),
    ("financial.measure", "revenue"),
    ("financial.gross_margin", 0.25),
    ("financial.measure", "clv"),
    ("financial.expected_years", 5.0),
    ("social.reach", 0.0),
    ("quality.straightline_min_items", 6),
    ("social.knowledge", 1.0),
)


def _reference(inputs, config: ScoringConfig):  # type: ignore[no-untyped-def]
    no_draws = config.with_(stability=replace(config.stability, draws=0))
    return compute_scores(inputs, no_draws, receipts=False)


def _same(outcome, ref) -> None:  # type: ignore[no-untyped-def]
    assert np.array_equal(outcome.segment, ref.segment)
    assert np.array_equal(outcome.social, ref.social, equal_nan=True)
    assert np.array_equal(outcome.financial, ref.financial, equal_nan=True)
    assert outcome.counts == ref.segment_counts()


def test_every_kind_of_change_gives_the_counts_of_a_real_run():
    inputs = synthetic_inputs(4_000)
    config = default_config()
    whatif = WhatIf(inputs, config)
    recomputed = set()
    for path, value in STEPS:
        config = set_value(config, path, value)
        outcome = whatif.evaluate(config)
        _same(outcome, _reference(inputs, config))
        recomputed.update(outcome.recomputed)
    # Each level of the cache was exercised, not just the full recompute.
    assert {"knowledge", "participation", "reach", "social", "financial",
            "straightliners"} <= recomputed


def test_a_weight_change_recomputes_only_s_and_a_threshold_only_segments():
    inputs = synthetic_inputs(2_000)
    config = default_config()
    whatif = WhatIf(inputs, config)
    weighted = set_value(config, "social.participation", 2.5)
    assert whatif.evaluate(weighted).recomputed == ("social", "segments")
    moved = set_value(weighted, "segments.social_threshold", 70.0)
    assert whatif.evaluate(moved).recomputed == ("segments",)


def test_band_values_agree_with_a_run_loaded_with_those_bands(demo_workspace):
    ws = demo_workspace
    config, _ = current_config(ws)
    whatif = load_whatif(ws, config)
    assert whatif.bands is not None and len(whatif.bands.cells) > 100  # the demo answers bands
    for label, value in (("51–150", 40.0), ("151–500", 900.0), ("More than 500", 2000.0),
                         ("51–150", 100.0)):
        config = set_value(config, f"reach.bands.{label}", value)
        outcome = whatif.evaluate(config)
        assert "bands" in outcome.recomputed
        _same(outcome, _reference(load_inputs(ws, config), config))
    back = default_config().with_(name=config.name)  # the defaults: imported values again
    _same(whatif.evaluate(back), _reference(load_inputs(ws, back), back))


def test_a_band_change_moves_members(demo_workspace):
    config, _ = current_config(demo_workspace)
    whatif = load_whatif(demo_workspace, config)
    before = whatif.evaluate(config)
    squeezed = config
    for label, _ in config.reach.bands:
        squeezed = set_value(squeezed, f"reach.bands.{label}", 0.0)
    after = whatif.evaluate(squeezed)
    assert after.counts["Advocates"] + after.counts["Ambassadors"] < (
        before.counts["Advocates"] + before.counts["Ambassadors"])


def test_against_a_saved_run(demo_workspace):
    ws = demo_workspace
    config, _ = current_config(ws)
    run_id = latest_run_id(ws)
    whatif = load_whatif(ws, config)
    whatif.set_baseline(run_baseline(ws, run_id, whatif.inputs.member_ids))
    same = whatif.evaluate(config)
    assert len(same.moved) == 0  # the demo's run used this very config and data
    assert np.array_equal(np.diag(same.transitions), [same.counts[s] for s in SEGMENTS])
    changed = set_value(config, "segments.social_threshold", 45.0)
    outcome = whatif.evaluate(changed)
    with ws.engine.connect() as conn:
        saved = dict(conn.exec_driver_sql(
            "SELECT member_id, segment FROM member_score WHERE run_id = ?", (run_id,)).all())
    now = np.asarray(SEGMENTS)[_reference(load_inputs(ws, changed), changed).segment]
    expected = [m for m, s in zip(whatif.inputs.member_ids.tolist(), now, strict=True)
                if saved[m] != s]
    assert expected and whatif.inputs.member_ids[outcome.moved].tolist() == expected
    assert outcome.transitions.sum() == whatif.n
    assert outcome.transitions[SEGMENTS.index("Base"), SEGMENTS.index("Advocates")] > 0


def test_members_added_since_the_run_count_as_not_in_it(demo_workspace):
    ws = demo_workspace
    whatif = load_whatif(ws, current_config(ws)[0])
    ids = whatif.inputs.member_ids
    fewer = run_baseline(ws, latest_run_id(ws), np.append(ids, ids[-1] + 1))
    assert fewer.segment[-1] == NOT_IN_RUN and np.isnan(fewer.social[-1])
    assert (fewer.segment[:-1] != NOT_IN_RUN).all()


def test_a_new_run_with_the_studio_config_matches_the_what_if(demo_workspace):
    ws = demo_workspace
    config = set_value(current_config(ws)[0], "social.knowledge", 2.5)
    whatif = load_whatif(ws, config)
    summary = score(ws, config)
    assert whatif.evaluate(config).counts == summary.segments


def test_transitions_count_pairs():
    before = np.array([0, 0, 3, 3, NOT_IN_RUN], dtype=np.int8)
    after = np.array([0, 1, 3, 1, 2], dtype=np.int8)
    t = transitions(before, after)
    assert t.shape == (6, 5) and t.sum() == 5
    assert (t[0, 0], t[0, 1], t[3, 3], t[3, 1], t[NOT_IN_RUN, 2]) == (1, 1, 1, 1, 1)


def test_config_values_by_path():
    config = default_config()
    cases = {
        "social.knowledge": 2.0,
        "segments.financial_threshold": 80.0,
        "financial.measure": "clv",
        "financial.gross_margin": None,
        "knowledge.items.k_years.weight": 0.5,
        "participation.items.p_organise.weight": 9.0,
        "networks.family.reach_weight": 1.5,
        "reach.bands.More than 500": 1000.0,
        "quality.exclude_straightliners": True,
    }
    changed = config
    for path, value in cases.items():
        changed = set_value(changed, path, value)
        assert get_value(changed, path) == value
    assert get_value(config, "reach.bands.More than 500") == 750.0  # the original is untouched
    assert [label for label, _ in changed.reach.bands] == [label for label, _ in
                                                           config.reach.bands]
    for bad in ("social.nothing", "knowledge.items.k_none.weight", "networks.myspace.reach_weight",
                "reach.bands.1000+"):
        with pytest.raises(KeyError):
            set_value(config, bad, 1.0)


def test_other_items_or_bad_values_are_refused():
    inputs = synthetic_inputs(500)
    config = default_config()
    whatif = WhatIf(inputs, config)
    extra = config.with_(knowledge=replace(
        config.knowledge, items=(*config.knowledge.items, ItemSpec("k_new", 1, 7))))
    assert not whatif.compatible(extra)
    with pytest.raises(ScorecardError, match="load the studio again"):
        whatif.evaluate(extra)
    nothing = set_value(set_value(set_value(config, "social.knowledge", 0.0),
                                  "social.participation", 0.0), "social.reach", 0.0)
    with pytest.raises(ScorecardError, match="social"):
        whatif.evaluate(nothing)


def test_no_answers_yet_means_everyone_not_surveyed():
    inputs = synthetic_inputs(300, share=0.0)
    outcome = WhatIf(inputs, default_config()).evaluate(
        set_value(default_config(), "social.knowledge", 4.0))
    assert outcome.counts["Not surveyed"] == 300 and len(outcome.moved) == 0


def test_band_cells_refill_synthetic_answers_as_the_loader_would():
    config = default_config()
    inputs, bands = with_band_answers(synthetic_inputs(3_000, config=config), config)
    whatif = WhatIf(inputs, config, bands)
    changed = set_value(set_value(config, "reach.bands.16–50", 20.0), "reach.bands.0", 1.0)
    answers = inputs.answers.copy()
    flat = answers.reshape(-1)
    for i, (_, value) in enumerate(changed.reach.bands):  # seven bands, by hand
        flat[bands.cells[bands.index == i]] = value
    _same(whatif.evaluate(changed), _reference(replace(inputs, answers=answers), changed))
    _same(whatif.evaluate(config), _reference(inputs, config))
