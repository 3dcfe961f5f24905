"""Column-at-a-time converters for bulk imports.

The parsers in ``survey.values`` take one cell. An import of a million rows calls them tens of
millions of times, so here each converter takes a whole column of a chunk, handles the common
shape of value with a comprehension, and falls back to the one-cell parser only for the rest.
Each returns the converted values and ``{index: reason}`` for the cells it could not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import product
from operator import itemgetter

from survey import values as V

Errors = dict[int, str]
ColumnFn = Callable[[Sequence[object]], tuple[list[object], Errors]]

# Cells the fast path may pass through as they are: long enough not to be a "n/a"-style marker,
# not starting with Excel's apostrophe or an invisible character.
_SLOW_START = frozenset("'\ufeff\u200b\u200c\u200d\u2060")
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060")
# A strict subset of what V.is_valid_email accepts: when this matches, the address is valid.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
)


_NOT_YET = object()  # placeholder for cells the fast path leaves to the one-cell parser
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch


# Whole-column work uses C-level map/str methods and set lookups instead of a Python call per
# cell. Every "n/a"-style marker in every letter case, so one set lookup replaces casefold().
_SEP = "\x00"
_NIL = frozenset(
    "".join(variant)
    for marker in V._MISSING
    for variant in product(*({ch.lower(), ch.upper()} for ch in marker))
)


def _joined(cells: Sequence[object]) -> str | None:
    """The cells as one NUL-joined string, or None when they are not all text."""
    try:
        joined = _SEP.join(cells)  # type: ignore[arg-type]
    except TypeError:  # XLSX numbers, dates, None
        return None
    return None if joined.count(_SEP) != len(cells) - 1 else joined


def _finish(
    fast: list[object], cells: Sequence[object], parse: Callable[[object], object]
) -> tuple[list[object], Errors]:
    """Fill in the cells the fast path could not take, with the one-cell parser."""
    errors: Errors = {}
    if _NOT_YET not in fast:
        return fast, errors
    for i, value in enumerate(fast):
        if value is _NOT_YET:
            try:
                fast[i] = parse(cells[i])
            except ValueError as exc:
                fast[i] = None
                errors[i] = str(exc)
    return fast, errors


def each(parse: Callable[[object], object]) -> ColumnFn:
    """Apply a one-cell parser to every cell, collecting ValueErrors as reasons."""

    def run(cells: Sequence[object]) -> tuple[list[object], Errors]:
        return _finish([_NOT_YET] * len(cells), cells, parse)

    return run


def texts(cells: Sequence[object]) -> tuple[list[object], Errors]:
    """Trimmed text; Excel's leading apostrophe dropped; blanks and "n/a" markers to None."""
    joined = _joined(cells)
    if joined is None or any(ch in joined for ch in _INVISIBLE):
        return [V.clean_text(c) for c in cells], {}  # type: ignore[arg-type]
    stripped: list[str] = list(map(str.strip, cells))  # type: ignore[arg-type]
    if "'" in joined:  # Excel's keep-as-text apostrophe: '0612, '+31…
        stripped = [s[1:].lstrip() if s[:1] == "'" else s for s in stripped]
    nil = _NIL
    return [None if s in nil else s for s in stripped], {}


def countries(cells: Sequence[object]) -> tuple[list[object], Errors]:
    """Text as ``texts`` reads it, except that "NA" is Namibia's country code, not "no value"
    ("n/a", "na" and "N/A" still are)."""
    out, errors = texts(cells)
    if None in out:
        for i, value in enumerate(out):
            cell = cells[i]
            if value is None and isinstance(cell, str) and cell.strip().lstrip("'") == "NA":
                out[i] = "NA"
    return out, errors


def emails(cells: Sequence[object]) -> tuple[list[object], Errors]:
    """Normalised addresses; an invalid one is an error (the row is rejected)."""
    joined = _joined(cells)
    if joined is not None:
        plain = _PLAIN_EMAIL.fullmatch
        lowered = list(map(str.lower, map(str.strip, cells)))  # type: ignore[arg-type]
        fast: list[object] = [e if plain(e) else _NOT_YET for e in lowered]
    else:
        fast = [_NOT_YET] * len(cells)
    return _finish(fast, cells, _email)


def _email(cell: object) -> str | None:
    email = V.normalise_email(cell)  # type: ignore[arg-type]
    if email is not None and not V.is_valid_email(email):
        raise ValueError(f"{email!r} is not a valid email address")
    return email


def amounts(decimal: str) -> ColumnFn:
    def parse(cell: object) -> float | None:
        return V.parse_amount(cell, decimal)  # type: ignore[arg-type]

    def run(cells: Sequence[object]) -> tuple[list[object], Errors]:
        # "1.234" is a thousand and more where the decimal mark is a comma: no fast path then.
        if decimal == "." and _joined(cells) is not None:
            plain = _PLAIN_NUMBER
            fast: list[object] = [float(c) if plain(c) else _NOT_YET for c in cells]  # type: ignore[arg-type]
        else:
            fast = [_NOT_YET] * len(cells)
        return _finish(fast, cells, parse)

    return run


def integers(cells: Sequence[object]) -> tuple[list[object], Errors]:
    if _joined(cells) is not None:
        fast: list[object] = [
            int(c) if c.isascii() and c.isdigit() else _NOT_YET for c in cells  # type: ignore[attr-defined]
        ]
    else:
        fast = [_NOT_YET] * len(cells)
    return _finish(fast, cells, V.parse_int)  # type: ignore[arg-type]


_BOOL_FAST = {"yes": 1, "no": 0, "true": 1, "false": 0, "1": 1, "0": 0, "y": 1, "n": 0, "": None}


def _bool(cell: object) -> int | None:
    value = V.parse_bool(cell)  # type: ignore[arg-type]
    return None if value is None else int(value)


def booleans(cells: Sequence[object]) -> tuple[list[object], Errors]:
    """Stored as 1/0 (SQLite has no boolean)."""
    joined = _joined(cells)
    if joined is not None:
        get = _BOOL_FAST.get
        words = list(map(str.lower, map(str.strip, cells)))  # type: ignore[arg-type]
        fast: list[object] = [get(w, _NOT_YET) for w in words]
    else:
        fast = [_NOT_YET] * len(cells)
    return _finish(fast, cells, _bool)


@dataclass(frozen=True)
class Converted:
    """A chunk converted column by column; rows with reasons are to be rejected."""

    columns: dict[str, list[object]]
    reasons: dict[int, list[str]]
    failures: dict[str, int]  # field -> cells it could not read


def convert_chunk(
    chunk: list[tuple[int, list[object]]],
    converters: list[tuple[str, int, ColumnFn]],
    headers: list[str],
) -> Converted:
    """Convert each mapped column of a chunk; collect each row's reasons, naming the column."""
    rows = [cells for _, cells in chunk]
    out: dict[str, list[object]] = {}
    reasons: dict[int, list[str]] = {}
    failures: dict[str, int] = {}
    for field, col, convert in converters:
        # map(itemgetter) per column beats a zip(*) transpose: no row tuples to allocate.
        out[field], errors = convert(list(map(itemgetter(col), rows)))
        if errors:
            failures[field] = len(errors)
        for i, message in errors.items():
            reasons.setdefault(i, []).append(f"{headers[col]}: {message}")
    return Converted(out, reasons, failures)
