"""The paper questionnaire's questions as platypus flowables: tick boxes, grids, write-in boxes.

:func:`question_pages` walks the standard questionnaire (``survey.questionnaire``) and returns
the flowables of each printed page. Grid items become one table per grid (a row per item, a tick
box per option); the network items (which networks, how close-knit, how public, how many
people) become one table with a row per network, so a respondent reads across a row once; single
items become a row of tick boxes or a write-in box. Every visible item is printed exactly once
(:func:`printed_item_ids`); the member number (a hidden item) is printed by the page furniture.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from reports.fonts import REGULAR, font_set
from reports.form_parts import (
    BOX,
    INDENT,
    SMALL,
    ChoiceRow,
    Styles,
    TickBox,
    WriteIn,
    make_styles,
)
from reports.pdf_base import PALETTE
from survey.questionnaire import NETWORKS, QUESTIONNAIRE, S_NET, Item

ROW = 17.0  # height of a grid row (a tick box and its padding)
PAGE_TWO_FROM = S_NET  # the section that starts the second side


# -- questions ---------------------------------------------------------------------------------


@dataclass
class _Printer:
    category: str
    width: float
    st: Styles = field(default_factory=make_styles)
    number: int = 0
    printed: list[str] = field(default_factory=list)

    def text(self, template: str) -> str:
        return font_set().markup(template.format(category=self.category))

    def question(self, wording: str, help_text: str = "", markup: bool = False) -> list[Flowable]:
        """The numbered question (``wording`` is a template, or markup when ``markup``)."""
        self.number += 1
        accent = PALETTE.accent.hexval()[2:]
        out: list[Flowable] = [
            Paragraph(
                f'<font color="#{accent}"><b>{self.number}</b></font>&nbsp;&nbsp;&nbsp;'
                f"{wording if markup else self.text(wording)}",
                self.st.question,
            )
        ]
        if help_text:
            out.append(Paragraph(self.text(help_text), self.st.help))
        return out

    def cell(self, template: str) -> Paragraph:
        return Paragraph(self.text(template), self.st.cell)

    def head(self, template: str, letter: str = "") -> Paragraph:
        """A column heading; ``letter`` (a, b, …) is printed bold in front."""
        prefix = f"<b>{letter}</b>&nbsp;" if letter else ""
        return Paragraph(prefix + self.text(template), self.st.head)

    def grid(self, items: Sequence[Item]) -> list[Flowable]:
        """A grid question: one row per item, one tick box per option."""
        first = items[0]
        assert first.grid is not None
        n = len(first.options)
        longest_word = max(
            font_set().width(word, SMALL) for o in first.options for word in o.label.split()
        )
        opt_w = max(longest_word + 6, min(50.0, (self.width - INDENT - 150) / n))
        label_w = self.width - INDENT - n * opt_w
        rows: list[list[Any]] = [[""] + [self.head(o.label) for o in first.options]]
        for it in items:
            rows.append([self.cell(it.row or it.wording)] + [TickBox() for _ in it.options])
            self.printed.append(it.id)
        table = Table(rows, colWidths=[label_w] + [opt_w] * n, hAlign="RIGHT", repeatRows=1)
        table.setStyle(grid_style(len(rows), first_box_col=1))
        return [*self.question(first.grid.title, first.grid.help), table]

    def single(self, it: Item) -> list[Flowable]:
        self.printed.append(it.id)
        if it.kind in ("count", "number", "text"):
            guide = it.help or ""
            if it.kind == "count" and it.options:
                guide = f"{guide} Bands: {' · '.join(o.label for o in it.options)}.".strip()
            return [*self.question(it.wording, guide), _indented(WriteIn(110), self.width)]
        if it.kind == "scale" and all(_is_number(o.label) for o in it.options):
            return [*self.question(it.wording), self.number_scale(it)]
        note = " Tick all that apply." if it.kind == "multi" and "all" not in it.wording else ""
        return [
            *self.question(it.wording + note, it.help),
            ChoiceRow([o.label for o in it.options]),
        ]

    def number_scale(self, it: Item) -> Table:
        """0 … 10 in a row of boxes, the help's two anchors under the ends."""
        n = len(it.options)
        low, _, high = (it.help or "").partition(",")
        cell_w = min(30.0, (self.width - INDENT) / n)
        half = n // 2
        anchors: list[Any] = [""] * n
        anchors[0] = Paragraph(
            self.text(low.strip()), ParagraphStyle("lo", self.st.head, alignment=0)
        )
        anchors[half] = Paragraph(
            self.text(high.strip()), ParagraphStyle("hi", self.st.head, alignment=2)
        )
        rows = [[self.head(o.label) for o in it.options], [TickBox() for _ in it.options], anchors]
        table = Table(rows, colWidths=[cell_w] * n, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("SPAN", (0, 2), (half - 1, 2)),
                    ("SPAN", (half, 2), (-1, 2)),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return _indented(table, self.width)

    def legend(self, it: Item) -> str:
        """'1 Very loose · 2 Loose · … · 5 Very close-knit (most of them know each other well).'

        What the numbered columns mean; the grid's help explains the top label ("Very
        close-knit: most of them …"), so it goes in brackets after that label. The help's other
        sentences (skip the networks you don't use) are said once, by the question.
        """
        labels = [escape(o.label) for o in it.options]
        explained = ""
        if it.grid is not None and it.grid.help.startswith(it.options[-1].label + ":"):
            first = it.grid.help.split(". ")[0].rstrip(".")
            explained = f" ({self.text(first.partition(':')[2].strip())})"
        parts = [f"<b>{n}</b>&nbsp;{label}" for n, label in enumerate(labels, 1)]
        return " · ".join(parts) + explained + "."

    def networks(self, multi: Item | None, by_network: dict[str, list[Item]]) -> list[Flowable]:
        """One row per network: (a) uses it, (b) closeness, (c) publicness, (d) how many."""
        grids: dict[str, Item] = {}  # each network grid's first item, in questionnaire order
        reach: list[Item] = []
        for its in by_network.values():
            for it in its:
                if it.grid is not None:
                    grids.setdefault(it.grid.id, it)
                elif it.kind == "count":
                    reach.append(it)
        if len(grids) != 2 or not reach:
            raise ValueError("the paper layout expects two network grids and a count per network")
        b, c = grids.values()
        d = reach[0]
        assert b.grid is not None and c.grid is not None
        intro = multi.wording if multi else "Which of these networks do you use?"
        lines = [
            f"<b>b</b>&nbsp;&nbsp;{self.text(b.grid.title)} {self.legend(b)}",
            f"<b>c</b>&nbsp;&nbsp;{self.text(c.grid.title)} {self.legend(c)}",
            f"<b>d</b>&nbsp;&nbsp;About how many people are you in touch with there? "
            f"{self.text(d.help)} Bands: {' · '.join(o.label for o in d.options)}.",
        ]
        out = self.question(
            f"<b>a</b>&nbsp;&nbsp;{self.text(intro)} "
            "For each network you tick, answer b, c and d on the same row.",
            markup=True,
        )
        out += [Paragraph(line, self.st.detail) for line in lines]
        nb, nc = len(b.options), len(c.options)
        opt_w, use_w, count_w = 24.0, 40.0, 68.0
        label_w = self.width - INDENT - use_w - (nb + nc) * opt_w - count_w
        head1 = (
            ["", self.head("I use it", "a"), self.head("How close-knit?", "b")]
            + [""] * (nb - 1)
            + [self.head("How public?", "c")]
            + [""] * (nc - 1)
            + [self.head("How many people?", "d")]
        )
        numbers = [self.head(str(i)) for i in range(1, nb + 1)]
        numbers += [self.head(str(i)) for i in range(1, nc + 1)]
        head2 = ["", "", *numbers, ""]
        rows: list[list[Any]] = [head1, head2]
        for net in NETWORKS:
            its = by_network.get(net.key)
            if not its:
                continue
            row: list[Any] = [self.cell(net.label), TickBox()]
            row += [TickBox() for _ in range(nb + nc)] + [WriteIn(count_w - 10)]
            rows.append(row)
            self.printed.extend(it.id for it in its)
        if multi is not None:
            self.printed.append(multi.id)
        widths = [label_w, use_w] + [opt_w] * (nb + nc) + [count_w]
        table = Table(rows, colWidths=widths, hAlign="RIGHT", repeatRows=2)
        style = grid_style(len(rows), first_box_col=1, header_rows=2)
        last = 1 + nb + nc + 1
        for cmd in (
            ("SPAN", (2, 0), (1 + nb, 0)),
            ("SPAN", (2 + nb, 0), (1 + nb + nc, 0)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (last, 0), (last, 1)),
            ("LINEBEFORE", (1, 0), (1, -1), 0.5, PALETTE.rule),
            ("LINEBEFORE", (2, 0), (2, -1), 0.5, PALETTE.rule),
            ("LINEBEFORE", (2 + nb, 0), (2 + nb, -1), 0.5, PALETTE.rule),
            ("LINEBEFORE", (last, 0), (last, -1), 0.5, PALETTE.rule),
        ):
            style.add(*cmd)
        table.setStyle(style)
        return [*out, Spacer(1, 2), table]


def grid_style(n_rows: int, *, first_box_col: int, header_rows: int = 1) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (first_box_col, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, header_rows), (0, -1), 4),
            ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [PALETTE.zebra, colors.white]),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, PALETTE.muted),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, PALETTE.rule),
            ("TOPPADDING", (0, header_rows), (-1, -1), (ROW - BOX) / 2),
            ("BOTTOMPADDING", (0, header_rows), (-1, -1), (ROW - BOX) / 2),
        ]
    )


