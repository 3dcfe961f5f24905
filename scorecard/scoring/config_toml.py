"""A scoring config as TOML: written deterministically, read with ``tomllib`` and validated.

Reading merges the file over the defaults, so a file may hold only what it changes; what it says
is checked key by key, and a problem is a ``ScorecardError`` that names the key
(``segments.social_threshold: must be between 0 and 100, not 160``).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import fields, replace
from typing import Any

from scorecard.errors import ScorecardError
from scorecard.scoring import tomlw
from scorecard.scoring.config import (
    FORMAT,
    MEASURES,
    SCALES,
    ItemSpec,
    NetworkSpec,
    ScoringConfig,
    default_config,
)

# Sections that are one flat dataclass each: TOML table name -> ScoringConfig attribute.
_FLAT = ("social", "financial", "network_value", "segments", "stability", "quality")

_HEADER = (
    "Social Scorecard scoring configuration. Every weight, band value, threshold and option\n"
    "of a score run; see the methodology in DESIGN.md. Edit and import with\n"
    "`scorecard config import`. Weights are relative: only their ratios matter."
)
_COMMENTS = {
    "social": "S = weighted mean of K, P, R (DESIGN.md: equal weights by default)",
    "knowledge": "K: agreement items 1–7 (Flynn et al.; Feick and Price; Zaichkowsky) and years",
    "knowledge.items": "Each item: answer range (lowest to highest option value), weight, scale",
    "participation.items": "Weights by Technographics rung: Spectators 1 … Creators 6",
    "participation": "P: activities weighted by Technographics rung, plus connection value",
    "networks": "Per network: offline counts as much as online (seed 002's comments)",
    "reach": "R = reference_score × ln(1 + contacts) / ln(1 + reference), capped (Dunbar)",
    "reach.bands": "Reach bands and the number of contacts each stands for",
    "financial": "F = percentile rank of the measure: profit | revenue | clv",
    "network_value": "NV: value of referred members, decayed per hop; engagement weights",
    "segments": "Ambassadors: S and F at or above both thresholds",
    "stability": "Share of perturbed runs (weights, thresholds) keeping a member's segment",
    "quality": "Straight-liners and the age-band check",
}


def _fail(path: str, problem: str) -> ScorecardError:
    return ScorecardError(f"scoring config: {path}: {problem}")


# -- writing -------------------------------------------------------------------------------------


def _flat(obj: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if value is None:
            continue  # TOML has no null: an absent key means "not set"
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def _item(spec: ItemSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"min": spec.min, "max": spec.max, "weight": spec.weight,
                           "scale": spec.scale}
    if spec.rung:
        out["rung"] = spec.rung
    return out


def to_toml(config: ScoringConfig) -> str:
    """The config as TOML text; the same config always gives the same text."""
    doc: dict[str, Any] = {"format": FORMAT, "name": config.name}
    doc["social"] = _flat(config.social)
    doc["knowledge"] = {
        "battery": list(config.knowledge.battery),
        "items": {it.id: _item(it) for it in config.knowledge.items},
    }
    part = _flat(config.participation)
    part.pop("activities")
    part["items"] = {it.id: _item(it) for it in config.participation.activities}
    doc["participation"] = part
    doc["networks"] = {
        n.key: {"online": n.online, "reach_weight": n.reach_weight,
                "connection_weight": n.connection_weight}
        for n in config.networks
    }
    reach = _flat(config.reach)
    reach["bands"] = {label: value for label, value in config.reach.bands}
    doc["reach"] = reach
    for section in _FLAT:
        doc[section] = _flat(getattr(config, section))
    return tomlw.dumps(
        doc,
        {"": _HEADER, **_COMMENTS},
        inline=("knowledge.items", "participation.items", "networks"),
    )


# -- reading -------------------------------------------------------------------------------------


def from_toml(text: str, source: str = "") -> ScoringConfig:
    """Read a config (merged over the defaults) and validate it."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = f"{source}: " if source else ""
        raise ScorecardError(f"scoring config: {where}not valid TOML ({exc})") from None
    return from_dict(doc)


