"""Column-at-a-time converters for bulk imports.

The parsers in ``survey.values`` take one cell. An import of a million rows calls them tens of
millions of times, so here each converter takes a whole column of a chunk, handles the common
shape of value with a comprehension, and falls back to the one-cell parser only for the rest.
Each returns the converted values and ``{index: reason}`` for the cells it could not read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

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


def _all_str(cells: Sequence[object]) -> bool:
    return all(c.__class__ is str for c in cells)


def each(parse: Callable[[object], object]) -> ColumnFn:
    """Apply a one-cell parser to every cell, collecting ValueErrors as reasons."""

    def run(cells: Sequence[object]) -> tuple[list[object], Errors]:
        out: list[object] = []
        errors: Errors = {}
        append = out.append
        for i, cell in enumerate(cells):
            try:
                append(parse(cell))
            except ValueError as exc:
                append(None)
                errors[i] = str(exc)
        return out, errors

    return run


def texts(cells: Sequence[object]) -> tuple[list[object], Errors]:
    if not _all_str(cells):
        return [V.clean_text(c) for c in cells], {}  # type: ignore[arg-type]
    out: list[object] = []
    append = out.append
    slow_start, invisible, missing, clean = _SLOW_START, _INVISIBLE, V._MISSING, V.clean_text
    for cell in cells:
        s = cell.strip()  # type: ignore[attr-defined]
        if not s:
            append(None)
        elif s[0] in slow_start or s[-1] in invisible:
            append(clean(s))
        elif len(s) <= 4 and s.casefold() in missing:
            append(None)
        else:
            append(s)
    return out, {}


def emails(cells: Sequence[object]) -> tuple[list[object], Errors]:
    """Normalised addresses; an invalid one is an error (the row is rejected)."""
    out: list[object] = []
    errors: Errors = {}
    for i, cell in enumerate(cells):
        if cell.__class__ is str:
            low = cell.strip().lower()  # type: ignore[attr-defined]
            if _PLAIN_EMAIL.fullmatch(low) and not low.startswith("mailto:"):
                out.append(low)
                continue
        email = V.normalise_email(cell)  # type: ignore[arg-type]
        if email is not None and not V.is_valid_email(email):
            errors[i] = f"{email!r} is not a valid email address"
        out.append(email)
    return out, errors


def amounts(decimal: str) -> ColumnFn:
    slow = each(lambda c: V.parse_amount(c, decimal))  # type: ignore[arg-type]

    def run(cells: Sequence[object]) -> tuple[list[object], Errors]:
        if decimal != ".":
            return slow(cells)  # "1.234" means a thousand and more; float() would misread it
        out: list[object] = []
        errors: Errors = {}
        for i, cell in enumerate(cells):
            if cell.__class__ is str:
                try:
                    value = float(cell)  # type: ignore[arg-type]
                    if math.isfinite(value) and "_" not in cell:  # type: ignore[operator]
                        out.append(value)
                        continue
                except ValueError:
                    pass
            try:
                out.append(V.parse_amount(cell, decimal))  # type: ignore[arg-type]
            except ValueError as exc:
                out.append(None)
                errors[i] = str(exc)
        return out, errors

    return run


def integers(cells: Sequence[object]) -> tuple[list[object], Errors]:
    out: list[object] = []
    errors: Errors = {}
    for i, cell in enumerate(cells):
        if cell.__class__ is str and cell.isdigit() and cell.isascii():  # type: ignore[attr-defined]
            out.append(int(cell))  # type: ignore[call-overload]
            continue
        try:
            out.append(V.parse_int(cell))  # type: ignore[arg-type]
        except ValueError as exc:
            out.append(None)
            errors[i] = str(exc)
    return out, errors


_BOOL_FAST = {"yes": 1, "no": 0, "true": 1, "false": 0, "1": 1, "0": 0, "y": 1, "n": 0, "": None}


def booleans(cells: Sequence[object]) -> tuple[list[object], Errors]:
    """Stored as 1/0 (SQLite has no boolean)."""
    out: list[object] = []
    errors: Errors = {}
    fast = _BOOL_FAST
    for i, cell in enumerate(cells):
        if cell.__class__ is str:
            key = cell.strip().lower()  # type: ignore[attr-defined]
            if key in fast:
                out.append(fast[key])
                continue
        try:
            value = V.parse_bool(cell)  # type: ignore[arg-type]
        except ValueError as exc:
            out.append(None)
            errors[i] = str(exc)
            continue
        out.append(None if value is None else int(value))
    return out, errors
