"""Export a run as CSV, in the layout each tool's contact importer accepts (segment as a tag).

* ``generic``: ``member_id,email,knowledge,participation,reach,social,financial,network_value,
  segment``, one row per member, empty cells where missing. ``member_id`` is the member number
  the shop or loyalty tool knows (``external_id``), else the workspace's own id.
* ``mailchimp``: ``Email Address`` is the one column Mailchimp's import requires; the scores go
  to audience fields matched (or created) by their column label in the import's matching step,
  and the segment to ``Tags``. Members without an e-mail address cannot be imported: left out.
* ``shopify``: the customer CSV import's own headers (case-sensitive: ``First Name``,
  ``Last Name``, ``Email``, ``Phone``, ``Tags``); Shopify's customer import has no fields for
  scores, so the segment travels as a tag. Members with neither e-mail nor phone are left out.
* ``hubspot``: ``Email`` (HubSpot de-duplicates contacts on it), names, and one column per
  score for contact properties (created in the import's mapping step); HubSpot has no tags, so
  the segment is a ``Scorecard Segment`` property. Blank cells do not overwrite in HubSpot.

Files are UTF-8 without a byte-order mark (importers read the first header literally). In the
generic layout, meant for spreadsheets, imported text starting like a formula (``=``, ``+``,
``-``, ``@``) gets a leading apostrophe; the tool layouts pass text as it is, for the importers.
Numbers are written with one decimal, by the database.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import ScorecardError
from scorecard.scoring.runs import check_run, latest_run_id
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

LAYOUTS = ("generic", "mailchimp", "shopify", "hubspot")
GENERIC_HEADER = (
    "member_id", "email", "knowledge", "participation", "reach", "social", "financial",
    "network_value", "segment",
)
_SCORES = ("knowledge", "participation", "reach", "social", "financial", "network_value")
_SCORE_LABELS = ("Knowledge", "Participation", "Reach", "Social Score", "Financial Value",
                 "Network Value")


def _score(column: str) -> str:
    return f"CASE WHEN s.{column} IS NULL THEN NULL ELSE printf('%.1f', s.{column}) END"


def _text(expr: str) -> str:
    """Imported text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return (f"CASE WHEN substr({expr}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) "
            f"THEN '''' || {expr} ELSE {expr} END")


_MEMBER_ID = "coalesce(m.external_id, CAST(m.id AS TEXT))"
_HAS_EMAIL = "m.email IS NOT NULL AND m.email <> ''"


@dataclass(frozen=True)
class Layout:
    header: tuple[str, ...]
    columns: tuple[str, ...]  # SQL expressions over s (member_score) and m (member)
    where: str = "1"  # who can be imported


_LAYOUTS = {
    "generic": Layout(
        GENERIC_HEADER,
        (_text(_MEMBER_ID), _text("m.email"), *(_score(c) for c in _SCORES), "s.segment"),
    ),
    "mailchimp": Layout(
        ("Email Address", "First Name", "Last Name", "Member ID", *_SCORE_LABELS, "Tags"),
        ("m.email", "m.first_name", "m.last_name", _MEMBER_ID,
         *(_score(c) for c in _SCORES), "s.segment"),
        _HAS_EMAIL,
    ),
    "shopify": Layout(
        ("First Name", "Last Name", "Email", "Phone", "Tags"),
        ("m.first_name", "m.last_name", "m.email", "m.phone", "s.segment"),
        f"({_HAS_EMAIL}) OR (m.phone IS NOT NULL AND m.phone <> '')",
    ),
    "hubspot": Layout(
        ("Email", "First Name", "Last Name", "Member ID", *_SCORE_LABELS, "Scorecard Segment"),
        ("m.email", "m.first_name", "m.last_name", _MEMBER_ID,
         *(_score(c) for c in _SCORES), "s.segment"),
        _HAS_EMAIL,
    ),
}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    layout: str
    run_id: int
    rows: int
    left_out: int  # members the tool could not import (no e-mail, or no e-mail and no phone)

    def as_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "layout": self.layout, "run_id": self.run_id,
                "rows": self.rows, "left_out": self.left_out}

    def describe(self) -> str:
        text = f"Wrote {self.rows:,} members of run {self.run_id} to {self.path} ({self.layout})"
        if self.left_out:
            text += f"; {self.left_out:,} left out (no e-mail address the tool could match)"
        return text


def export_run(
    ws: Workspace,
    out: str | Path,
    run_id: int | None = None,
    layout: str = "generic",
    segments: Sequence[str] | None = None,
) -> ExportResult:
    """Write run ``run_id`` (default: the latest) to ``out`` in ``layout``; ``segments``: only
    the members of those segments (by name), e.g. the Ambassadors for a campaign."""
    if layout not in _LAYOUTS:
        raise ScorecardError(f"unknown export format {layout!r}; choose {', '.join(LAYOUTS)}")
    spec = _LAYOUTS[layout]
    chosen: list[str] = []
    for name in segments or ():
        match = next((s for s in SEGMENTS if s.lower() == name.strip().lower()), None)
        if match is None:
            raise ScorecardError(f"no segment {name!r}; segments: {', '.join(SEGMENTS)}")
        chosen.append(match)
    where = spec.where
    if chosen:
        where = f"({where}) AND s.segment IN ({', '.join(repr(s) for s in chosen)})"
    run_id = latest_run_id(ws) if run_id is None else run_id
    out = Path(out)
    with ws.engine.connect() as conn:
        check_run(conn, run_id)
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        cur = raw.cursor()
        total = cur.execute(
            "SELECT count(*) FROM member_score s WHERE run_id = ?"
            + (f" AND s.segment IN ({', '.join(repr(s) for s in chosen)})" if chosen else ""),
            (run_id,),
        ).fetchone()[0]
        cur.execute(
            f"SELECT {', '.join(spec.columns)} FROM member_score s JOIN member m "
            f"ON m.id = s.member_id WHERE s.run_id = ? AND ({where}) ORDER BY s.member_id",
            (run_id,),
        )
        written = 0
        try:
            with out.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(spec.header)
                while rows := cur.fetchmany(50_000):
                    writer.writerows(rows)
                    written += len(rows)
        except OSError as exc:
            raise ScorecardError(f"{out}: cannot write ({exc.strerror or exc})") from None
        finally:
            cur.close()
    return ExportResult(out, layout, run_id, written, int(total) - written)
