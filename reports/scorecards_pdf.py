"""Member scorecards: one member a page, or four, for a segment or a list of members.

Each card shows who the member is, F, S and NV as big figures, the segment and how often it
holds when weights and thresholds are perturbed, K/P/R as bars, the member's place in the
F × S quadrant and the receipt: what each answer adds to S (``explain_many``). Members without a
social score get a card that says so, with F and revenue.

The selection is resolved in SQL (a segment of the run, or member ids and member numbers).
Cards are drawn in page order and their data fetched a chunk of members at a time
(``scorecard_data.Loader``: a few queries a chunk, never a query set per member), so memory is
bounded by the chunk; the drawing is in ``scorecard_card``. The page count is known up front,
so "Page X of Y" is printed as each page closes instead of holding every page back.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from reports.pdf_base import MARGIN, PALETTE, PAPERS, ReportDoc, binary_streams
from reports.scorecard_card import draw_card
from reports.scorecard_data import CancelFn, CardContext, Loader, ProgressFn, card_context
from reports.scorecard_parts import COMPACT, FULL, draw_text
from scorecard.errors import ScorecardError
from scorecard.scoring.runs import latest_run_id
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

__all__ = ["MAX_CARDS", "ScorecardsResult", "write_scorecards"]

MAX_CARDS = 25_000  # beyond this a printed pack makes no sense and memory grows with pages
GUTTER = 10.0  # between the cards of a 2 × 2 page


@dataclass(frozen=True)
class ScorecardsResult:
    path: Path
    pages: int
    members: int
    run_id: int
    unknown_ids: tuple[str, ...]  # asked for, but no such member in the workspace
    not_in_run: tuple[str, ...]  # members of the workspace the run did not score (newer)


def write_scorecards(
    ws: Workspace,
    out_path: str | Path,
    *,
    run_id: int | None = None,
    segment: str | None = None,
    member_ids: Sequence[int | str] | None = None,
    per_page: int = 1,
    paper: str = "a4",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ScorecardsResult:
    """Write the scorecards of a segment (by name) or of the given members to ``out_path``.

    ``member_ids`` may mix workspace member ids (int) and member numbers as on the member list
    (str; a string of digits that is no member number is tried as a member id). Cards follow
    the order given; a segment's cards run from the highest S (then F) down.
    """
    if per_page not in (1, 4):
        raise ScorecardError(f"per_page must be 1 or 4, not {per_page}")
    if paper.lower() not in PAPERS:
        raise ScorecardError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    if segment is not None and member_ids is not None:
        raise ScorecardError("choose the members by segment or by member ids, not both")
    run_id = latest_run_id(ws) if run_id is None else int(run_id)
    ctx = card_context(ws, run_id)
    unknown: tuple[str, ...] = ()
    not_in_run: tuple[str, ...] = ()
    if segment is not None:
        segment = _segment_name(segment)
        order = _segment_members(ws, run_id, segment)
        if not order:
            raise ScorecardError(f"score run {run_id} has no members in the segment {segment}")
    elif member_ids:
        order, unknown, not_in_run = _resolve_members(ws, run_id, member_ids)
        if not order:
            missing = [*unknown, *not_in_run]
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            raise ScorecardError(f"none of the members asked for are in score run {run_id}: "
                                 f"{shown}")
    else:
        raise ScorecardError("choose whose scorecards to print: a segment (" + ", ".join(SEGMENTS)
                             + ") or member ids / member numbers")
    if len(order) > MAX_CARDS:
        raise ScorecardError(f"that is {len(order):,} scorecards; print at most {MAX_CARDS:,} "
                             "at a time (choose a smaller segment or a list of members)")
    out = Path(out_path)
    pages = math.ceil(len(order) / per_page)
    loader = Loader(ws, run_id, order, progress, cancel)
    title = "Member scorecards" + (f" · {segment}" if segment else "") + f" · run {run_id}"
    doc = CardsDoc(out, title=title, workspace=_programme(ws), paper=paper.lower(),
                    pageCompression=1, subject=title)
    story: list[Flowable] = [
        CardsPage(order[i:i + per_page], loader, ctx, per_page)
        for i in range(0, len(order), per_page)
    ]
    label_at = (doc.pagesize[0] - doc.rightMargin, MARGIN)
    with binary_streams():
        doc.build(story, canvasmaker=functools.partial(KnownTotalCanvas, total=pages,
                                                       label_at=label_at))
    if progress is not None:
        progress(1.0, "Done")
    return ScorecardsResult(out, pages, len(order), run_id, unknown, not_in_run)




# -- selection --------------------------------------------------------------------------------


def _segment_name(text: str) -> str:
    key = text.strip().lower().replace("-", " ").replace("_", " ")
    for name in SEGMENTS:
        if name.lower() == key or name.lower().rstrip("s") == key:
            return name
    raise ScorecardError(f"no segment {text!r}; segments: {', '.join(SEGMENTS)}")


def _segment_members(ws: Workspace, run_id: int, segment: str) -> list[int]:
    with ws.read_cursor() as cur:
        rows = cur.execute(
            "SELECT member_id FROM member_score WHERE run_id = ? AND segment = ? "
            "ORDER BY social DESC, financial DESC, member_id", (run_id, segment)).fetchall()
    return [int(r[0]) for r in rows]


_IN_RUN = ("EXISTS (SELECT 1 FROM member_score s WHERE s.run_id = ? AND s.member_id = m.id)")


def _resolve_members(
    ws: Workspace, run_id: int, wanted: Sequence[int | str]
) -> tuple[list[int], tuple[str, ...], tuple[str, ...]]:
    """Member ids in the order asked (duplicates once), the unknown ones, those not in the run.

    Strings are member numbers (``external_id``); ints, and digit strings that are no member
    number, are workspace member ids. Looked up in SQL, 900 at a time.
    """
    numbers = sorted({w.strip() for w in wanted if isinstance(w, str) and w.strip()})
    by_number: dict[str, tuple[int, bool]] = {}
    by_id: dict[int, bool] = {}
    with ws.read_cursor() as cur:
        for lo in range(0, len(numbers), 900):
            chunk = numbers[lo:lo + 900]
            sql = (f"SELECT m.external_id, m.id, {_IN_RUN} FROM member m "
                   f"WHERE m.external_id IN ({', '.join('?' * len(chunk))})")
            for ext, mid, in_run in cur.execute(sql, (run_id, *chunk)):
                by_number[str(ext)] = (int(mid), bool(in_run))
        ids = sorted({int(w) for w in wanted if isinstance(w, int) and not isinstance(w, bool)}
                     | {int(n) for n in numbers if n not in by_number and n.isdigit()})
        for lo in range(0, len(ids), 900):
            chunk_ids = ids[lo:lo + 900]
            sql = (f"SELECT m.id, {_IN_RUN} FROM member m "
                   f"WHERE m.id IN ({', '.join('?' * len(chunk_ids))})")
            for mid, in_run in cur.execute(sql, (run_id, *chunk_ids)):
                by_id[int(mid)] = bool(in_run)
    order: dict[int, None] = {}
    unknown: list[str] = []
    not_in_run: list[str] = []
    for w in wanted:
        key = w.strip() if isinstance(w, str) else w
        if isinstance(key, str) and key in by_number:
            mid, in_run = by_number[key]
        elif isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
            mid = int(key)
            if mid not in by_id:
                unknown.append(str(w))
                continue
            in_run = by_id[mid]
        else:
            if key:
                unknown.append(str(w))
            continue
        if in_run:
            order.setdefault(mid)
        else:
            not_in_run.append(str(w))
    return list(order), tuple(dict.fromkeys(unknown)), tuple(dict.fromkeys(not_in_run))


# -- what every card shares ---------------------------------------------------------------------


def _programme(ws: Workspace) -> str:
    return ws.settings().get("programme_name") or ws.path.stem


# -- pages ----------------------------------------------------------------------------------------


class CardsPage(Flowable):
    """One page of cards: one member, or up to four in a 2 × 2 grid (row by row)."""

    def __init__(self, member_ids: list[int], loader: Loader, ctx: CardContext,
                 per_page: int) -> None:
        super().__init__()
        self.member_ids, self.loader, self.ctx, self.per_page = member_ids, loader, ctx, per_page

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, avail_height
        return avail_width, avail_height

    def draw(self) -> None:
        cards = [self.loader.card(m) for m in self.member_ids]
        if self.per_page == 1:
            draw_card(self.canv, 0, 0, self.width, self.height, cards[0], self.ctx, FULL)
            return
        w = (self.width - GUTTER) / 2
        h = (self.height - GUTTER) / 2
        for k, card in enumerate(cards):
            row, col = divmod(k, 2)
            draw_card(self.canv, col * (w + GUTTER), (1 - row) * (h + GUTTER), w, h, card,
                      self.ctx, COMPACT)


class KnownTotalCanvas(Canvas):
    """Prints "Page X of Y" as each page closes: the total is known before the first card,
    so no page is held back (pdf_base's NumberedCanvas holds them all until the end)."""

    def __init__(self, *args: Any, total: int, label_at: tuple[float, float], **kw: Any):
        super().__init__(*args, **kw)
        self._total, self._label_at = total, label_at

    def showPage(self) -> None:  # reportlab's name
        self.saveState()
        x, y = self._label_at
        draw_text(self, x, y, f"Page {self._pageNumber} of {self._total}", 8.5, PALETTE.muted,
                  align="right")
        self.restoreState()
        super().showPage()


class CardsDoc(ReportDoc):
    """The shared header and footer, drawn once as a form and placed on every page (they are
    the same on every page of a pack; the page number is the canvas's)."""

    FURNITURE = "scorecardFurniture"

    def _furnish(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if not getattr(self, "_furniture_made", False):
            canv.beginForm(self.FURNITURE)
            super()._furnish(canv, doc)
            canv.endForm()
            self._furniture_made = True
        canv.doForm(self.FURNITURE)
