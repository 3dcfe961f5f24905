"""Read member lists and survey exports (CSV in any common dialect, XLSX) as rows of cells.

``detect_format`` works out what a file is from its content; ``iter_raw_rows`` streams every
physical record; ``open_table`` finds the header (skipping title and note rows) and returns a
``Table`` whose ``rows()`` streams the data rows. The CSV and XLSX specifics live in
``survey.readers_csv`` and ``survey.readers_xlsx``; both import the shared types from here, so
this module imports them inside the functions that need them (which also keeps openpyxl
unloaded for CSV-only work).
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Literal

from scorecard.errors import ScorecardError

__all__ = [
    "Cell",
    "FileFormat",
    "ReadError",
    "Table",
    "detect_format",
    "iter_raw_rows",
    "open_table",
]


class ReadError(ScorecardError):
    """A file cannot be read as a table; the message is one line naming the file."""


Cell = str | int | float | bool | datetime | date | None

SAMPLE_BYTES = 64 * 1024  # how much of a file decides its format
HEADER_SCAN_ROWS = 30  # non-blank records searched for the header
COLUMN_SAMPLE_ROWS = 200  # data rows looked at to decide which headerless columns carry data


@dataclass(frozen=True)
class FileFormat:
    kind: Literal["csv", "xlsx"]
    encoding: str | None = None  # csv: "utf-8", "utf-8-sig", "utf-16", "cp1252", ...
    delimiter: str | None = None  # csv: one of , ; \t |
    sheet: str | None = None  # xlsx: the sheet read


def _fail(path: Path, message: str) -> ReadError:
    return ReadError(f"{path.name}: {message}")


# Leading bytes of files people drop in by mistake, with what to tell them.
_SAVE_AS = "open it in Excel (or Numbers, LibreOffice) and save it as .xlsx or CSV"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "this is an old Excel 97-2003 workbook (.xls) or a password-protected one; "
        f"{_SAVE_AS} without a password",
    ),
    (b"%PDF", "this is a PDF document, not a table; export the data as CSV or .xlsx instead"),
    (b"\x89PNG", "this is an image, not a table"),
    (b"\xff\xd8\xff", "this is an image, not a table"),
    (b"GIF8", "this is an image, not a table"),
    (b"\x1f\x8b", "this is a compressed (.gz) file; unpack it first"),
    (b"Rar!", "this is a compressed (.rar) archive; unpack it first"),
    (b"7z\xbc\xaf", "this is a compressed (.7z) archive; unpack it first"),
    (b"SQLite format 3", "this is a database file, not a table export"),
)


def detect_format(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> FileFormat:
    """What the file is, judged by its content rather than its name; given overrides win."""
    path = Path(path)
    head = _read_head(path)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        from survey import readers_xlsx

        readers_xlsx.check_workbook(path)
        return FileFormat("xlsx", sheet=readers_xlsx.choose_sheet(path, sheet))
    for magic, message in _MAGIC:
        if head.startswith(magic):
            raise _fail(path, message)
    lowered = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")):
        raise _fail(path, f"this is a web page (HTML), not a CSV or Excel file; {_SAVE_AS}")
    if lowered.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise _fail(path, f"this is an Excel 2003 XML spreadsheet; {_SAVE_AS}")

    from survey import readers_csv

    return readers_csv.detect_text_format(path, head, encoding=encoding, delimiter=delimiter)


def _read_head(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise _fail(path, "this is a folder, not a file; choose the CSV or Excel file in it")
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except FileNotFoundError:
        raise _fail(path, "file not found") from None
    except ReadError:
        raise
    except OSError as exc:
        raise _fail(path, f"cannot be opened ({exc.strerror or exc})") from None
    if not head:
        raise _fail(path, "the file is empty")
    return head


def iter_raw_rows(
    path: Path, fmt: FileFormat, *, warnings: list[str] | None = None
) -> Generator[tuple[int, list[Cell]], None, None]:
    """Every physical record as (row number as a spreadsheet shows it, cells), streamed.

    Problems worth telling the user that do not stop reading (characters that could not be
    decoded) are appended to ``warnings`` when a list is given.
    """
    path = Path(path)
    if fmt.kind == "xlsx":
        from survey import readers_xlsx

        return readers_xlsx.iter_rows(path, fmt)
    from survey import readers_csv

    return readers_csv.iter_rows(path, fmt, warnings if warnings is not None else [])


# ---------------------------------------------------------------------------------------------
# Tables

_TOTAL_LABELS = frozenset(
    {"total", "totals", "sum", "grand total", "totaal", "summe", "gesamt", "somme", "suma"}
)
_TOTAL_INITIALS = frozenset(
    " \t"
    + "".join(label[0] for label in _TOTAL_LABELS)
    + "".join(label[0].upper() for label in _TOTAL_LABELS)
)
_INVISIBLE = str.maketrans("", "", "\ufeff\u200b\u200c\u200d\u2060")
_BLANK = object()


def _first_filled(cells: list[Cell]) -> object:
    """First cell with content, or _BLANK for a blank row; the hot loop of Table.rows."""
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return cell
            continue
        return cell
    return _BLANK


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and (not cell or cell.isspace()))


def _is_total(first: object) -> bool:
    return (
        isinstance(first, str)
        and len(first) < 20
        and first.strip().rstrip(":").strip().casefold() in _TOTAL_LABELS
    )


def _as_text(cell: Cell) -> str:
    """A cell as header text, without the "n/a means blank" rules of values.clean_text."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell.hour == cell.minute == cell.second == 0:
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _clean_header(cells: list[str]) -> list[str]:
    """Trimmed, whitespace-collapsed names; blanks become "Column N", repeats "Email (2)"."""
    names: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(cells, start=1):
        name = " ".join(raw.translate(_INVISIBLE).split()) or f"Column {position}"
        unique, copy = name, 1
        while unique.casefold() in seen:
            copy += 1
            unique = f"{name} ({copy})"
        seen.add(unique.casefold())
        names.append(unique)
    return names


