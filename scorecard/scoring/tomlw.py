"""A small, deterministic TOML writer for the scoring configuration (reading uses ``tomllib``).

It writes only what a config holds — strings, booleans, integers, finite floats, lists of those,
and nested tables — in the order given, so the same config always gives the same bytes and a
run's ``config_toml`` can be compared as text. No dependency: the standard library reads TOML
but does not write it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

Value = str | bool | int | float | Sequence["Value"] | Mapping[str, "Value"]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def key(name: str) -> str:
    """A bare key when TOML allows one, else a quoted key."""
    return name if _BARE_KEY.fullmatch(name) else string(name)


def string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def scalar(value: Value) -> str:
    """One value as TOML text (lists inline)."""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML cannot hold {value!r} here")
        text = repr(value)
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Sequence):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def dumps(
    doc: Mapping[str, Value],
    comments: Mapping[str, str] | None = None,
    inline: Sequence[str] = (),
) -> str:
    """``doc`` as TOML.

    ``comments`` maps a dotted table path ("" for the top) to a comment above it; the tables
    directly under a path in ``inline`` are written one a line, as inline tables.
    """
    lines: list[str] = []
    _table(doc, (), lines, comments or {}, frozenset(inline))
    return "\n".join(lines).strip("\n") + "\n"


def inline_table(table: Mapping[str, Value]) -> str:
    return "{ " + ", ".join(f"{key(k)} = {scalar(v)}" for k, v in table.items()) + " }"


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _table(
    table: Mapping[str, Value],
    path: tuple[str, ...],
    lines: list[str],
    comments: Mapping[str, str],
    inline: frozenset[str],
) -> None:
    dotted = ".".join(path)
    as_inline = dotted in inline
    subtables = [(n, v) for n, v in table.items() if isinstance(v, Mapping) and not as_inline]
    scalars = [(n, v) for n, v in table.items() if not isinstance(v, Mapping) or as_inline]
    if path:
        lines.append("")
        lines.extend(_comment(comments[dotted]) if dotted in comments else [])
        if scalars or not subtables:  # a table holding only tables needs no header
            lines.append("[" + ".".join(key(p) for p in path) + "]")
    elif dotted in comments:
        lines.extend(_comment(comments[dotted]))
    for name, value in scalars:
        text = inline_table(value) if isinstance(value, Mapping) else scalar(value)
        lines.append(f"{key(name)} = {text}")
    for name, value in subtables:
        _table(value, (*path, name), lines, comments, inline)
