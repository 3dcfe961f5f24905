"""The paper questionnaire: the standard questionnaire on two sides of A4 or Letter.

Blank, or one copy per member with the member number and a QR code of it printed in the corner,
so whoever types the answers back in scans the code instead of retyping the number. The two
sides are laid out once per document as PDF form XObjects and every copy draws them, adding only
its own number, name and QR code: a thousand members cost a thousand small overlays, not a
thousand layouts, and the file stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph
from reportlab.platypus.doctemplate import LayoutError
from sqlalchemy import text

from reports.fonts import REGULAR, font_set
from reports.form_parts import BODY, SMALL, make_styles
from reports.pdf_base import PALETTE, PRODUCT, binary_streams, page_size
from reports.qr import draw_qr, member_qr
from reports.questionnaire_blocks import question_pages
from scorecard.errors import ScorecardError

__all__ = ["QuestionnaireResult", "member_qr", "questionnaire_for_workspace", "write_questionnaire"]

if TYPE_CHECKING:
    from scorecard.workspace import Workspace

MARGIN = 12 * mm
HEAD = 90.0  # side one's title band (title left, member panel right)
HEAD2 = 20.0  # side two's running head
FOOT = 16.0
PANEL_W = 205.0  # the member panel: number, name and QR code
QR_SIZE = 58.0
TITLE = "Members' survey"


def write_questionnaire(
    out: str | Path | BinaryIO,
    *,
    category: str,
    paper: str = "a4",
    members: Iterable[tuple[str, str]] | None = None,
    programme: str = "",
) -> int:
    """Write the questionnaire as one PDF; return the number of pages.

    Without ``members``: one blank copy (two pages) with a box for the member number. With
    ``members`` (external id, display name): two pages per member, with the number, the name
    and a QR code of the number.
    """
    size = page_size(paper)
    font_set()  # registers the faces the canvas starts with
    target = str(out) if isinstance(out, Path) else out
    canv = Canvas(target, pagesize=size, initialFontName=REGULAR, pageCompression=1)
    canv.setTitle(f"{PRODUCT} — {TITLE} ({category})")
    canv.setAuthor(programme or PRODUCT)
    canv.setCreator(PRODUCT)
    per_member = members is not None
    pages = 0
    with binary_streams():
        sides = _define_sides(
            canv, category=category, paper=paper, programme=programme, per_member=per_member
        )
        for member_id, name in members if members is not None else [("", "")]:
            for side in (1, 2):
                canv.doForm(sides[side - 1])
                if per_member:
                    _overlay(canv, side, size, str(member_id), name or "")
                canv.showPage()
                pages += 1
        if pages == 0:
            raise ScorecardError("no members to print a questionnaire for")
        canv.save()
    return pages




@dataclass(frozen=True)
class QuestionnaireResult:
    path: Path
    pages: int
    members: int
    without_id: int  # members skipped: no member number to print or match answers by
    unknown_ids: tuple[str, ...]  # requested ids that are not in the workspace


def questionnaire_for_workspace(
    ws: Workspace,
    out: str | Path,
    *,
    per_member: bool = False,
    member_ids: Sequence[str] | None = None,
    paper: str = "a4",
) -> QuestionnaireResult:
    """The workspace's questionnaire (its category word): blank, for every member
    (``per_member``) or for the members with the given external ids, in that order."""
    settings = ws.settings()
    out = Path(out)
    chosen: Iterable[tuple[str, str]] | None = None
    without_id, unknown = 0, ()
    if member_ids is not None:
        found = dict(_members_by_id(ws, member_ids))
        unknown = tuple(m for m in member_ids if m not in found)
        chosen = [(m, found[m]) for m in member_ids if m in found]
        if not chosen:
            shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            raise ScorecardError(f"none of the member ids are in this workspace: {shown}")
    elif per_member:
        with ws.engine.connect() as conn:
            without_id = conn.execute(
                text("SELECT count(*) FROM member WHERE external_id IS NULL OR external_id = ''")
            ).scalar_one()
        chosen = _all_members(ws)  # streamed: a million members need not fit in a list
    pages = write_questionnaire(
        out,
        category=settings.get("category") or "products",
        paper=paper,
        members=chosen,
        programme=settings.get("programme_name", ""),
    )
    members = pages // 2 if chosen is not None else 0
    return QuestionnaireResult(out, pages, members, without_id, unknown)


def display_name(first: str | None, last: str | None) -> str:
    return " ".join(p.strip() for p in (first, last) if p and p.strip())


_MEMBER_SQL = "SELECT external_id, first_name, last_name FROM member"


def _all_members(ws: Workspace) -> Iterator[tuple[str, str]]:
    with ws.engine.connect() as conn:
        rows = conn.execute(
            text(f"{_MEMBER_SQL} WHERE external_id IS NOT NULL AND external_id <> '' ORDER BY id")
        )
        for ext, first, last in rows:
            yield ext, display_name(first, last)


def _members_by_id(ws: Workspace, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
    with ws.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join(f":m{i}" for i in range(len(chunk)))
            rows = conn.execute(
                text(f"{_MEMBER_SQL} WHERE external_id IN ({marks})"),
                {f"m{i}": m for i, m in enumerate(chunk)},
            )
            for ext, first, last in rows:
                yield ext, display_name(first, last)


# -- the two sides, laid out once --------------------------------------------------------------


def _define_sides(
    canv: Canvas, *, category: str, paper: str, programme: str, per_member: bool
) -> tuple[str, str]:
    width, height = page_size(paper)
    inner = width - 2 * MARGIN
    side1, side2, _printed = question_pages(category, inner)
    names = ("side1", "side2")
    canv.beginForm(names[0])
    _side_one(canv, width, height, category, programme, per_member)
    _fill(
        canv,
        Frame(MARGIN, MARGIN + FOOT, inner, height - 2 * MARGIN - FOOT - HEAD, **_NO_PAD),
        side1,
        1,
        paper,
    )
    canv.endForm()
    canv.beginForm(names[1])
    _side_two(canv, width, height, programme, per_member)
    side2.extend(_closing())
    _fill(
        canv,
        Frame(MARGIN, MARGIN + FOOT, inner, height - 2 * MARGIN - FOOT - HEAD2, **_NO_PAD),
        side2,
        2,
        paper,
    )
    canv.endForm()
    return names


_NO_PAD = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _fill(canv: Canvas, frame: Frame, story: list[Flowable], side: int, paper: str) -> None:
    frame.addFromList(story, canv)
    if story:
        raise LayoutError(
            f"the questionnaire does not fit on side {side} of {paper} paper: "
            f"{len(story)} block(s) left over"
        )


def _side_one(
    canv: Canvas, width: float, height: float, category: str, programme: str, per_member: bool
) -> None:
    fonts, st = font_set(), make_styles()
    top = height - MARGIN
    text_w = width - 2 * MARGIN - PANEL_W - 12  # left of the member panel
    lines = (
        (programme or PRODUCT, 9, 10.0, True, PALETTE.accent),
        (TITLE, 28, 17.0, True, PALETTE.ink),
        (
            f"About you and {category} · two sides · about 10 minutes",
            42,
            BODY,
            False,
            PALETTE.muted,
        ),
    )
    for line, down, size, bold, color in lines:
        shown, pt = fonts.fit(line, text_w, size, min_size=min(size, SMALL), bold=bold)
        canv.setFillColor(color)
        fonts.draw(canv, MARGIN, top - down, shown, pt, bold=bold)
    intro = Paragraph(
        fonts.markup(
            "Thank you for taking part. Tick one box in each row unless a question says "
            "otherwise, and write numbers in the boxes. There are no right or wrong answers."
        ),
        ParagraphStyle("intro", st.help, leftIndent=0),
    )
    _, h = intro.wrap(text_w, 40)
    intro.drawOn(canv, MARGIN, top - 48 - h)
    _panel(canv, width - MARGIN - PANEL_W, top - HEAD + 8, PANEL_W, HEAD - 8)
    if not per_member:
        x = width - MARGIN - PANEL_W + 10
        canv.setFillColor(PALETTE.muted)
        fonts.draw(canv, x, top - 22, "Member number", SMALL)
        _box(canv, x, top - 50, PANEL_W - 20, 20)
        fonts.draw(canv, x, top - 63, "As on your membership card", SMALL)
    _footer(canv, width, "Page 1 of 2 — please turn over")


def _side_two(canv: Canvas, width: float, height: float, programme: str, per_member: bool) -> None:
    fonts = font_set()
    top = height - MARGIN
    canv.setFillColor(PALETTE.muted)
    head, _ = fonts.fit(f"{programme or PRODUCT} · {TITLE} (continued)", 250, SMALL, min_size=SMALL)
    fonts.draw(canv, MARGIN, top - 10, head, SMALL)
    if not per_member:
        right = width - MARGIN
        _box(canv, right - 110, top - 13, 110, 15)
        fonts.draw(canv, right - 116, top - 10, "Member number", SMALL, align="right")
    _footer(canv, width, "Page 2 of 2 — thank you for taking part")


def _footer(canv: Canvas, width: float, right_text: str) -> None:
    fonts = font_set()
    canv.setStrokeColor(PALETTE.rule)
    canv.setLineWidth(0.5)
    canv.line(MARGIN, MARGIN + 11, width - MARGIN, MARGIN + 11)
    canv.setFillColor(PALETTE.muted)
    fonts.draw(canv, MARGIN, MARGIN, f"{PRODUCT} · {TITLE}", SMALL)
    fonts.draw(canv, width - MARGIN, MARGIN, right_text, SMALL, align="right")


def _panel(canv: Canvas, x: float, y: float, w: float, h: float) -> None:
    canv.saveState()
    canv.setStrokeColor(PALETTE.rule)
    canv.setLineWidth(0.6)
    canv.roundRect(x, y, w, h, 4, stroke=1, fill=0)
    canv.restoreState()


def _box(canv: Canvas, x: float, y: float, w: float, h: float) -> None:
    canv.saveState()
    canv.setStrokeColor(PALETTE.ink)
    canv.setLineWidth(0.6)
    canv.rect(x, y, w, h, stroke=1, fill=0)
    canv.restoreState()


def _closing() -> list[Flowable]:
    st = make_styles()
    thanks = ParagraphStyle("thanks", st.help, spaceBefore=10, textColor=PALETTE.ink)
    office = ParagraphStyle("office", st.help, spaceBefore=6)
    markup = font_set().markup
    return [
        Paragraph(
            markup(
                "Thank you! Please hand this form back to a member of staff, or bring it with "
                "you on your next visit."
            ),
            thanks,
        ),
        Paragraph(
            markup("For office use — typed in by: ______________   on: ____________"), office
        ),
    ]


# -- what each copy adds -----------------------------------------------------------------------


def _overlay(canv: Canvas, side: int, size: tuple[float, float], member_id: str, name: str) -> None:
    fonts = font_set()
    width, height = size
    top = height - MARGIN
    if side == 2:
        canv.setFillColor(PALETTE.ink)
        label = f"Member number {member_id}" + (f" · {name}" if name else "")
        label, pt = fonts.fit(label, 260, SMALL, min_size=SMALL)
        fonts.draw(canv, width - MARGIN, top - 10, label, pt, align="right")
        return
    qr_x = width - MARGIN - QR_SIZE - 12
    qr_y = top - HEAD + 8 + (HEAD - 8 - QR_SIZE) / 2
    draw_qr(canv, member_qr(member_id), qr_x, qr_y, QR_SIZE)
    x = width - MARGIN - PANEL_W + 10
    text_w = qr_x - x - 10
    canv.setFillColor(PALETTE.muted)
    fonts.draw(canv, x, top - 22, "Member number", SMALL)
    canv.setFillColor(PALETTE.ink)
    shown, pt = fonts.fit(member_id, text_w, 14, min_size=SMALL, bold=True)
    y = top - 40
    if shown == member_id:
        fonts.draw(canv, x, y, shown, pt, bold=True)
    else:  # never cut a member number short: break it over up to three lines
        for line in _break(member_id, text_w, SMALL, lines=3):
            fonts.draw(canv, x, y + 4, line, SMALL, bold=True)
            y -= 10
    if name:
        shown, pt = fonts.fit(name, text_w, 10, min_size=SMALL)
        fonts.draw(canv, x, max(y - 16, top - HEAD + 14), shown, pt)


def _break(text: str, width: float, size: float, *, lines: int) -> list[str]:
    """``text`` broken anywhere into at most ``lines`` lines of ``width`` (the last one cut)."""
    fonts = font_set()
    out: list[str] = []
    while text and len(out) < lines - 1:
        n = len(text)
        while n > 1 and fonts.width(text[:n], size, bold=True) > width:
            n -= 1
        out.append(text[:n])
        text = text[n:]
    if text:
        out.append(fonts.fit(text, width, size, min_size=size, bold=True)[0])
    return out
