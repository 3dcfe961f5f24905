"""Writers of small, real-looking export files for the reader tests (written into tmp_path).

Each writer reproduces the awkward parts of a real export described in FORMATS.md: Shopify's
leading apostrophes, Excel's European CSV, "Unicode Text", hand-made workbooks and so on.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

SHOPIFY_HEADER = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip


def _csv_text(rows: list[list[str]], delimiter: str = ",", *, quote_all: bool = False) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return buffer.getvalue()


def shopify_csv(path: Path) -> Path:
    """Shopify customers_export.csv: UTF-8, comma, apostrophe-prefixed ids/phones/zips."""
    rows = [
        SHOPIFY_HEADER,
        [
            "'7012345678901", "Zoë", "de Vries", "zoe@example.nl", "yes", "", "Oudegracht 1", "",
            "Utrecht", "UT", "NL", "'3511 AB", "'+31612345678", "'+31612345678", "no",
            "1234.50", "12", "Prefers email.\nCalls back on Fridays.", "no", "vip, newsletter",
        ],
        [
            "'7012345678902", "Ahmed", "Yılmaz", "", "no", "", "", "", "İzmir", "", "TR",
            "'07028", "", "'+905321234567", "yes", "61.90", "1", "", "no", "",
        ],
        [
            "'7012345678903", "Chloé", "Martin", "chloe@example.fr", "yes", "Café Martin",
            "1 rue de Rivoli", "", "Paris", "", "FR", "'75001", "", "", "no", "19.99", "1",
            "", "no", "",
        ],
    ]  # fmt: skip
    path.write_bytes(_csv_text(rows).replace("\r\n", "\n").encode("utf-8"))
    return path


def european_csv(path: Path) -> Path:
    """Excel "CSV" saved in a Dutch/German locale: cp1252, ';', decimal comma, day-first."""
    rows = [
        ["Klantnummer", "Naam", "Plaats", "Omzet", "Lid sinds", "Nieuwsbrief"],
        ["1001", "José Müller", "Köln", "1.234,50", "05.03.2024", "ja"],
        ["1002", "Renée Dubois", "Liège", "12,5", "13.01.2023", "nee"],
        ["1003", "Søren Ærø", "Århus", "€ 99,95", "01.12.2022", "ja"],
    ]
    path.write_bytes(_csv_text(rows, ";").encode("cp1252"))
    return path


def unicode_text(path: Path) -> Path:
    """Excel "Unicode Text": UTF-16LE with BOM, tab-separated, CRLF."""
    rows = [
        ["Email", "Name", "Spent"],
        ["anna@example.se", "Anna Åström", "100"],
        ["li@example.cn", "李娜", "200.5"],
    ]
    path.write_bytes(_csv_text(rows, "\t").encode("utf-16"))  # "utf-16" writes the BOM
    return path


def utf8_bom_csv(path: Path, delimiter: str = ",") -> Path:
    """Excel "CSV UTF-8": a BOM before the first header."""
    rows = [["Email", "First Name", "Spent"], ["a@example.com", "Ana", "1"], ["b@x.de", "Bö", "2"]]
    path.write_bytes(_csv_text(rows, delimiter).encode("utf-8-sig"))
    return path


def pipe_csv(path: Path) -> Path:
    rows = [
        ["id", "email", "note"],
        ["1", "a@example.com", "likes a, b and c"],
        ["2", "b@example.com", 'said: "great|fast"'],
    ]
    path.write_bytes(_csv_text(rows, "|").encode("utf-8"))
    return path


def mac_classic_csv(path: Path) -> Path:
    """Old Mac line ends: CR only."""
    text = 'Email,Name\rann@example.com,Ann\r"bo@example.com","Bo\rBoson"\r'
    path.write_bytes(text.encode("mac_roman"))
    return path


def duplicate_headers_csv(path: Path) -> Path:
    """Repeated and blank header cells and trailing separators that carry nothing."""
    text = (
        "Email,Name,email,,Phone,,\n"
        "a@example.com,Ann,ann@work.example,x,0612,,\n"
        "\n"
        "b@example.com,Bob,,,,,\n"
        ",,,,,,\n"
        "c@example.com,Cy,,,,,\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def survey_monkey_csv(path: Path) -> Path:
    """SurveyMonkey expanded export: two header rows, question text above the first sub-column."""
    rows = [
        ["Respondent ID", "Collector ID", "Start Date", "End Date", "Email Address",
         "Which networks do you use?", "", "", "How likely are you to recommend us?"],
        ["", "", "", "", "", "Facebook", "Instagram", "Other (please specify)", "Response"],
        ["114", "2", "10/03/2026 04:05:06 PM", "10/03/2026 04:09:10 PM", "a@example.com",
         "Facebook", "", "Strava", "9"],
        ["115", "2", "10/04/2026 09:00:00 AM", "10/04/2026 09:01:00 AM", "b@example.com",
         "", "Instagram", "", "6"],
    ]  # fmt: skip
    path.write_bytes(_csv_text(rows).encode("utf-8"))
    return path


def handmade_xlsx(path: Path) -> Path:
    """A workbook a person made: hidden first sheet, title/notes rows, merged title, real dates
    and numbers, a hyperlink, blank rows and a Total row whose formulas have no cached value."""
    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "Lookup"
    hidden.append(["code", "meaning"])
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("Members")
    sheet["A1"] = "Loyalty members 2024"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "Exported by Marketing; spend in EUR"
    sheet.append([])  # row 3 blank
    sheet.append(["Member ID", "Name", "Email", "Joined", "Spend"])  # row 4
    sheet.append([1, "Anna", "anna@example.com", datetime(2021, 3, 5), 120.5])
    sheet.append([2, "Bram", "bram@example.com", date(2022, 11, 30), 80])
    sheet["C6"].hyperlink = "mailto:bram@example.com"
    sheet.append([])  # row 7 blank
    sheet.append([3, "Cas", None, datetime(2023, 1, 2, 10, 30), None])
    sheet.append([])
    sheet.append(["Total", None, None, None, "=SUM(E5:E8)"])  # row 10, never calculated
    sheet.append([])
    workbook.save(path)
    return path


def mixed_encoding_csv(path: Path, rows: int = 3000, bad_row: int = 2500) -> Path:
    """UTF-8 for most of the file, one Windows-1252 'é' deep down (a concatenated export)."""
    lines = [b"Email,Name\n"]
    for number in range(2, rows + 1):
        name = b"Ren\xe9e" if number == bad_row else f"Person {number}".encode()
        lines.append(b"p%d@example.com,%s\n" % (number, name))
    lines.append("last@example.com,Zoë\n".encode())
    path.write_bytes(b"".join(lines))
    return path


def member_csv_lines(rows: int, columns: int = 20) -> bytes:
    """A plain member CSV as bytes, for size and speed tests."""
    header = ",".join(["Email", "Name", "Spent"] + [f"Field {i}" for i in range(4, columns + 1)])
    filler = ",".join(f"value {i}" for i in range(4, columns + 1))
    body = "".join(f"m{n}@example.com,Member {n},{n % 997}.50,{filler}\n" for n in range(rows))
    return (header + "\n" + body).encode("utf-8")
