"""Export the Members view as shown (its filter and its order) to an Excel workbook or CSV.

Rows stream from SQL a page at a time (``reports.member_view``) into openpyxl's write-only
workbook, so a million members never sit in memory. Text that came from imported files is
written as text, never as a formula: in the workbook a value starting with ``= + - @`` is a
string cell with Excel's quote prefix (the text is kept exactly); in CSV, which has no cell
types, it gets a leading apostrophe. The file appears only when complete: the work goes to a
temporary file that replaces the target at the end, so a cancel or an error leaves nothing.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.member_view import COLUMNS, HEADERS, ViewSpec, iter_rows, latest_run, ordered_ids
from scorecard.errors import Cancelled
from scorecard.workspace import Workspace

Progress = Callable[[float, str], None]
FORMULA_STARTS = ("=", "+", "-", "@")
SHEET_ROWS = 1_048_576  # Excel's limit, header included; more members continue on a new sheet
_WIDTHS = {"ID": 16, "Name": 28, "Email": 32, "City": 18, "Spend": 12, "Orders": 8,
           "Segment": 14}  # fmt: skip
_FORMATS = {"Spend": "#,##0.00", "Orders": "0"}


def export_view(
    ws: Workspace,
    path: str | Path,
    *,
    ids: np.ndarray | None = None,
    spec: ViewSpec | None = None,
    run_id: int | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Write the members ``ids`` (default: those of ``spec``) to ``path`` (.xlsx or .csv, by its
    suffix) with the Members columns; return the number of members written."""
    path = Path(path)
    with ws.engine.connect() as conn:
        if run_id is None:
            run_id = latest_run(conn)
        if ids is None:
            ids = ordered_ids(conn, spec or ViewSpec(), run_id)
    write = _write_csv if path.suffix.lower() == ".csv" else _write_xlsx
    partial = path.with_name(f".{path.name}.partial")
    say = progress or (lambda _f, _m: None)
    try:
        pages = _pages(ws, ids, run_id, say, cancel)
        write(partial, pages)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    say(1.0, f"Exported {len(ids):,} members")
    return len(ids)


def _pages(ws: Workspace, ids: np.ndarray, run_id: int | None, say: Progress,
           cancel: Callable[[], bool] | None) -> Iterator[list[tuple[object, ...]]]:
    done = 0
    for page in iter_rows(ws, ids, run_id):
        if cancel is not None and cancel():
            raise Cancelled("export cancelled; no file was written")
        yield page
        done += len(page)
        say(done / max(len(ids), 1), f"Writing {done:,} of {len(ids):,} members…")


def _write_xlsx(path: Path, pages: Iterator[list[tuple[object, ...]]]) -> None:
    book = Workbook(write_only=True)
    sheet: _Sheet | None = None
    for page in pages:
        for values in page:
            if sheet is None or sheet.rows >= SHEET_ROWS:
                sheet = _Sheet(book)
            sheet.append(values)
    if sheet is None:
        _Sheet(book)
    book.save(path)


class _Sheet:
    """One Members sheet of the write-only workbook, with a frozen, filterable header.

    A write-only sheet turns each appended row into XML at once, so one styled cell per column
    is filled anew for every row instead of a new cell for each of a million numbers.
    """

    def __init__(self, book: Workbook) -> None:
        number = len(book.worksheets) + 1
        sheet = book.create_sheet("Members" if number == 1 else f"Members ({number})")
        sheet.freeze_panes = "A2"
        for index, column in enumerate(COLUMNS):
            sheet.column_dimensions[_letter(index)].width = _WIDTHS.get(column.header, 7)
        sheet.auto_filter.ref = f"A1:{_letter(len(COLUMNS) - 1)}1"
        # Printed: landscape, all columns on the page's width, the header on every page.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
        header = []
        for title in HEADERS:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        sheet.append(header)
        self.sheet, self.rows = sheet, 1
        self.numbers: dict[int, WriteOnlyCell] = {}
        for index, column in enumerate(COLUMNS):
            if column.number:  # scores as whole numbers, as the table shows them
                self.numbers[index] = WriteOnlyCell(sheet)
                self.numbers[index].number_format = _FORMATS.get(column.header, "0")
        self.texts = [WriteOnlyCell(sheet) for _ in COLUMNS]
        for cell in self.texts:
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited

    def append(self, values: tuple[object, ...]) -> None:
        row: list[object] = list(values)
        for index, value in enumerate(values):
            if isinstance(value, str):
                text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters break the XML
                if text.startswith(FORMULA_STARTS):
                    cell = self.texts[index]
                    cell.value = text
                    cell.data_type = "s"  # openpyxl would store "=…" as a formula
                    row[index] = cell
                else:
                    row[index] = text
            elif value is not None and index in self.numbers:
                cell = self.numbers[index]
                cell.value = value
                row[index] = cell
        self.sheet.append(row)
        self.rows += 1


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _write_csv(path: Path, pages: Iterator[list[tuple[object, ...]]]) -> None:
    # UTF-8 with BOM: Excel then shows accents and non-Latin names correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        for page in pages:
            out.writerows([csv_safe(v) for v in values] for values in page)


def csv_safe(value: object) -> object:
    """A CSV cell that a spreadsheet never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
