"""File readers: real-looking exports in, header and rows out; bad files give a clear ReadError."""

from __future__ import annotations

import os
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from survey.readers import (
    FileFormat,
    ReadError,
    Table,
    detect_format,
    iter_raw_rows,
    open_table,
)
from survey.values import (
    clean_text,
    detect_decimal_separator,
    infer_date_order,
    parse_amount,
    parse_bool,
    parse_date,
)
from tests import fixtures_files as files


def read_all(table: Table) -> list[tuple[int, list]]:
    return list(table.rows())


# --- member-list exports ---------------------------------------------------------------------


def test_shopify_export(tmp_path):
    table = open_table(files.shopify_csv(tmp_path / "customers_export.csv"))
    assert table.format == FileFormat("csv", encoding="utf-8", delimiter=",")
    assert table.header == files.SHOPIFY_HEADER
    assert table.header_row == 1
    rows = read_all(table)
    # the note with a newline is one record, so the next customer is spreadsheet row 3
    assert [number for number, _ in rows] == [2, 3, 4]
    first = dict(zip(table.header, rows[0][1], strict=True))
    assert first["Customer ID"] == "'7012345678901"  # readers keep the text as it is...
    assert clean_text(first["Customer ID"]) == "7012345678901"  # ...values.clean_text trims it
    assert clean_text(first["Default Address Zip"]) == "3511 AB"
    assert first["Note"] == "Prefers email.\nCalls back on Fridays."
    assert parse_bool(first["Accepts Email Marketing"]) is True
    sms_only = dict(zip(table.header, rows[1][1], strict=True))
    assert sms_only["Email"] == ""
    assert clean_text(sms_only["Default Address Zip"]) == "07028"
    assert table.warnings == []


def test_excel_european_csv(tmp_path):
    table = open_table(files.european_csv(tmp_path / "klanten.csv"))
    assert table.format.encoding == "cp1252"
    assert table.format.delimiter == ";"
    rows = [cells for _, cells in read_all(table)]
    assert rows[0][1:3] == ["José Müller", "Köln"]
    assert rows[2][1] == "Søren Ærø"
    amounts = [row[3] for row in rows]
    decimal = detect_decimal_separator(amounts)
    assert decimal == ","
    assert [parse_amount(a, decimal) for a in amounts] == [1234.5, 12.5, 99.95]
    dates = [row[4] for row in rows]
    order = infer_date_order(dates)
    assert order == "dmy"
    assert parse_date(dates[0], order) == datetime(2024, 3, 5).date()


def test_unicode_text_utf16_tab(tmp_path):
    table = open_table(files.unicode_text(tmp_path / "members.txt"))
    assert table.format == FileFormat("csv", encoding="utf-16", delimiter="\t")
    assert table.header == ["Email", "Name", "Spent"]
    assert read_all(table) == [
        (2, ["anna@example.se", "Anna Åström", "100"]),
        (3, ["li@example.cn", "李娜", "200.5"]),
    ]


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes("Email\tName\r\nx@example.com\tJé\r\n".encode("utf-16-le"))
    table = open_table(path)
    assert table.format.encoding == "utf-16-le"
    assert read_all(table) == [(2, ["x@example.com", "Jé"])]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_utf8_bom_is_not_part_of_the_first_header(tmp_path, delimiter):
    table = open_table(files.utf8_bom_csv(tmp_path / "bom.csv", delimiter))
    assert table.format.encoding == "utf-8-sig"
    assert table.format.delimiter == delimiter
    assert table.header[0] == "Email"
    assert table.header_rows[0][0] == "Email"


def test_pipe_delimited_with_quoted_pipe(tmp_path):
    table = open_table(files.pipe_csv(tmp_path / "pipe.txt"))
    assert table.format.delimiter == "|"
    assert read_all(table)[1] == (3, ["2", "b@example.com", 'said: "great|fast"'])


def test_mac_classic_line_ends(tmp_path):
    table = open_table(files.mac_classic_csv(tmp_path / "mac.csv"))
    assert table.header == ["Email", "Name"]
    assert read_all(table) == [
        (2, ["ann@example.com", "Ann"]),
        (3, ["bo@example.com", "Bo\rBoson"]),
    ]