def _indented(flowable: Flowable, width: float) -> Table:
    """``flowable`` placed under the question text (past the number's hanging indent)."""
    table = Table([[flowable]], colWidths=[width - INDENT], hAlign="RIGHT")
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("FONTNAME", (0, 0), (-1, -1), REGULAR)])
    )
    return table


def _is_number(label: str) -> bool:
    return label.isdigit()


def _groups(items: Sequence[Item]) -> Iterator[tuple[str, list[Item]]]:
    """Consecutive visible items grouped: ('grid', rows), ('networks', items), ('single', [it])."""
    network_keys = {n.key for n in NETWORKS}
    i = 0
    while i < len(items):
        it = items[i]
        if it.network is not None or (
            it.kind == "multi" and it.options and {o.code for o in it.options} <= network_keys
        ):
            j = i
            while j < len(items) and (items[j].network is not None or items[j] is it):
                j += 1
            yield "networks", list(items[i:j])
        elif it.grid is not None:
            j = i
            while j < len(items) and items[j].grid == it.grid:
                j += 1
            yield "grid", list(items[i:j])
        else:
            j = i + 1
            yield "single", [it]
        i = j


def question_pages(category: str, width: float) -> tuple[list[Flowable], list[Flowable], list[str]]:
    """The flowables of side one and side two, and the ids of the items printed."""
    printer = _Printer(category, width)
    pages: tuple[list[Flowable], list[Flowable]] = ([], [])
    visible = [it for it in QUESTIONNAIRE if not it.hidden]
    section = None
    page = 0
    for kind, items in _groups(visible):
        if items[0].section != section:
            section = items[0].section
            if section == PAGE_TWO_FROM:
                page = 1
            pages[page].append(Paragraph(printer.text(section), printer.st.section))
        if kind == "grid":
            pages[page].extend(printer.grid(items))
        elif kind == "networks":
            multi = next((it for it in items if it.network is None), None)
            by_network: dict[str, list[Item]] = {}
            for it in items:
                if it.network is not None:
                    by_network.setdefault(it.network, []).append(it)
            pages[page].extend(printer.networks(multi, by_network))
        else:
            pages[page].extend(printer.single(items[0]))
    return pages[0], pages[1], printer.printed


def printed_item_ids(category: str = "products", width: float = 500) -> list[str]:
    """The ids of the items the paper form prints, in order (each once)."""
    return question_pages(category, width)[2]
