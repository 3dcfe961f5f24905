"""The parts a paper form is made of: its paragraph styles, tick boxes and write-in boxes."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from reports.fonts import BOLD, REGULAR, font_set
from reports.pdf_base import PALETTE

BODY, SMALL = 9.0, 8.5  # point sizes: nothing on the form is smaller than SMALL
BOX = 9.0  # tick-box side
INDENT = 15.0  # question text and answers hang under the question number


@dataclass(frozen=True)
class Styles:
    question: ParagraphStyle
    help: ParagraphStyle
    detail: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle


@functools.cache
def make_styles() -> Styles:
    font_set()
    ink = PALETTE.ink
    question = ParagraphStyle(
        "q",
        fontName=REGULAR,
        fontSize=BODY,
        leading=11.5,
        textColor=ink,
        leftIndent=INDENT,
        firstLineIndent=-INDENT,
        spaceBefore=5,
        spaceAfter=2,
    )
    help = ParagraphStyle(
        "help",
        question,
        fontSize=SMALL,
        leading=10.5,
        firstLineIndent=0,
        textColor=PALETTE.muted,
        spaceBefore=0,
        spaceAfter=2,
    )
    return Styles(
        question=question,
        help=help,
        detail=ParagraphStyle("detail", help, textColor=ink),
        section=ParagraphStyle(
            "section",
            question,
            fontName=BOLD,
            fontSize=10.5,
            leading=13,
            leftIndent=0,
            firstLineIndent=0,
            textColor=PALETTE.accent,
            backColor=PALETTE.accent_soft,
            borderPadding=(2.5, 4, 2.5, 4),
            spaceBefore=9,
            spaceAfter=3,
        ),
        cell=ParagraphStyle(
            "cell",
            question,
            leftIndent=0,
            firstLineIndent=0,
            leading=10.5,
            spaceBefore=0,
            spaceAfter=0,
        ),
        head=ParagraphStyle(
            "head",
            question,
            fontSize=SMALL,
            leading=9.5,
            leftIndent=0,
            firstLineIndent=0,
            alignment=TA_CENTER,
            spaceBefore=0,
            spaceAfter=0,
            textColor=PALETTE.muted,
        ),
    )


# -- small flowables ---------------------------------------------------------------------------


class TickBox(Flowable):
    """An empty square to tick."""

    def __init__(self, size: float = BOX) -> None:
        super().__init__()
        self.size = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        tick_box(self.canv, 0, 0, self.size)


def tick_box(canv: Any, x: float, y: float, size: float = BOX) -> None:
    canv.saveState()
    canv.setStrokeColor(PALETTE.ink)
    canv.setFillColor(colors.white)
    canv.setLineWidth(0.6)
    canv.rect(x, y, size, size, stroke=1, fill=1)
    canv.restoreState()


class WriteIn(Flowable):
    """A box to write a number or a few words in."""

    def __init__(self, width: float, height: float = 13.0) -> None:
        super().__init__()
        self.width, self.height = width, height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(PALETTE.ink)
        self.canv.setFillColor(colors.white)
        self.canv.setLineWidth(0.6)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        self.canv.restoreState()


class ChoiceRow(Flowable):
    """Options side by side, each with a tick box in front, wrapped onto as many lines as needed."""

    GAP, LINE = 14.0, 14.0

    def __init__(self, labels: Sequence[str], indent: float = INDENT) -> None:
        super().__init__()
        self.labels = list(labels)
        self.indent = indent
        self._lines: list[list[tuple[float, str]]] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        fonts = font_set()
        lines: list[list[tuple[float, str]]] = [[]]
        x = self.indent
        for label in self.labels:
            w = BOX + 4 + fonts.width(label, BODY)
            if lines[-1] and x + w > aw:
                lines.append([])
                x = self.indent
            lines[-1].append((x, label))
            x += w + self.GAP
        self._lines = lines
        self.width, self.height = aw, len(lines) * self.LINE
        return self.width, self.height

    def draw(self) -> None:
        fonts = font_set()
        self.canv.setFillColor(PALETTE.ink)
        for n, line in enumerate(self._lines):
            y = self.height - (n + 1) * self.LINE + 3
            for x, label in line:
                tick_box(self.canv, x, y - 1, BOX)
                self.canv.setFillColor(PALETTE.ink)
                fonts.draw(self.canv, x + BOX + 4, y, label, BODY)
