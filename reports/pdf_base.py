"""The shared platypus base for the PDFs: paper sizes, palette, styles, page furniture, tables.

The executive report and the member scorecards build on :class:`ReportDoc`: A4 or Letter, a
header (product and document title, workspace name) and a footer (date, "Page X of Y") on every
page, a table of contents (:func:`table_of_contents` + :func:`heading`), numeric tables
(:func:`data_table`: right-aligned numbers, zebra rows, header rows repeated after a page break)
and horizontal bars (:func:`bar`). All text is set in the embedded faces of :mod:`reports.fonts`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table
from reportlab.platypus.tableofcontents import TableOfContents
from reportlab.platypus.tables import TableStyle

from reports.fonts import BOLD, REGULAR, font_set

PRODUCT = "Social Scorecard"
PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MARGIN = 15 * mm


@contextmanager
def binary_streams() -> Iterator[None]:
    """Compressed page streams without the ASCII85 layer while writing: a quarter smaller, and
    without reportlab's C accelerator (rl_accel) ASCII85 is a third of the writing time."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def page_size(paper: str) -> tuple[float, float]:
    """(width, height) in points for ``"a4"`` or ``"letter"``."""
    try:
        return PAPERS[paper.lower()]
    except KeyError:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}") from None


class Palette(NamedTuple):
    """A small, calm palette that prints well in colour and in greyscale."""

    ink: colors.Color = colors.HexColor("#1F2933")
    muted: colors.Color = colors.HexColor("#5F6B7A")
    accent: colors.Color = colors.HexColor("#2C6E8F")
    accent_soft: colors.Color = colors.HexColor("#E3EEF4")
    rule: colors.Color = colors.HexColor("#C5CDD6")
    zebra: colors.Color = colors.HexColor("#F4F6F8")
    track: colors.Color = colors.HexColor("#E6E9ED")
    knowledge: colors.Color = colors.HexColor("#2C6E8F")
    participation: colors.Color = colors.HexColor("#D08C2E")
    reach: colors.Color = colors.HexColor("#5E8C4A")