_NUMBER_START = re.compile(r"\s*[-+−(]?\s*[$€£¥]?\s*\d")


def _looks_numeric(cell: Cell) -> bool:
    """Numbers, dates and text that reads like one ("12", "$1,234", "2024-03-05", "5 PM")."""
    if not isinstance(cell, str):
        return cell is not None
    if not _NUMBER_START.match(cell):
        return False
    return sum(ch.isalpha() for ch in cell) <= 3


def _last_filled(cells: list[Cell]) -> int:
    """1-based position of the last cell with content; 0 for a blank row."""
    for index in range(len(cells) - 1, -1, -1):
        if _filled(cells[index]):
            return index + 1
    return 0


@dataclass
class Table:
    """A file's header and a way to stream its data rows."""

    path: Path
    format: FileFormat
    header_row: int  # 1-based row number of the (first) header row
    header: list[str]
    header_rows: list[list[str]]
    warnings: list[str] = field(default_factory=list)

    def _warn(self, message: str) -> None:
        if message not in self.warnings:  # rows() may run more than once
            self.warnings.append(message)

    def rows(self) -> Generator[tuple[int, list[Cell]], None, None]:
        """Data rows after the header: fitted to the header's width, blank rows skipped.

        A trailing total row ("Total", "Sum", ... followed only by blank rows) is dropped with
        a warning; a "Total" row with data after it is ordinary data. Re-opens the file on
        every call.
        """
        width = len(self.header)
        start = self.header_row + len(self.header_rows)
        pad: Cell = "" if self.format.kind == "csv" else None
        held: tuple[int, list[Cell]] | None = None  # a possible total row, until we know
        too_wide: list[int] = []
        raw_warnings: list[str] = []
        raw = iter_raw_rows(self.path, self.format, warnings=raw_warnings)
        try:
            for number, cells in raw:
                if number < start:
                    continue
                # Hot loop: the usual row starts with a filled text cell, checked inline.
                first = cells[0] if cells else None
                if first.__class__ is not str or not first or first.isspace():
                    first = _first_filled(cells)
                    if first is _BLANK:
                        continue
                if held is not None:
                    yield held
                    held = None
                if len(cells) != width:
                    if len(cells) < width:
                        cells = [*cells, *([pad] * (width - len(cells)))]
                    else:
                        if _last_filled(cells) > width:
                            too_wide.append(number)
                        cells = cells[:width]
                if first.__class__ is str and first[0] in _TOTAL_INITIALS and _is_total(first):
                    held = (number, cells)
                    continue
                yield number, cells
        finally:
            raw.close()
            for message in raw_warnings:
                self._warn(message)
        if held is not None:
            self._warn(f"Dropped the {_as_text(_first_filled(held[1]))!r} row at row {held[0]}")
        if too_wide:
            rows = ", ".join(map(str, too_wide[:5])) + (" and more" if len(too_wide) > 5 else "")
            self._warn(
                f"{len(too_wide)} row(s) have values beyond the last column with a header "
                f"(row {rows}); those values were ignored"
            )

    def peek(self, n: int = 20) -> list[list[Cell]]:
        """The first n data rows, for previews and column detection."""
        rows = self.rows()
        try:
            return [cells for _number, cells in islice(rows, n)]
        finally:
            rows.close()


