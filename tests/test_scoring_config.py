"""The scoring config: TOML round trip, validation naming the key, and defaults that agree with
the standard questionnaire (the domain core holds them as data; survey/questionnaire.py is the
source of truth for item ids, answer ranges, rungs, networks and band values)."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from scorecard.errors import ScorecardError
from scorecard.scoring import config as C
from scorecard.scoring.config_toml import from_toml, to_toml
from scorecard.scoring.tomlw import dumps
from survey import questionnaire as q

DEFAULT = C.default_config()


def option_range(item_id: str) -> tuple[float, float]:
    values = [o.value for o in q.item(item_id).options if o.value is not None]
    return float(min(values)), float(max(values))


# -- round trip ----------------------------------------------------------------------------------


def test_default_round_trips_and_is_deterministic() -> None:
    text = to_toml(DEFAULT)
    assert from_toml(text) == DEFAULT
    assert to_toml(from_toml(text)) == text
    assert tomllib.loads(text)["segments"] == {"social_threshold": 60.0,
                                               "financial_threshold": 75.0}


def test_a_changed_config_round_trips() -> None:
    changed = DEFAULT.with_(
        name='Spring "24" – wine',
        social=replace(DEFAULT.social, reach=0.5, min_components=3),
        financial=replace(DEFAULT.financial, measure="clv", gross_margin=0.35,
                          share_of_wallet_item="sow", potential_weight=0.5),
        reach=replace(DEFAULT.reach, reference=500.0,
                      bands=(*DEFAULT.reach.bands[:-1], ("More than 500", 1000.0))),
        knowledge=replace(DEFAULT.knowledge, items=(
            *DEFAULT.knowledge.items, C.ItemSpec("k_taste", 1.0, 5.0, 2.0))),
        networks=(*DEFAULT.networks, C.NetworkSpec("church", online=False, reach_weight=2.0)),
        quality=replace(DEFAULT.quality, exclude_straightliners=True),
    )
    assert from_toml(to_toml(changed)) == changed


def test_a_partial_file_changes_only_what_it_says() -> None:
    config = from_toml(
        'name = "Wine club"\n'
        "[segments]\nsocial_threshold = 55\n"
        "[participation.items.p_events]\nweight = 4\n"
        "[networks.family]\nreach_weight = 2\n"
        '[reach.bands]\n"51–150" = 120\n'
    )
    assert config.name == "Wine club"
    assert config.segments.social_threshold == 55.0
    events = next(a for a in config.participation.activities if a.id == "p_events")
    assert (events.weight, events.min, events.max, events.rung) == (4.0, 0.0, 4.0, "Joiners")
    family = next(n for n in config.networks if n.key == "family")
    assert family.reach_weight == 2.0 and not family.online
    assert dict(config.reach.bands)["51–150"] == 120.0
    assert config.stability == DEFAULT.stability and config.knowledge == DEFAULT.knowledge


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[segments]\nsocial_treshold = 60\n", "segments.social_treshold: unknown key"),
        ("[segments]\nsocial_threshold = 160\n", "segments.social_threshold: must be"),
        ('[social]\nknowledge = "high"\n', "social.knowledge: must be a number"),
        ("[social]\nknowledge = 0\nparticipation = 0\nreach = 0\n", "social: at least one"),
        ('[financial]\nmeasure = "ltv"\n', "financial.measure: must be one of"),
        ("[knowledge.items.k_new]\nweight = 1\n", "knowledge.items.k_new: a new item needs"),
        ("[knowledge.items.k_brand]\nmin = 7\nmax = 1\n", "knowledge.items.k_brand.max"),
        ('[knowledge]\nbattery = ["k_nope"]\n', "knowledge.battery"),
        ("[stability]\ndraws = 1.5\n", "stability.draws: must be a whole number"),
        ("[quality]\nexclude_straightliners = 1\n", "must be true or false"),
        ("[networks.church]\nreach_weight = 1\n", "networks.church: a new network needs"),
        ("format = 9\n", "format"),
        ("[segments\n", "not valid TOML"),
        ("colour = 1\n", "colour: unknown key"),
    ],
)
def test_errors_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ScorecardError, match="scoring config") as err:
        from_toml(text)
    assert message in str(err.value)


def test_writer_quotes_and_escapes() -> None:
    text = dumps({"a b": 'say "hi"\n', "t": {"x.y": [1, 2.5, True]}, "n": 1e-07})
    assert tomllib.loads(text) == {"a b": 'say "hi"\n', "t": {"x.y": [1, 2.5, True]},
                                   "n": 1e-07}


# -- defaults agree with the questionnaire -------------------------------------------------------


def test_knowledge_items_and_ranges_match_the_questionnaire() -> None:
    assert [it.id for it in DEFAULT.knowledge.items] == [
        it.id for it in q.items_for("knowledge")]
    for spec in DEFAULT.knowledge.items:
        assert (spec.min, spec.max) == option_range(spec.id), spec.id
    assert set(DEFAULT.knowledge.battery) == {
        it.id for it in q.items_for("knowledge") if it.kind == "scale"}
    assert len({it.weight for it in DEFAULT.knowledge.items}) == 1  # published scales: unweighted


def test_activity_weights_rise_with_the_technographics_ladder() -> None:
    assert tuple(C.RUNG_WEIGHTS) == q.LADDER
    assert list(C.RUNG_WEIGHTS.values()) == sorted(C.RUNG_WEIGHTS.values())
    items = {it.id: it for it in q.items_for("participation")}
    assert [a.id for a in DEFAULT.participation.activities] == list(items)
    for spec in DEFAULT.participation.activities:
        assert spec.rung == items[spec.id].ladder
        assert spec.weight == float(q.LADDER.index(spec.rung))
        assert (spec.min, spec.max) == option_range(spec.id)


def test_networks_match_and_offline_counts_as_much_as_online() -> None:
    assert [(n.key, n.online) for n in DEFAULT.networks] == [
        (n.key, n.online) for n in q.NETWORKS]
    assert {(n.reach_weight, n.connection_weight) for n in DEFAULT.networks} == {(1.0, 1.0)}
    ticks = {o.code for o in q.item(C.NETWORKS_ITEM).options}
    assert {n.key for n in DEFAULT.networks} == ticks
    p = DEFAULT.participation
    for net in DEFAULT.networks:
        assert (p.closeness_min, p.closeness_max) == option_range(C.close_item(net.key))
        assert (p.publicness_min, p.publicness_max) == option_range(C.public_item(net.key))
        assert q.item(C.reach_item(net.key)).kind == "count"
    offline = [a.weight for a in p.activities if a.id in ("p_recommend", "p_organise")]
    online = [a.weight for a in p.activities if a.id in ("p_share", "p_posts")]
    assert sorted(offline) == sorted(online)  # same rungs, same weights


def test_reach_bands_match_the_questionnaire() -> None:
    assert DEFAULT.reach.bands == tuple((o.label, float(o.value)) for o in q.REACH_BANDS)


def test_every_item_the_scoring_reads_exists() -> None:
    for column in C.answer_columns(DEFAULT):
        item_id, _, code = column.partition(":")
        it = q.item(item_id)
        if code:
            assert it.kind == "multi" and code in {o.code for o in it.options}, column
