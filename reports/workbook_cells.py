"""Cells for the workbook: column-styled streaming sheets, text that stays text, shared styles.

openpyxl's write-only mode serialises every cell itself; what costs extra is styling. Its
public way to style a streamed cell is a fresh ``WriteOnlyCell`` per value (and, when one is
appended, an exception and a new cell inside openpyxl), which makes a styled sheet ~1.5× a bare
one. :class:`ColumnSheet` instead gives each column one styled cell that every row reuses, so a
row is appended as plain values and a number format costs nothing per cell. Excel applies the
``s`` (style) of each cell, not the column's, which is why the style has to be on every cell.

Imported text (names, e-mails, cities, file names, warnings) must never become a formula:
openpyxl turns any string starting with ``=`` into one. :func:`guard_column` checks a whole
chunk of a column with one regular-expression scan and only when something looks risky makes
:func:`text_cell` cells: data type text, plus Excel's quote prefix so that editing the cell
later does not turn it into a formula either. Characters XML cannot hold are dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence

import numpy as np
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# The PDF palette (reports.pdf_base.PALETTE), as hex for Excel.
MUTED = "5F6B7A"
ACCENT = "2C6E8F"
EDITABLE = "FFF4C2"  # the Weights cells a colleague may change
SEGMENT_COLOURS = ("2C6E8F", "D08C2E", "5E8C4A", "9AA5B1", "C5CDD6")  # Ambassadors … Not surveyed

SCORE = "0.0"
SHARE = "0.0%"
WHOLE = "#,##0"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd hh:mm"

RISKY_START = frozenset("=+-@")  # what a spreadsheet would run as a formula
_RISKY_LINE = re.compile(r"^[=+\-@]", re.MULTILINE)


class _ColumnCell(Cell):
    """The reused cell of one column: its style is fixed, so its style id is looked up once
    (openpyxl would hash the style for every cell written)."""

    __slots__ = ("_fixed_has", "_fixed_id")

    def __init__(self, sheet: WriteOnlyWorksheet, column: int, fmt: str | None) -> None:
        super().__init__(sheet, row=1, column=column)
        if fmt:
            self.number_format = fmt
        self._fixed_has = super().has_style
        self._fixed_id = super().style_id if self._fixed_has else 0

    @property
    def style_id(self) -> int:
        return self._fixed_id

    @property
    def has_style(self) -> bool:
        return self._fixed_has


class ColumnSheet(WriteOnlyWorksheet):
    """A write-only sheet whose columns each have one style, applied to every cell in them.

    Rows are appended as plain values (numbers, text, formulas; not dates, whose binding
    would change the shared cell's format); a value that is already a cell (a header, a text
    cell from :func:`text_cell`) is written as it is. ``None`` leaves the cell empty.
    """

    def __init__(self, parent: Workbook, title: str, formats: Sequence[str | None]) -> None:
        super().__init__(parent, title)
        self._column_cells = [_ColumnCell(self, col, fmt) for col, fmt in enumerate(formats, 1)]

    def _values_to_row(self, values: Sequence[object], row_idx: int) -> Iterator[Cell]:
        # openpyxl writes each cell as soon as it is yielded, so one cell per column can be
        # reused for every row (as openpyxl's own version reuses one unstyled cell).
        cells = self._column_cells
        for col, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                value.column = col
                value.row = row_idx
                yield value
                continue
            while col > len(cells):  # wider than the formats given: unstyled from here on
                cells.append(_ColumnCell(self, len(cells) + 1, None))
            cell = cells[col - 1]
            cell.value = value
            cell.row = row_idx
            yield cell


def add_column_sheet(wb: Workbook, title: str, formats: Sequence[str | None]) -> ColumnSheet:
    """A new :class:`ColumnSheet` at the end of a write-only workbook."""
    sheet = ColumnSheet(wb, title, formats)
    wb._add_sheet(sheet)  # what Workbook.create_sheet does for its own write-only sheets
    return sheet


def text_cell(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A cell holding ``value`` as text whatever it starts with (never a formula)."""
    cell = WriteOnlyCell(ws)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # openpyxl made it a formula if it started with "="
    cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    return cell


def safe_text(ws: WriteOnlyWorksheet, value: object) -> object:
    """Imported text as a plain string when harmless, else a :func:`text_cell`."""
    if value is None:
        return None
    text = str(value)
    if text[:1] in RISKY_START or ILLEGAL_CHARACTERS_RE.search(text):
        return text_cell(ws, text)
    return text


def guard_column(ws: WriteOnlyWorksheet, values: list[str | None]) -> list[object]:
    """A chunk of an imported text column, safe to append: one scan when nothing is risky."""
    joined = "\n".join(filter(None, values))
    if _RISKY_LINE.search(joined) is None and ILLEGAL_CHARACTERS_RE.search(joined) is None:
        return values  # type: ignore[return-value]
    return [safe_text(ws, v) for v in values]


def floats(values: np.ndarray) -> list[float | None]:
    """A float array as Python floats, NaN as None (an empty cell)."""
    out: list[float | None] = values.tolist()
    for i in np.flatnonzero(np.isnan(values)).tolist():
        out[i] = None
    return out


def number(value: float | None) -> float | None:
    """One number for a cell: NaN and infinities as empty."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def styled(ws: WriteOnlyWorksheet, value: object, *, fmt: str | None = None,
           bold: bool = False, size: float | None = None, colour: str | None = None,
           fill: str | None = None, wrap: bool = False) -> WriteOnlyCell:
    """One styled cell for the small sheets (titles, labels, figures)."""
    cell = WriteOnlyCell(ws, value=value)
    if bold or size or colour:
        cell.font = Font(bold=bold, size=size, color=colour)
    if fmt:
        cell.number_format = fmt
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def header_row(ws: WriteOnlyWorksheet, labels: Sequence[str]) -> list[WriteOnlyCell]:
    """Bold white-on-accent header cells."""
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=ACCENT)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def set_widths(ws: WriteOnlyWorksheet, widths: Sequence[float]) -> None:
    """Column widths in characters; before the first row of a write-only sheet."""
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def print_wide(ws: WriteOnlyWorksheet, landscape: bool = True) -> None:
    """Printed one page wide (as many pages tall as needed); before the first row."""
    if landscape:
        ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def local_time(when: dt.datetime) -> dt.datetime:
    """A stored (UTC) time as the naive local time Excel can hold."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().replace(tzinfo=None)


def discard(wb: Workbook) -> None:
    """Close and delete the temporary files of an unsaved write-only workbook."""
    for sheet in wb._sheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        try:
            rows = getattr(sheet, "_rows", None)
            if rows is not None:
                rows.close()
            writer.close()
            writer.cleanup()
        except Exception:  # best effort on the way out of an error
            pass