def from_dict(doc: dict[str, Any]) -> ScoringConfig:
    base = default_config()
    known = {"format", "name", "knowledge", "participation", "networks", "reach", *_FLAT}
    _no_unknown(doc, known, "")
    fmt = doc.get("format", FORMAT)
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt > FORMAT or fmt < 1:
        raise _fail("format", f"this version reads format 1 to {FORMAT}, not {fmt!r}")
    name = doc.get("name", base.name)
    if not isinstance(name, str) or not name.strip():
        raise _fail("name", "must be a non-empty string")
    changes: dict[str, Any] = {"name": name.strip()}
    for section in _FLAT:
        if section in doc:
            changes[section] = _merge_flat(getattr(base, section), doc[section], section)
    if "knowledge" in doc:
        changes["knowledge"] = _knowledge(base, _table(doc["knowledge"], "knowledge"))
    if "participation" in doc:
        changes["participation"] = _participation(base, _table(doc["participation"],
                                                               "participation"))
    if "networks" in doc:
        changes["networks"] = _networks(base.networks, _table(doc["networks"], "networks"))
    if "reach" in doc:
        changes["reach"] = _reach(base, _table(doc["reach"], "reach"))
    config = replace(base, **changes)
    validate(config)
    return config


def _table(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "must be a table")
    return value


def _no_unknown(table: dict[str, Any], known: set[str] | tuple[str, ...], path: str) -> None:
    for name in table:
        if name not in known:
            full = f"{path}.{name}" if path else name
            raise _fail(full, f"unknown key (known here: {', '.join(sorted(known))})")