PALETTE = Palette()


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name (registers the fonts on first use)."""
    font_set()
    ink, muted = PALETTE.ink, PALETTE.muted
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=ink)
    out = {
        "body": body,
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=20, leading=24),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=11, leading=14, textColor=muted),
        "h1": ParagraphStyle(
            "h1",
            body,
            fontName=BOLD,
            fontSize=14,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
            textColor=PALETTE.accent,
        ),
        "h2": ParagraphStyle(
            "h2", body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3
        ),
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=10.5, textColor=muted),
        "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5),
        "cell_head": ParagraphStyle("cell_head", body, fontName=BOLD, fontSize=8.5, leading=10.5),
        "toc1": ParagraphStyle("toc1", body, fontSize=10.5, leading=15, leftIndent=0),
        "toc2": ParagraphStyle("toc2", body, fontSize=9.5, leading=13, leftIndent=14),
    }
    out["cell_num"] = ParagraphStyle("cell_num", out["cell"], alignment=TA_RIGHT)
    out["cell_head_num"] = ParagraphStyle("cell_head_num", out["cell_head"], alignment=TA_RIGHT)
    return out


def para(text: str, style: str | ParagraphStyle = "body", *, bold: bool = False) -> Paragraph:
    """A Paragraph of plain text (escaped; runs the primary face lacks set in a fallback)."""
    st = styles()[style] if isinstance(style, str) else style
    return Paragraph(font_set().markup(text, bold=bold or st.fontName == BOLD), st)


def long_date(day: dt.date) -> str:
    """'5 March 2026': unambiguous in every country, whatever the locale."""
    return f"{day.day} {day:%B %Y}"


# -- page furniture ---------------------------------------------------------------------------


class NumberedCanvas(Canvas):
    """A canvas that holds its pages back until the end to print "Page X of Y" on each."""

    def __init__(self, *args: Any, page_label_at: tuple[float, float] = (0, 0), **kw: Any):
        super().__init__(*args, **kw)
        self._pages: list[dict[str, Any]] = []
        self._label_at = page_label_at

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFillColor(PALETTE.muted)
            x, y = self._label_at
            font_set().draw(self, x, y, f"Page {self._pageNumber} of {total}", 8.5, align="right")
            Canvas.showPage(self)
        Canvas.save(self)


class Heading(Paragraph):
    """A heading that goes into the table of contents and the PDF outline."""

    def __init__(self, text: str, level: int = 0) -> None:
        super().__init__(font_set().markup(text, bold=True), styles()["h1" if level == 0 else "h2"])
        self.toc_text = text
        self.toc_level = level


def heading(text: str, level: int = 0) -> Heading:
    return Heading(text, level)


def table_of_contents() -> TableOfContents:
    """A TOC filled from :func:`heading` flowables (needs :meth:`ReportDoc.build`'s passes)."""
    toc = TableOfContents()
    toc.levelStyles = [styles()["toc1"], styles()["toc2"]]
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else the table names Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return toc


class ReportDoc(BaseDocTemplate):
    """A4 or Letter pages with the header and footer every report shares."""

    def __init__(
        self,
        out: str | Path | BinaryIO,
        *,
        title: str,
        workspace: str,
        paper: str = "a4",
        day: dt.date | None = None,
        **kw: Any,
    ) -> None:
        size = page_size(paper)
        font_set()  # registers the faces the canvas starts with
        target = str(out) if isinstance(out, Path) else out
        super().__init__(
            target,
            pagesize=size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 8 * mm,
            bottomMargin=MARGIN + 6 * mm,
            title=f"{PRODUCT} — {title}",
            author=PRODUCT,
            creator=PRODUCT,
            initialFontName=REGULAR,
            **kw,
        )
        self.report_title = title
        self.workspace_name = workspace
        self.day = day or dt.date.today()
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="body", frames=[frame], onPage=self._furnish)])
        self._bookmarks = 0

    def _furnish(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        fonts = font_set()
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        top = height - MARGIN
        canv.saveState()
        canv.setFillColor(PALETTE.accent)
        fonts.draw(canv, left, top - 8.5, PRODUCT, 8.5, bold=True)
        canv.setFillColor(PALETTE.muted)
        at = left + fonts.width(PRODUCT, 8.5, bold=True) + 8
        fonts.draw(canv, at, top - 8.5, self.report_title, 8.5)
        fonts.draw(canv, right, top - 8.5, self.workspace_name, 8.5, align="right")
        canv.setStrokeColor(PALETTE.rule)
        canv.setLineWidth(0.5)
        canv.line(left, top - 13, right, top - 13)
        canv.line(left, MARGIN + 12, right, MARGIN + 12)
        fonts.draw(canv, left, MARGIN, long_date(self.day), 8.5)
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's name
        if isinstance(flowable, Heading):
            self._bookmarks += 1
            key = f"h{self._bookmarks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level)
            entry = font_set().markup(flowable.toc_text)
            self.notify("TOCEntry", (flowable.toc_level, entry, self.page, key))

    def build(  # type: ignore[override]
        self,
        flowables: list[Flowable],
        filename: str | None = None,
        canvasmaker: Any = None,
    ) -> None:
        """Lay out the story with "Page X of Y"; as many passes as a table of contents needs."""
        if canvasmaker is None:
            width = self.pagesize[0]
            maker = functools.partial(
                NumberedCanvas, page_label_at=(width - self.rightMargin, MARGIN)
            )
            if any(isinstance(f, TableOfContents) for f in flowables):
                self.multiBuild(flowables, canvasmaker=maker)
                return
            canvasmaker = maker
        super().build(flowables, filename, canvasmaker)

    def handle_documentBegin(self) -> None:  # reportlab's name
        self._bookmarks = 0
        super().handle_documentBegin()


# -- tables and bars -------------------------------------------------------------------------


def fmt_number(value: float | None, decimals: int = 0) -> str:
    """12,345 / 0.42 / '–' for missing."""
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def fmt_pct(share: float | None, decimals: int = 1) -> str:
    return "–" if share is None else f"{share * 100:.{decimals}f}%"


def data_table(
    rows: Sequence[Sequence[object]],
    *,
    header_rows: int = 1,
    numeric: Iterable[int] = (),
    col_widths: Sequence[float] | None = None,
    zebra: bool = True,
) -> Table:
    """A numeric table: numbers right-aligned, zebra rows, header rows repeated on new pages.

    Cells may be str (set as a Paragraph so it wraps and any script prints), int/float
    (formatted, right-aligned), None (a dash) or a Flowable. ``numeric`` names the columns to
    right-align (numbers always are).
    """
    right = set(numeric)
    for row in rows[header_rows:]:
        right.update(
            c for c, v in enumerate(row) if isinstance(v, int | float) and not isinstance(v, bool)
        )
    body = [
        [_cell(cell, r < header_rows, c in right) for c, cell in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    table = Table(body, colWidths=col_widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(table_style(header_rows=header_rows, numeric=right, zebra=zebra))
    return table


def _cell(cell: object, head: bool, right: bool) -> object:
    if isinstance(cell, Flowable):
        return cell
    if cell is None:
        text = "–"
    elif isinstance(cell, bool):
        text = "Yes" if cell else "No"
    elif isinstance(cell, int | float):
        text = fmt_number(cell, 0 if isinstance(cell, int) else 2)
    else:
        text = str(cell)
    return para(text, ("cell_head" if head else "cell") + ("_num" if right else ""))


def table_style(
    *, header_rows: int = 1, numeric: Iterable[int] = (), zebra: bool = True
) -> TableStyle:
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), PALETTE.ink),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, PALETTE.rule),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), PALETTE.accent_soft),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.75, PALETTE.ink),
        ]
    if zebra:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, PALETTE.zebra]))
    cmds += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in numeric]
    return TableStyle(cmds)


def bar(
    value: float | None,
    maximum: float = 1.0,
    *,
    width: float = 120,
    height: float = 8,
    color: colors.Color = PALETTE.accent,
    label: str | None = None,
) -> Drawing:
    """A horizontal bar on a grey track (a component's share of its maximum), as a Flowable.

    ``label`` is printed to the right of the track; the drawing is widened to hold it.
    """
    share = 0.0 if value is None or maximum <= 0 else min(max(value / maximum, 0.0), 1.0)
    label_w = font_set().width(label, 8.5) + 4 if label else 0
    d = Drawing(width + label_w, max(height, 10), initialFontName=REGULAR)
    y = (d.height - height) / 2
    d.add(Rect(0, y, width, height, fillColor=PALETTE.track, strokeColor=None))
    if share > 0:
        d.add(Rect(0, y, width * share, height, fillColor=color, strokeColor=None))
    if label:
        d.add(
            String(
                width + 4,
                y + height / 2 - 3,
                label,
                fontName=REGULAR,
                fontSize=8.5,
                fillColor=PALETTE.ink,
            )
        )
    d.hAlign = "LEFT"
    return d
