"""XLSX specifics: recognising a workbook, choosing the sheet, streaming rows with openpyxl.

openpyxl in read-only mode parses the sheet XML as it goes, so memory stays flat however many
rows there are. ``data_only=True`` gives the values Excel cached for formulas; a formula that
was never calculated (files written by scripts) reads as None.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Generator
from datetime import time, timedelta
from pathlib import Path

from survey.readers import Cell, FileFormat, ReadError, _fail

_SAVE_AS = "open it in Excel (or Numbers, LibreOffice) and save it as .xlsx or CSV"
_PLAIN = frozenset({str, int, float, type(None)})


def check_workbook(path: Path) -> None:
    """Raise ReadError unless the ZIP file at ``path`` is an Excel .xlsx/.xlsm workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError) as exc:
        raise _fail(path, f"this is a damaged or incomplete ZIP/Excel file ({exc})") from None
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise _fail(path, f"this is an Excel binary workbook (.xlsb); {_SAVE_AS}")
    if b"opendocument.spreadsheet" in mimetype:
        raise _fail(path, f"this is an OpenDocument spreadsheet (.ods); {_SAVE_AS}")
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        raise _fail(path, "this is a text document, not a table; export the data as CSV or .xlsx")
    raise _fail(
        path, "this is a ZIP archive, not a spreadsheet; unpack it and choose the file in it"
    )


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_list(path: Path) -> list[tuple[str, str]]:
    """(name, state) of each worksheet in workbook order, read from workbook.xml directly.

    Cheaper than opening the workbook with openpyxl, which sizes every sheet on opening.
    Chart sheets and macro sheets are left out: they hold no rows.
    """
    from xml.etree.ElementTree import ParseError, fromstring

    try:
        with zipfile.ZipFile(path) as archive:
            workbook = fromstring(archive.read("xl/workbook.xml"))
            names = set(archive.namelist())
            rels = (
                fromstring(archive.read("xl/_rels/workbook.xml.rels"))
                if "xl/_rels/workbook.xml.rels" in names
                else None
            )
    except (zipfile.BadZipFile, KeyError, OSError, ParseError, ValueError) as exc:
        raise _fail(path, f"this Excel file cannot be read ({exc})") from None
    targets = {}
    if rels is not None:
        for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
            targets[rel.get("Id")] = rel.get("Type", "")
    sheets = []
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        kind = targets.get(sheet.get(f"{_REL_NS}id"), "worksheet")
        if kind.endswith("worksheet"):
            sheets.append((sheet.get("name", ""), sheet.get("state", "visible")))
    return sheets


class _OpenSheet:
    """One worksheet of a workbook opened read-only; close() releases the file."""

    def __init__(self, path: Path, name: str | None) -> None:
        self.handle = path.open("rb")  # a file object: openpyxl judges names by suffix
        try:
            with warnings.catch_warnings():
                # openpyxl warns about parts it drops (data validation, default styles);
                # they do not matter for reading values.
                warnings.simplefilter("ignore")
                self.workbook, self.worksheet = _open_one_sheet(self.handle, name)
        except Exception as exc:  # openpyxl raises many types on damaged files
            self.handle.close()
            if isinstance(exc, ReadError):
                raise
            raise _fail(
                path, f"this Excel file cannot be read ({type(exc).__name__}: {exc})"
            ) from None
        if self.worksheet is None:
            self.close()
            raise _fail(path, f"there is no sheet {name!r}")

    def close(self) -> None:
        self.workbook.close()
        self.handle.close()


def _open_one_sheet(handle, name: str | None):  # type: ignore[no-untyped-def]
    """(workbook, worksheet or None) with only the wanted sheet set up.

    openpyxl's load_workbook builds every sheet, and a read-only sheet looks for its stored
    size on creation: when a writer left the size out (openpyxl's own write-only mode does),
    that is a parse of the whole sheet, per sheet, per opening. The size is not used here
    (see iter_rows), so this mirrors load_workbook's steps but skips that. Should openpyxl's
    internals change, it falls back to load_workbook.
    """
    try:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        class Sheet(ReadOnlyWorksheet):  # type: ignore[misc]
            def _get_size(self) -> None:
                pass

        reader = ExcelReader(handle, read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        for sheet, rel in reader.parser.find_sheets():
            if "worksheet" not in rel.Type or rel.target not in reader.valid_files:
                continue
            if name is None or sheet.name == name:
                return reader.wb, Sheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
        return reader.wb, None
    except (ImportError, AttributeError, TypeError):
        handle.seek(0)
    from openpyxl import load_workbook

    workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    if name is None:
        return workbook, workbook.worksheets[0] if workbook.worksheets else None
    return workbook, workbook[name] if name in workbook.sheetnames else None


def choose_sheet(path: Path, sheet: str | None) -> str:
    """Name of the sheet to read: ``sheet`` (matched case-insensitively) or the first visible."""
    sheets = sheet_list(path)
    if not sheets:
        raise _fail(path, "the workbook has no worksheets")
    if sheet is not None:
        for title, _state in sheets:
            if title == sheet:
                return title
        for title, _state in sheets:
            if title.casefold() == sheet.strip().casefold():
                return title
        names = ", ".join(repr(title) for title, _ in sheets)
        raise _fail(path, f"there is no sheet {sheet!r} (sheets: {names})")
    for title, state in sheets:
        if state == "visible":
            return title
    return sheets[0][0]


def _convert(value: object) -> Cell:
    """Cell values outside the Cell type (times, durations) as text."""
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return value  # type: ignore[return-value]  # bool, datetime, date pass through


def iter_rows(path: Path, fmt: FileFormat) -> Generator[tuple[int, list[Cell]], None, None]:
    """Stream (row number, values) for every row of the sheet, blank rows included.

    Trailing empty cells are trimmed, so rows vary in length as in CSV.
    """
    opened = _OpenSheet(path, fmt.sheet)
    try:
        worksheet = opened.worksheet
        # The stored size is often wrong (too small from some writers, A1:XFD1048576 from
        # formatting whole rows); without it openpyxl neither truncates nor pads rows.
        worksheet.reset_dimensions()
        number = 0
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = list(values)
                while cells and cells[-1] is None:
                    cells.pop()
                for index, value in enumerate(cells):
                    if type(value) not in _PLAIN:
                        cells[index] = _convert(value)
                yield number, cells
        except Exception as exc:  # damaged sheet XML surfaces only while iterating
            raise _fail(
                path, f"row {number + 1} of sheet {worksheet.title!r} cannot be read ({exc})"
            ) from None
    finally:
        opened.close()
