"""Survey mapping files: TOML that says which column holds which item, read and written.

The GUI's mapping step and ``scorecard import survey --mapping FILE`` share this format::

    # Column header (as the file has it) = item id
    [columns]
    "Q01" = "k_expertise"
    "Q12[SQ001]" = "c_networks:facebook"   # one option of a multi-select item
    "Q12" = "c_networks"                   # all Q12[...] sub-columns; [values] names the codes
    "token" = "member_id"                  # also: email, submitted_at, ignore, raw
    "Q03" = "expertise"                    # an unambiguous end of an item id is enough

    # Answer labels the parser does not know, per item id (or a pattern such as "k_*"):
    # a number on the item's own scale, or the label of one of the item's options.
    [values.k_expertise]
    "AO01" = 1
    "AO07" = "Strongly agree"

    [values.c_networks]
    "SQ001" = "facebook"

    # Optional: the scale numbers were given on, where the column alone cannot tell.
    [scales]
    "k_*" = "1-5"

Only ``tomllib`` (standard library) reads it; the writer below covers exactly this shape, so no
TOML-writing dependency is needed.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.errors import ScorecardError

Values = dict[str, float | str]


@dataclass
class SurveyMapping:
    """What the user said about a survey file's columns (all parts optional)."""

    columns: dict[str, str] = field(default_factory=dict)  # column name -> target
    values: dict[str, Values] = field(default_factory=dict)  # item id or pattern -> labels
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)  # item id or pattern

    def __bool__(self) -> bool:
        return bool(self.columns or self.values or self.scales)

    def merged(self, other: SurveyMapping) -> SurveyMapping:
        """This mapping with ``other`` laid over it (other wins)."""
        values = {k: dict(v) for k, v in self.values.items()}
        for key, table in other.values.items():
            values.setdefault(key, {}).update(table)
        return SurveyMapping(
            {**self.columns, **other.columns}, values, {**self.scales, **other.scales}
        )

    def values_for(self, item_id: str) -> Values:
        """The [values] for one item: pattern tables first, the item's own table last."""
        out: Values = {}
        for key in sorted(self.values, key=lambda k: (k == item_id, k)):
            if key == item_id or fnmatch.fnmatchcase(item_id, key):
                out.update(self.values[key])
        return out

    def scale_for(self, item_id: str) -> tuple[float, float] | None:
        if item_id in self.scales:
            return self.scales[item_id]
        for key, scale in self.scales.items():
            if fnmatch.fnmatchcase(item_id, key):
                return scale
        return None

    def as_json(self) -> dict[str, object]:
        return {
            "columns": self.columns,
            "values": self.values,
            "scales": {k: list(v) for k, v in self.scales.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SurveyMapping:
        scales = data.get("scales") or {}
        return cls(
            dict(data.get("columns") or {}),  # type: ignore[call-overload]
            {k: dict(v) for k, v in (data.get("values") or {}).items()},  # type: ignore[attr-defined]
            {k: (float(v[0]), float(v[1])) for k, v in scales.items()},  # type: ignore[attr-defined]
        )


_SCALE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.)\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_scale(text: object, where: str) -> tuple[float, float]:
    if isinstance(text, list) and len(text) == 2:
        lo, hi = float(text[0]), float(text[1])
    else:
        m = _SCALE.match(str(text))
        if m is None:
            raise ScorecardError(f'{where}: expected a scale like "1-5", not {text!r}')
        lo, hi = float(m.group(1)), float(m.group(2))
    if lo >= hi:
        raise ScorecardError(f"{where}: the scale's low end must be below its high end")
    return lo, hi


def read_mapping_file(path: str | Path) -> SurveyMapping:
    """Read a mapping file; a ScorecardError names the file and what is wrong."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ScorecardError(f"{path.name}: mapping file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScorecardError(f"{path.name}: not a valid TOML mapping file ({exc})") from None
    unknown = set(data) - {"columns", "values", "scales"}
    if unknown:
        raise ScorecardError(
            f"{path.name}: unknown table(s) {', '.join(sorted(unknown))}; "
            "expected [columns], [values.<item>] and [scales]"
        )
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ScorecardError(f'{path.name}: [columns] must hold "Column header" = "item_id" lines')
    values: dict[str, Values] = {}
    for item, table in data.get("values", {}).items():
        if not isinstance(table, dict):
            raise ScorecardError(f"{path.name}: [values.{item}] must be a table of label = value")
        for label, value in table.items():
            if not isinstance(value, int | float | str) or isinstance(value, bool):
                raise ScorecardError(
                    f"{path.name}: [values.{item}] {label!r}: a number or an option label"
                )
        values[item] = {str(k): v for k, v in table.items()}
    scales = {
        k: parse_scale(v, f"{path.name}: [scales] {k}") for k, v in data.get("scales", {}).items()
    }
    return SurveyMapping(dict(columns), values, scales)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _value(value: float | str) -> str:
    if isinstance(value, str):
        return _quote(value)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_mapping_file(
    path: str | Path, mapping: SurveyMapping, comments: dict[str, str] | None = None
) -> Path:
    """Write a mapping in the format above; ``comments`` adds a note after a column's line."""
    comments = comments or {}
    lines = ["# Survey column mapping (Social Scorecard). Column header = item id.", "[columns]"]
    for header, target in mapping.columns.items():
        note = comments.get(header)
        line = f"{_quote(header)} = {_quote(target)}"
        lines.append(f"{line}  # {' '.join(note.split())}" if note else line)
    for item, table in mapping.values.items():
        lines += ["", f"[values.{_quote(item)}]"]
        lines += [f"{_quote(label)} = {_value(v)}" for label, v in table.items()]
    if mapping.scales:
        lines += ["", "[scales]"]
        lines += [f'{_quote(k)} = "{lo:g}-{hi:g}"' for k, (lo, hi) in mapping.scales.items()]
    out = Path(path)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