def test_duplicate_and_headerless_columns_and_blank_rows(tmp_path):
    table = open_table(files.duplicate_headers_csv(tmp_path / "dups.csv"))
    # "email" repeats "Email" (case-insensitively); the blank header above data is named;
    # the two trailing headerless, empty columns are dropped.
    assert table.header == ["Email", "Name", "email (2)", "Column 4", "Phone"]
    assert table.warnings == ["Ignored 2 empty columns without a header"]
    assert read_all(table) == [
        (2, ["a@example.com", "Ann", "ann@work.example", "x", "0612"]),
        (4, ["b@example.com", "Bob", "", "", ""]),
        (6, ["c@example.com", "Cy", "", "", ""]),
    ]


def test_header_cleaning(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text(' E-mail \u200b,"First\n  Name",,Tags ,Tags,TAGS\nx@y.nl,A,b,c,d,e\n')
    table = open_table(path)
    assert table.header == ["E-mail", "First Name", "Column 3", "Tags", "Tags (2)", "TAGS (3)"]
    assert table.header_rows == [[" E-mail \u200b", "First\n  Name", "", "Tags ", "Tags", "TAGS"]]


def test_title_rows_above_csv_header(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "Member export\nGenerated on,2024-03-01,,\n\nEmail,Name,Spend,City\n"
        "a@example.com,Ann,12,Delft\nb@example.com,Bo,13,Gouda\n"
    )
    table = open_table(path)
    assert table.header_row == 4
    assert table.header == ["Email", "Name", "Spend", "City"]
    assert table.warnings == ["Skipped 2 title or note rows above the header"]
    assert [number for number, _ in read_all(table)] == [5, 6]


def test_explicit_header_row(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Member export\nEmail,Name\na@example.com,Ann\n")
    table = open_table(path, header_row=2)
    assert (table.header_row, table.header) == (2, ["Email", "Name"])
    with pytest.raises(ReadError, match="no row 9"):
        open_table(path, header_row=9)


def test_total_row_at_the_end_is_dropped(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("Name,Spend\nAnn,10\nBo,20\nTotal:,30\n,\n\n")
    table = open_table(path)
    assert read_all(table) == [(2, ["Ann", "10"]), (3, ["Bo", "20"])]
    assert table.warnings == ["Dropped the 'Total:' row at row 4"]


def test_total_row_followed_by_data_is_kept(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("Name,Spend\nTotal,10\nBo,20\n")
    assert read_all(open_table(path)) == [(2, ["Total", "10"]), (3, ["Bo", "20"])]


def test_rows_wider_than_the_header_are_cut_with_a_warning(tmp_path):
    path = tmp_path / "wide.csv"
    lines = ["Email,Name"] + [f"p{n}@example.com,P{n}" for n in range(300)] + ["z@x.nl,Z,extra"]
    path.write_text("\n".join(lines) + "\n")
    table = open_table(path)
    rows = read_all(table)
    assert rows[-1] == (302, ["z@x.nl", "Z"])
    assert table.warnings == [
        "1 row(s) have values beyond the last column with a header (row 302); "
        "those values were ignored"
    ]


def test_short_rows_are_padded(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\n1\n")
    assert read_all(open_table(path)) == [(2, ["1", "", ""])]


def test_survey_monkey_two_header_rows(tmp_path):
    table = open_table(files.survey_monkey_csv(tmp_path / "sm.csv"), header_rows=2)
    assert table.header_row == 1
    assert table.header[5:] == [
        "Which networks do you use?",
        "Column 7",
        "Column 8",
        "How likely are you to recommend us?",
    ]
    assert table.header_rows[1][5:] == [
        "Facebook",
        "Instagram",
        "Other (please specify)",
        "Response",
    ]
    assert [number for number, _ in read_all(table)] == [3, 4]


def test_qualtrics_three_header_rows(tmp_path):
    path = tmp_path / "qualtrics.csv"
    path.write_bytes(
        (
            "StartDate,EndDate,ResponseId,Q1,Q5_1,Q5_2\r\n"
            "Start Date,End Date,Response ID,How old are you?,Networks - Facebook,"
            '"Networks - X, Twitter"\r\n'
            '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""endDate""}",'
            '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}",'
            '"{""ImportId"":""QID5"",""choiceId"":""1""}","{""ImportId"":""QID5"",""choiceId"":""2""}"\r\n'
            "2026-10-03 16:05:06,2026-10-03 16:09:00,R_1,34,1,\r\n"
        ).encode("utf-8-sig")
    )
    table = open_table(path, header_rows=3)
    assert table.header == ["StartDate", "EndDate", "ResponseId", "Q1", "Q5_1", "Q5_2"]
    assert table.header_rows[1][5] == "Networks - X, Twitter"
    assert table.header_rows[2][4] == '{"ImportId":"QID5","choiceId":"1"}'
    assert read_all(table) == [
        (4, ["2026-10-03 16:05:06", "2026-10-03 16:09:00", "R_1", "34", "1", ""])
    ]


def test_overrides_win(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes("a;b,c\nJosé;x,y\n".encode("cp1252"))
    fmt = detect_format(path, encoding="latin-1", delimiter=",")
    assert fmt == FileFormat("csv", encoding="iso8859-1", delimiter=",")
    assert read_all(open_table(path, delimiter="tab", encoding="cp1252")) == [(2, ["José;x,y"])]
    with pytest.raises(ReadError, match="not an encoding"):
        detect_format(path, encoding="klingon")
    with pytest.raises(ReadError, match="cannot be used as a column separator"):
        detect_format(path, delimiter="ab")


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Naam;Stad\nJosé;Liège\n", "cp1252", "cp1252"),
        ("Name;Straße\nJürgen Weiß;Königsallee\n", "cp1252", "cp1252"),
        ("Imię;Miasto\nŁukasz Żółć;Łódź\nGrzegorz Brzęczyszczykiewicz;Chrząszczyrzewoszyce\n",
         "cp1250", "cp1250"),
        ("Имя;Город\nИван Петров;Москва\nОльга Смирнова;Санкт-Петербург\n", "cp1251", "cp1251"),
        ("Email,Name\na@b.nl,Zoë\n", "utf-8", "utf-8"),
    ],
)  # fmt: skip
def test_encoding_detection(tmp_path, text, encoding, expected):
    path = tmp_path / "enc.csv"
    path.write_bytes(text.encode(encoding))
    table = open_table(path)
    assert table.format.encoding == expected
    first_row = read_all(table)[0][1]
    assert first_row == text.splitlines()[1].split(table.format.delimiter)


def test_legacy_bytes_only_deep_in_the_file_are_detected(tmp_path):
    # ASCII for the first 64 KiB, then Windows-1252: the middle/end samples catch it.
    lines = ["Email,Name"] + [f"p{n}@example.com,Person {n}" for n in range(6000)]
    lines.append("x@example.com,Renée")
    path = tmp_path / "late.csv"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    table = open_table(path)
    assert table.format.encoding == "cp1252"
    assert read_all(table)[-1][1] == ["x@example.com", "Renée"]


def test_stray_legacy_byte_in_utf8_file_is_read_and_named(tmp_path):
    path = files.mixed_encoding_csv(tmp_path / "mixed.csv", rows=5000, bad_row=4321)
    table = open_table(path)
    assert table.format.encoding == "utf-8"
    rows = dict(read_all(table))
    assert rows[4321] == ["p4321@example.com", "Renée"]
    assert rows[5001] == ["last@example.com", "Zoë"]
    assert len(rows) == 5000
    assert table.warnings == [
        "Some characters in row 4321 are not valid UTF-8 and were read as Windows-1252; "
        "check names with accents, or choose the file's encoding"
    ]


def test_undecodable_bytes_with_a_forced_encoding_do_not_stop_reading(tmp_path):
    path = tmp_path / "forced.csv"
    path.write_bytes(b"Email,Name\n" + b"a@b.nl,Ann\n" * 3000 + b"c@d.nl,Ren\xe9e\n" * 7)
    table = open_table(path, encoding="utf-8")
    rows = read_all(table)
    assert rows[-1] == (3008, ["c@d.nl", "Renée"])
    assert table.warnings[0].startswith("Some characters in row 3002 are not valid UTF-8")
    assert table.warnings[-1] == "... and the same in 2 more rows"


def test_unclosed_quote_is_reported(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('a,b\n1,"never closed\n' + "x,y\n" * 200)
    table = open_table(path)
    rows = read_all(table)
    assert len(rows) == 1
    assert "probably a quote" in table.warnings[-1]


def test_rows_can_be_read_twice_without_repeating_warnings(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("Name,Spend\nAnn,10\nTotal,10\n")
    table = open_table(path)
    assert read_all(table) == read_all(table) == [(2, ["Ann", "10"])]
    assert table.warnings == ["Dropped the 'Total' row at row 3"]
    assert table.peek(5) == [["Ann", "10"]]


def test_iter_raw_rows_gives_every_record(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text('a,b\n\n"multi\nline",2\n,\n')
    fmt = detect_format(path)
    assert list(iter_raw_rows(path, fmt)) == [
        (1, ["a", "b"]),
        (2, []),
        (3, ["multi\nline", "2"]),
        (4, ["", ""]),
    ]


def test_reading_streams(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(files.member_csv_lines(100_000, columns=10))  # about 10 MB
    assert path.stat().st_size > 8_000_000
    tracemalloc.start()
    try:
        table = open_table(path)
        rows = table.rows()
        first = next(rows)
        count = 1 + sum(1 for _ in rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first[0] == 2
    assert count == 100_000
    assert peak < 3_000_000  # a window of rows, never the file


# --- XLSX ------------------------------------------------------------------------------------


def test_handmade_workbook(tmp_path):
    table = open_table(files.handmade_xlsx(tmp_path / "members.xlsx"))
    assert table.format == FileFormat("xlsx", sheet="Members")  # the hidden first sheet is skipped
    assert table.header_row == 4
    assert table.header == ["Member ID", "Name", "Email", "Joined", "Spend"]
    assert read_all(table) == [
        (5, [1, "Anna", "anna@example.com", datetime(2021, 3, 5), 120.5]),
        (6, [2, "Bram", "bram@example.com", datetime(2022, 11, 30), 80]),
        (8, [3, "Cas", None, datetime(2023, 1, 2, 10, 30), None]),
    ]
    assert table.warnings == [
        "Skipped 2 title or note rows above the header",
        "Dropped the 'Total' row at row 10",
    ]


def test_workbook_sheet_choice(tmp_path):
    path = files.handmade_xlsx(tmp_path / "members.xlsx")
    assert open_table(path, sheet="lookup").header == ["code", "meaning"]
    with pytest.raises(ReadError, match=r"no sheet 'Nope' \(sheets: 'Lookup', 'Members'\)"):
        open_table(path, sheet="Nope")


def test_workbook_with_a_wrong_name_is_read_by_content(tmp_path):
    path = files.handmade_xlsx(tmp_path / "members.xlsx")
    renamed = path.rename(tmp_path / "members.xls")
    assert len(read_all(open_table(renamed))) == 3


def test_workbook_values_and_merged_group_header(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Contact", None, None, "Money", None, None])  # group headers, merged
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:F1")
    sheet.append(["Email", "Name", "Opt-in", "Spend", "Orders", "Last order"])
    sheet.append(["a@example.com", "Ann", True, 12.5, 3.0, datetime(2024, 3, 5)])
    sheet.append(['=HYPERLINK("mailto:b@example.com","b@example.com")', "Bo", False, 0, None])
    sheet.append(["c@example.com", None, None, None, None, None, None, None])
    workbook.save(tmp_path / "groups.xlsx")
    table = open_table(tmp_path / "groups.xlsx")
    assert table.header_row == 2
    assert table.warnings == ["Skipped 1 title or note row above the header"]
    rows = read_all(table)
    assert rows[0] == (3, ["a@example.com", "Ann", True, 12.5, 3, datetime(2024, 3, 5)])
    assert rows[1][1][0] is None  # a formula never calculated has no cached value
    assert rows[1][1][1:] == ["Bo", False, 0, None, None]
    assert rows[2] == (5, ["c@example.com", None, None, None, None, None])
    assert clean_text(rows[0][1][4]) == "3"


def test_empty_workbook_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Leeg"
    workbook.save(tmp_path / "empty.xlsx")
    with pytest.raises(ReadError, match=r"^empty\.xlsx: sheet 'Leeg' is empty$"):
        open_table(tmp_path / "empty.xlsx")
    workbook.create_sheet("Data").append(["Email"])
    workbook.save(tmp_path / "empty.xlsx")
    with pytest.raises(ReadError, match=r"sheet 'Leeg' is empty \(other sheets: 'Data'\)$"):
        open_table(tmp_path / "empty.xlsx")


# --- files that are not tables ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b" \r\n\t\n", "the file is empty"),
        ("bom.csv", b"\xef\xbb\xbf", "the file is empty"),
        ("bom16.txt", b"\xff\xfe", "the file is empty"),
        ("commas.csv", b",,,\n,,,\n", "there is no data in it"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "save it as .xlsx or CSV"),
        ("report.pdf", b"%PDF-1.7\n...", "PDF"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(100), "image"),
        ("page.xls", b"<html><body><table></table></body></html>", "web page"),
        ("junk.csv", bytes(range(256)) * 50, "binary data"),
    ],
)
def test_not_a_table(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message) as error:
        open_table(path)
    assert str(error.value).startswith(f"{name}: ")
    assert "\n" not in str(error.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match=r"missing\.csv: file not found"):
        open_table(tmp_path / "missing.csv")
    with pytest.raises(ReadError, match="is a folder"):
        open_table(tmp_path)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"notes.txt": "hi"}, "ZIP archive, not a spreadsheet"),
        ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}, r"\.ods"),
        ({"xl/workbook.bin": "x"}, r"\.xlsb"),
        ({"xl/workbook.xml": "<not-a-workbook"}, "cannot be read"),
    ],
)
def test_zip_files_that_are_not_workbooks(tmp_path, members, message):
    path = tmp_path / "file.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    with pytest.raises(ReadError, match=message):
        open_table(path)


def test_truncated_workbook(tmp_path):
    path = files.handmade_xlsx(tmp_path / "cut.xlsx")
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ReadError, match=r"^cut\.xlsx: "):
        open_table(path)


# --- robustness properties -------------------------------------------------------------------


def _open_and_read(path: Path) -> None:
    try:
        table = open_table(path)
        for _ in table.rows():
            pass
        table.peek(3)
    except ReadError:
        pass


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=3000))
def test_random_bytes_give_read_error_or_rows(tmp_path, data):
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _open_and_read(path)