def open_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_rows: int = 1,
    header_row: int | None = None,
) -> Table:
    """Detect the format, find the header (or use ``header_row``, 1-based) and return a Table.

    With ``header_rows`` > 1 that many consecutive rows form the header (SurveyMonkey 2,
    Qualtrics 3); ``header`` is built from the first of them.
    """
    path = Path(path)
    if header_rows < 1:
        raise ValueError("header_rows must be at least 1")
    fmt = detect_format(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    where = f"sheet {fmt.sheet!r} is empty" if fmt.kind == "xlsx" else "there is no data in it"
    warnings: list[str] = []
    raw = iter_raw_rows(path, fmt, warnings=warnings)
    try:
        # Records up to the end of the header search window (and the requested header).
        window: list[tuple[int, list[Cell]]] = []
        non_blank = 0
        for number, cells in raw:
            window.append((number, cells))
            if _last_filled(cells):
                non_blank += 1
            done = non_blank >= HEADER_SCAN_ROWS or len(window) >= 10 * HEADER_SCAN_ROWS
            if done and (header_row is None or number >= header_row + header_rows - 1):
                break
        if not non_blank:
            if fmt.kind == "xlsx":
                from survey import readers_xlsx

                others = [name for name, _ in readers_xlsx.sheet_list(path) if name != fmt.sheet]
                if others:
                    where += f" (other sheets: {', '.join(map(repr, others))})"
            raise _fail(path, where)
        if header_row is None:
            start, skipped, guessed = _find_header(window, header_rows)
        else:
            if header_row < 1 or header_row > window[-1][0]:
                raise _fail(path, f"there is no row {header_row} to use as the header")
            start = next(i for i, (number, _) in enumerate(window) if number == header_row)
            skipped, guessed = 0, False
        block = [cells for _, cells in window[start : start + header_rows]]
        block += [[]] * (header_rows - len(block))
        # Data sample: what follows the header, from the window and then from the stream.
        sample = [cells for _, cells in window[start + header_rows :]]
        for _number, cells in islice(raw, max(0, COLUMN_SAMPLE_ROWS - len(sample))):
            sample.append(cells)
    finally:
        raw.close()

    header_width = max(_last_filled(cells) for cells in block)
    data_width = max((_last_filled(cells) for cells in sample), default=0)
    width = max(header_width, data_width, 1)
    widest_raw = max(len(cells) for cells in [*block, *sample])
    if header_width < width:
        warnings.append(
            f"Columns {header_width + 1}-{width} have data but no header; "
            f"they are named 'Column {header_width + 1}' onwards"
            if width - header_width > 1
            else f"Column {width} has data but no header; it is named 'Column {width}'"
        )
    if widest_raw > width:
        count = widest_raw - width
        warnings.append(f"Ignored {count} empty column{'s' * (count != 1)} without a header")
    if skipped:
        plural = "s" * (skipped != 1)
        warnings.append(f"Skipped {skipped} title or note row{plural} above the header")
    first_header_row = window[start][0]
    if guessed:
        warnings.append(
            f"Could not tell which row holds the column names; used row {first_header_row}"
        )

    texts = [[_as_text(cell) for cell in cells[:width]] for cells in block]
    texts = [row + [""] * (width - len(row)) for row in texts]
    return Table(
        path=path,
        format=fmt,
        header_row=first_header_row,
        header=_clean_header(texts[0]),
        header_rows=texts,
        warnings=warnings,
    )


def _find_header(window: list[tuple[int, list[Cell]]], header_rows: int) -> tuple[int, int, bool]:
    """Index in window of the first header row, how many non-blank rows precede it, guessed?

    Title and note rows above a header have a single filled cell, or far fewer filled cells
    than the widest early row, or are mostly numbers and dates; the header is the first row
    whose filled cells (across the whole header block) number at least half the widest row's
    and are mostly text.
    """
    filled = [sum(map(_filled, cells)) for _, cells in window]
    widest = max(filled)
    need = max(2, math.ceil(widest / 2)) if widest >= 2 else 1
    candidates = [i for i, count in enumerate(filled) if count]
    for rank, i in enumerate(candidates):
        block = [cells for _, cells in window[i : i + header_rows]]
        union = {j for cells in block for j, cell in enumerate(cells) if _filled(cell)}
        cells = [cell for cell in window[i][1] if _filled(cell)]
        texty = sum(not _looks_numeric(cell) for cell in cells)
        if len(union) >= need and texty * 2 > len(cells):
            return i, rank, False
    # Nothing looks like a header: take the first wide-enough row, else the first row.
    for rank, i in enumerate(candidates):
        if filled[i] >= need:
            return i, rank, True
    return candidates[0], 0, True
