"""Column mapping and column-wise conversion for the small keyed imports (referrals, engagement).

Like the member import: headers are guessed from aliases of real exports, ``--map "Header=field"``
and a saved profile override the guesses, and a chunk of rows is converted a column at a time,
collecting the reasons a row is rejected (each naming its column).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from scorecard.workspace import Workspace
from survey import columns as C
from survey.mapping import IGNORE, load_profile, normalise_header, parse_map_options

Aliases = dict[str, tuple[str, ...]]  # field -> header aliases (normalised), best first


def guess_fields(headers: list[str], aliases: Aliases) -> dict[str, str]:
    """header -> field (or IGNORE); each field goes to the header with its best-ranked alias."""
    ranked: list[tuple[int, int, str]] = []
    for col, header in enumerate(headers):
        norm = normalise_header(header)
        for field, names in aliases.items():
            if norm in names:
                ranked.append((names.index(norm), col, field))
    mapping = {h: IGNORE for h in headers}
    taken: set[str] = set()
    for _rank, col, field in sorted(ranked):
        if field not in taken and mapping[headers[col]] == IGNORE:
            mapping[headers[col]] = field
            taken.add(field)
    return mapping


def resolve_fields(
    ws: Workspace, kind: str, headers: list[str], aliases: Aliases, map_options: list[str] | None
) -> tuple[dict[str, str], bool]:
    """The mapping for these headers: saved profile or guesses, then ``--map``; user-chosen?"""
    profile = load_profile(ws, kind, headers)
    if profile is not None:
        mapping = {h: profile.get(h, IGNORE) for h in headers}
    else:
        mapping = guess_fields(headers, aliases)
    overrides = parse_map_options(map_options or [], headers, set(aliases))
    for header, field in overrides.items():
        if field != IGNORE:
            for other, f in mapping.items():
                if f == field and other != header:
                    mapping[other] = IGNORE
        mapping[header] = field
    return mapping, profile is not None or bool(overrides)


@dataclass(frozen=True)
class Converted:
    """A chunk converted column by column; rows with reasons are to be rejected."""

    columns: dict[str, list[object]]
    reasons: dict[int, list[str]]


def convert_chunk(
    chunk: list[tuple[int, list[object]]],
    converters: list[tuple[str, int, C.ColumnFn]],
    headers: list[str],
) -> Converted:
    if not converters:
        return Converted({}, {})
    picked = itemgetter(*(col for _, col, _ in converters))
    if len(converters) == 1:
        cols = [tuple(picked(cells) for _, cells in chunk)]
    else:
        cols = list(zip(*(picked(cells) for _, cells in chunk), strict=True))
    out: dict[str, list[object]] = {}
    reasons: dict[int, list[str]] = {}
    for (field, col, convert), column in zip(converters, cols, strict=True):
        out[field], errors = convert(column)
        for i, message in errors.items():
            reasons.setdefault(i, []).append(f"{headers[col]}: {message}")
    return Converted(out, reasons)


def chosen_columns(mapping: dict[str, str], headers: list[str]) -> dict[str, int]:
    return {f: headers.index(h) for h, f in mapping.items() if f != IGNORE}
