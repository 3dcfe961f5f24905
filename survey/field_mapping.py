"""Column mapping and column-wise conversion for the small keyed imports (referrals, engagement).

Like the member import: headers are guessed from aliases of real exports, ``--map "Header=field"``
and a saved profile override the guesses, and a chunk of rows is converted a column at a time,
collecting the reasons a row is rejected (each naming its column).
"""

from __future__ import annotations

from scorecard.workspace import Workspace
from survey.mapping import IGNORE, normalise_header, resolve_mapping

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
    return resolve_mapping(
        ws, kind, headers, set(aliases), lambda hs: guess_fields(hs, aliases), map_options
    )


def chosen_columns(mapping: dict[str, str], headers: list[str]) -> dict[str, int]:
    return {f: headers.index(h) for h, f in mapping.items() if f != IGNORE}