def _typed(value: object, like: object, path: str) -> Any:
    """``value`` checked against the type of the default ``like``."""
    if isinstance(like, bool):
        if not isinstance(value, bool):
            raise _fail(path, f"must be true or false, not {value!r}")
        return value
    if isinstance(like, int) and not isinstance(like, bool):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _fail(path, f"must be a whole number, not {value!r}")
        return value
    if isinstance(like, float) or like is None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _fail(path, f"must be a number, not {value!r}")
        if not math.isfinite(value):
            raise _fail(path, "must be a finite number")
        return float(value)
    if isinstance(like, str):
        if not isinstance(value, str):
            raise _fail(path, f"must be a string, not {value!r}")
        return value
    if isinstance(like, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(path, "must be a list of strings")
        return tuple(value)
    raise _fail(path, "cannot be set from a file")  # pragma: no cover - no such field


def _merge_flat(obj: Any, table: object, path: str, skip: tuple[str, ...] = ()) -> Any:
    table = _table(table, path)
    names = {f.name for f in fields(obj)} - set(skip)
    _no_unknown(table, names, path)
    values = {name: _typed(v, getattr(obj, name), f"{path}.{name}") for name, v in table.items()}
    return replace(obj, **values)


def _items(base: tuple[ItemSpec, ...], table: object, path: str) -> tuple[ItemSpec, ...]:
    table = _table(table, path)
    by_id = {it.id: it for it in base}
    for item_id, spec in table.items():
        where = f"{path}.{item_id}"
        spec = _table(spec, where)
        if item_id not in by_id:
            missing = [k for k in ("min", "max") if k not in spec]
            if missing:
                raise _fail(where, f"a new item needs {' and '.join(missing)}")
            lo = _typed(spec["min"], 0.0, f"{where}.min")
            by_id[item_id] = ItemSpec(item_id, lo, _typed(spec["max"], 0.0, f"{where}.max"))
        by_id[item_id] = _merge_flat(by_id[item_id], spec, where, skip=("id",))
    return tuple(by_id.values())


def _knowledge(base: ScoringConfig, table: dict[str, Any]) -> Any:
    _no_unknown(table, {"items", "battery"}, "knowledge")
    k = base.knowledge
    if "items" in table:
        k = replace(k, items=_items(k.items, table["items"], "knowledge.items"))
    if "battery" in table:
        k = replace(k, battery=_typed(table["battery"], (), "knowledge.battery"))
    return k


def _participation(base: ScoringConfig, table: dict[str, Any]) -> Any:
    rest = {k: v for k, v in table.items() if k != "items"}
    p = _merge_flat(base.participation, rest, "participation", skip=("activities",))
    if "items" in table:
        p = replace(p, activities=_items(p.activities, table["items"], "participation.items"))
    return p


def _networks(base: tuple[NetworkSpec, ...], table: dict[str, Any]) -> tuple[NetworkSpec, ...]:
    by_key = {n.key: n for n in base}
    for key, spec in table.items():
        where = f"networks.{key}"
        spec = _table(spec, where)
        current = by_key.get(key, NetworkSpec(key, online=True))
        if key not in by_key and "online" not in spec:
            raise _fail(where, "a new network needs online = true or false")
        by_key[key] = _merge_flat(current, spec, where, skip=("key",))
    return tuple(by_key.values())


def _reach(base: ScoringConfig, table: dict[str, Any]) -> Any:
    rest = {k: v for k, v in table.items() if k != "bands"}
    r = _merge_flat(base.reach, rest, "reach", skip=("bands",))
    if "bands" in table:
        bands = dict(r.bands)
        for label, value in _table(table["bands"], "reach.bands").items():
            bands[label] = _typed(value, 0.0, f"reach.bands.{tomlw.key(label)}")
        r = replace(r, bands=tuple(bands.items()))
    return r


# -- validation ----------------------------------------------------------------------------------


def _range(path: str, value: float, lo: float, hi: float, *, open_lo: bool = False) -> None:
    bad = value <= lo if open_lo else value < lo
    if bad or value > hi:
        lo_word = "above" if open_lo else "at least"
        raise _fail(path, f"must be {lo_word} {lo:g} and at most {hi:g}, not {value:g}")


def validate(config: ScoringConfig) -> None:
    """Raise ``ScorecardError`` naming the first key whose value cannot be used."""
    big = 1e9
    s = config.social
    for name in ("knowledge", "participation", "reach"):
        _range(f"social.{name}", getattr(s, name), 0, big)
    if s.knowledge + s.participation + s.reach <= 0:
        raise _fail("social", "at least one component weight must be above 0")
    _range("social.min_components", s.min_components, 1, 3)
    _range("social.min_answered_share", s.min_answered_share, 0, 1, open_lo=True)
    for section, specs in (("knowledge.items", config.knowledge.items),
                           ("participation.items", config.participation.activities)):
        for it in specs:
            where = f"{section}.{it.id}"
            _range(f"{where}.weight", it.weight, 0, big)
            if it.max <= it.min:
                raise _fail(f"{where}.max", f"must be above min ({it.min:g}), not {it.max:g}")
            if it.scale not in SCALES:
                raise _fail(f"{where}.scale", f"must be one of {', '.join(SCALES)}")
            if it.scale == "log" and it.min <= -1:
                raise _fail(f"{where}.min", "a log scale needs min above -1")
    ids = {it.id for it in config.knowledge.items}
    for item_id in config.knowledge.battery:
        if item_id not in ids:
            raise _fail("knowledge.battery", f"{item_id!r} is not a knowledge item")
    p = config.participation
    for name in ("activity_weight", "connection_weight", "closeness_weight", "publicness_weight"):
        _range(f"participation.{name}", getattr(p, name), 0, big)
    if p.closeness_max <= p.closeness_min:
        raise _fail("participation.closeness_max", "must be above closeness_min")
    if p.publicness_max <= p.publicness_min:
        raise _fail("participation.publicness_max", "must be above publicness_min")
    for n in config.networks:
        _range(f"networks.{n.key}.reach_weight", n.reach_weight, 0, big)
        _range(f"networks.{n.key}.connection_weight", n.connection_weight, 0, big)
    r = config.reach
    _range("reach.reference", r.reference, 0, big, open_lo=True)
    _range("reach.reference_score", r.reference_score, 0, 100, open_lo=True)
    _range("reach.cap", r.cap, 0, 100, open_lo=True)
    _range("reach.implausible_above", r.implausible_above, 0, big, open_lo=True)
    for label, value in r.bands:
        _range(f"reach.bands.{tomlw.key(label)}", value, 0, big)
    f = config.financial
    if f.measure not in MEASURES:
        raise _fail("financial.measure", f"must be one of {', '.join(MEASURES)}, not "
                    f"{f.measure!r}")
    if f.gross_margin is not None:
        _range("financial.gross_margin", f.gross_margin, 0, 1)
    _range("financial.expected_years", f.expected_years, 0, 100, open_lo=True)
    _range("financial.min_tenure_years", f.min_tenure_years, 0, 100, open_lo=True)
    _range("financial.potential_weight", f.potential_weight, 0, big)
    nv = config.network_value
    _range("network_value.decay", nv.decay, 0, 1)
    _range("network_value.max_hops", nv.max_hops, 1, 10)
    _range("network_value.pagerank_damping", nv.pagerank_damping, 0, 1, open_lo=True)
    for name in ("forwards_weight", "clicks_weight", "opens_weight", "rating_weight"):
        _range(f"network_value.{name}", getattr(nv, name), 0, big)
    _range("segments.social_threshold", config.segments.social_threshold, 0, 100)
    _range("segments.financial_threshold", config.segments.financial_threshold, 0, 100)
    st = config.stability
    _range("stability.draws", st.draws, 0, 100_000)
    _range("stability.seed", st.seed, 0, 2**63 - 1)
    _range("stability.weight_jitter", st.weight_jitter, 0, 0.99)
    _range("stability.threshold_jitter", st.threshold_jitter, 0, 100)
    q = config.quality
    _range("quality.straightline_min_items", q.straightline_min_items, 2, 1000)
    _range("quality.age_decline_points", q.age_decline_points, 0, 100)