_CSV_ALPHABET = st.sampled_from(list("abcé1,;\t|\"'\r\n \x00€\ufeff"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet=_CSV_ALPHABET, max_size=300),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_csv_text_gives_read_error_or_rows(tmp_path, text, encoding):
    path = tmp_path / "random.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _open_and_read(path)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
                 min_size=3, max_size=3),
        min_size=1, max_size=8,
    ),
    st.sampled_from([",", ";", "\t", "|"]),
)  # fmt: skip
def test_written_csv_reads_back(tmp_path, rows, delimiter):
    import csv

    header = ["Email", "Name", "City"]
    path = tmp_path / "written.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows([header, *rows])
    table = open_table(path, delimiter=delimiter)
    assert table.header == header
    expected = [row for row in rows if any(cell.strip() for cell in row)]
    assert [cells for _, cells in table.rows()] == expected


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_files_are_closed_after_reading(tmp_path):
    def open_handles() -> int:
        return sum(
            1 for fd in Path("/proc/self/fd").iterdir() if str(tmp_path) in os.path.realpath(fd)
        )

    for path in (files.handmade_xlsx(tmp_path / "m.xlsx"), files.shopify_csv(tmp_path / "s.csv")):
        table = open_table(path)
        table.peek(1)
        read_all(table)
        assert open_handles() == 0
