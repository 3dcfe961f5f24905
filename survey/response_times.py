"""Submission times of survey responses, a column at a time.

Stored as SQLAlchemy writes a DateTime in SQLite (``2026-10-03 15:05:06.000000``), so text order
is time order and the ORM reads them back. A time with a zone (Google Forms' ``GMT+1``, ISO
``Z``) is converted to UTC; one without (SurveyMonkey, Microsoft Forms) is kept as the tool wrote
it, in the survey's own local time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from survey import values as V

# Google Forms' own CSV: 2026/10/03 4:05:06 PM GMT+1 (a fast path; the general parser is slow)
_GOOGLE = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M) GMT([+-]\d{1,2})?(?::?(\d{2}))?"
)
_OFFSETS: dict[tuple[str | None, str | None], timedelta] = {}


def _google(match: re.Match[str]) -> str:
    """The stored UTC text, by arithmetic (no time-zone objects: this runs once per row)."""
    year, month, day, hour, minute, second, half, zh, zm = match.groups()
    h = int(hour) % 12 + (12 if half == "PM" else 0)
    offset = _OFFSETS.get((zh, zm))
    if offset is None:
        sign = -1 if (zh or "").startswith("-") else 1
        offset = timedelta(hours=abs(int(zh or 0)), minutes=int(zm or 0)) * sign
        _OFFSETS[(zh, zm)] = offset
    local = datetime(int(year), int(month), int(day), h, int(minute), int(second))
    return (local - offset).isoformat(" ", "microseconds")


def stored(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(" ", "microseconds")


def decide_order(samples: Sequence[object]) -> V.DateOrder:
    """Day/month order of a time column, from a sample; "ymd" (proof per value) when unsure."""
    texts = [s for s in samples if isinstance(s, str) and s.strip()]
    try:
        return V.infer_date_order(texts)
    except ValueError:
        return "ymd"


def convert_times(
    cells: Sequence[object], order: V.DateOrder
) -> tuple[list[str | None], dict[int, str]]:
    """Stored texts for a column of times, and {index: reason} for cells that are not times."""
    out: list[str | None] = []
    errors: dict[int, str] = {}
    for i, cell in enumerate(cells):
        if cell.__class__ is str:
            match = _GOOGLE.fullmatch(cell)  # type: ignore[arg-type]
            if match is not None:
                out.append(_google(match))
                continue
        try:
            moment = V.parse_datetime(cell, order)  # type: ignore[arg-type]
        except ValueError as exc:
            if order != "ymd":  # one value against the column's order: let it prove its own
                try:
                    moment = V.parse_datetime(cell, "ymd")  # type: ignore[arg-type]
                except ValueError:
                    moment = None
            else:
                moment = None
            if moment is None:
                out.append(None)
                errors[i] = str(exc)
                continue
        out.append(None if moment is None else stored(moment))
    return out, errors
