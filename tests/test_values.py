"""Value parsers: the odd spellings real exports use, and no exception but ValueError."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.values import (
    clean_text,
    detect_decimal_separator,
    infer_date_order,
    is_valid_email,
    normalise_email,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_excel_serial,
    parse_int,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  Anna ", "Anna"),
        ("'0612345678", "0612345678"),
        ("'+31612345678", "+31612345678"),
        ("'07028", "07028"),
        ("\ufeffEmail\u200b", "Email"),
        ("", None),
        ("   ", None),
        ("-", None),
        ("n/a", None),
        ("N/A", None),
        ("NA", None),
        ("null", None),
        ("None", None),
        ("#N/A", None),
        ("'", None),
        (None, None),
        (612.0, "612"),
        (12.5, "12.5"),
        (7012345678901, "7012345678901"),
        (True, "TRUE"),
        (datetime(2024, 3, 5), "2024-03-05"),
        (datetime(2024, 3, 5, 10, 30), "2024-03-05 10:30:00"),
        (date(2024, 3, 5), "2024-03-05"),
        (float("nan"), None),
        ("Nan", "Nan"),  # a first name, not a missing value
    ],
)
def test_clean_text(cell, expected):
    assert clean_text(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  Zoe.deVries@Example.NL ", "zoe.devries@example.nl"),
        ("mailto:Jan@Example.com", "jan@example.com"),
        ("MAILTO:jan@example.com?subject=hi", "jan@example.com"),
        ("<jan@example.com>", "jan@example.com"),
        ("Jan Jansen <Jan@Example.com>", "jan@example.com"),
        ("'jan@example.com", "jan@example.com"),
        ("jan@example.com;", "jan@example.com"),
        ("", None),
        (None, None),
        ("n/a", None),
        ("straße@exämple.de", "straße@exämple.de"),  # lower(), not casefold(): ß stays
    ],
)
def test_normalise_email(cell, expected):
    assert normalise_email(cell) == expected


@pytest.mark.parametrize(
    "email", ["a@b.co", "jan.jansen+tag@example.co.uk", "zoë@exämple.de", "李@例子.中国"]
)
def test_valid_emails(email):
    assert is_valid_email(email)


@pytest.mark.parametrize(
    "email",
    ["", "jan", "jan@", "@example.com", "jan@example", "jan@@example.com", "a@b@c.com",
     "jan smit@example.com", "jan@exa mple.com", "jan@.example.com", "jan@example.com.",
     "jan@-example.com", ".jan@example.com", "ja..n@example.com", "jan@example,com",
     "jan\t@example.com"],
)  # fmt: skip
def test_invalid_emails(email):
    assert not is_valid_email(email)


@pytest.mark.parametrize(
    ("cell", "decimal", "expected"),
    [
        ("12", ".", 12.0),
        ("1234.50", ".", 1234.5),
        ("$1,234.50", ".", 1234.5),
        ("1.234,50 €", ",", 1234.5),
        ("€ 12", ".", 12.0),
        ("€12", ",", 12.0),
        ("EUR 12.00", ".", 12.0),
        ("12.5 kr", ".", 12.5),
        ("12,50 kr.", ",", 12.5),
        ("CHF 1'234.50", ".", 1234.5),
        ("1’234.50", ".", 1234.5),
        ("(12.00)", ".", -12.0),
        ("-12", ".", -12.0),
        ("−5", ".", -5.0),
        ("- 5", ".", -5.0),
        ("€ -5,10", ",", -5.1),
        ("-€5.10", ".", -5.1),
        ("12.00-", ".", -12.0),
        ("1 234,50", ",", 1234.5),
        ("1\u00a0234,50", ",", 1234.5),
        ("1\u202f234,50", ",", 1234.5),
        ("1,234,567.89", ".", 1234567.89),
        ("1.234.567", ",", 1234567.0),
        ("1,234", ".", 1234.0),
        ("1,234", ",", 1.234),
        ("12,5", ",", 12.5),
        (".5", ".", 0.5),
        ("'12.50", ".", 12.5),
        ("US$ 3", ".", 3.0),
        ("R$ 1.234,56", ",", 1234.56),
        ("£1,234", ".", 1234.0),
        (12, ".", 12.0),
        (12.5, ",", 12.5),
        ("", ".", None),
        ("n/a", ".", None),
        ("-", ".", None),
        (None, ".", None),
    ],
)
def test_parse_amount(cell, decimal, expected):
    result = parse_amount(cell, decimal)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("cell", "decimal"),
    [("abc", "."), ("12..3", "."), ("12,5", "."), ("1.234,50", "."), ("12 34", "."),
     ("12 kg", "."), ("12%", "."), ("(12", "."), ("--12", "."), ("inf", "."), ("nan", "."),
     ("1_000", "."), (True, "."), (date(2024, 1, 1), ".")],
)  # fmt: skip
def test_parse_amount_rejects(cell, decimal):
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(cell, decimal)


def test_parse_amount_error_names_the_value():
    with pytest.raises(ValueError, match=r"^not an amount: 'abc'$"):
        parse_amount("abc")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("12", 12), (" 12 ", 12), ("12.0", 12), ("1,200", 1200), ("1.200", 1200), ("1 200", 1200),
     ("1'200", 1200), ("'12", 12), ("-3", -3), ("+3", 3), ("1,200.00", 1200), ("12,00", 12),
     ("1.2E+3", 1200), (7, 7), (7.0, 7), ("", None), ("n/a", None), (None, None)],
)  # fmt: skip
def test_parse_int(cell, expected):
    assert parse_int(cell) == expected


@pytest.mark.parametrize("cell", ["1.5", "abc", "12,5", "1,20", "1.2.3", True, 1.5, "200+"])
def test_parse_int_rejects(cell):
    with pytest.raises(ValueError, match="not a whole number"):
        parse_int(cell)


@pytest.mark.parametrize(
    "cell",
    ["yes", "Yes", "Y", "true", "TRUE", "1", "ja", "Ja", "oui", "sí", "si", "x", "X", "✓",
     "subscribed", "Opted In", "opted-in", "WAHR", "VRAI", "waar", 1, 1.0, True],
)  # fmt: skip
def test_parse_bool_true(cell):
    assert parse_bool(cell) is True


@pytest.mark.parametrize(
    "cell",
    ["no", "No", "N", "false", "FALSE", "0", "nee", "nein", "non", "unsubscribed",
     "not subscribed", "Not Subscribed", "opted out", "FALSCH", 0, 0.0, False],
)  # fmt: skip
def test_parse_bool_false(cell):
    assert parse_bool(cell) is False


@pytest.mark.parametrize("cell", ["", " ", None, "-", "n/a"])
def test_parse_bool_blank(cell):
    assert parse_bool(cell) is None


@pytest.mark.parametrize("cell", ["maybe", "pending", "2", 2, "yess"])
def test_parse_bool_rejects(cell):
    with pytest.raises(ValueError, match="not yes or no"):
        parse_bool(cell)


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["1.234,50", "12,5"], ","),
        (["12,5"], ","),
        (["0,75", "3"], ","),
        (["1,234.50"], "."),
        (["$1,234.50", "$12.00"], "."),
        (["1,234"], "."),  # ambiguous alone: thousands comma
        (["1.234"], "."),
        (["1,234", "3,5"], ","),  # 3,5 proves the comma
        (["1.234.567"], ","),
        (["1,234,567"], "."),
        (["12", "13"], "."),
        ([], "."),
    ],
)
def test_detect_decimal_separator(samples, expected):
    assert detect_decimal_separator(samples) == expected


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["05/03/2024", "13/03/2024"], "dmy"),
        (["05/03/2024", "03/13/2024"], "mdy"),
        (["2024-03-05", "2024-12-01"], "ymd"),
        (["2026/10/03 4:05:06 PM GMT+1"], "ymd"),
        (["05.03.2024", "06.03.2024"], "dmy"),  # no proof: "." is day-first
        (["05-03-2024"], "dmy"),  # no proof: "-" is day-first (dd-mm-yyyy)
        (["05/03/2024"], "mdy"),  # no proof: "/" is month-first (US exports)
        (["10/03/2026 04:05:06 PM", "10/04/2026 09:00:00 AM"], "mdy"),
        (["2024-03-05", "13/03/2024"], "dmy"),  # ISO values prove nothing about d/m
        (["", "n/a", "Mar 5, 2024"], "ymd"),
    ],
)
def test_infer_date_order(samples, expected):
    assert infer_date_order(samples) == expected


def test_infer_date_order_default_and_conflict():
    assert infer_date_order(["05/03/2024"], default="dmy") == "dmy"
    assert infer_date_order(["13/03/2024"], default="mdy") == "dmy"  # proof beats the default
    with pytest.raises(ValueError, match=r"'13/01/2024'.*day-first.*'01/13/2024'.*month-first"):
        infer_date_order(["05/03/2024", "13/01/2024", "01/13/2024"])


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("2024-03-05", "ymd", date(2024, 3, 5)),
        ("2024-03-05T10:00:00Z", "ymd", date(2024, 3, 5)),
        ("2024-03-05 10:00:00", "dmy", date(2024, 3, 5)),  # year-first ignores the order
        ("05.03.2024", "dmy", date(2024, 3, 5)),
        ("05.03.2024", "ymd", date(2024, 3, 5)),  # no order known: "." is day-first
        ("05/03/2024", "dmy", date(2024, 3, 5)),
        ("05/03/2024", "mdy", date(2024, 5, 3)),
        ("13/03/2024", "ymd", date(2024, 3, 13)),  # the value proves day-first
        ("5/3/24", "dmy", date(2024, 3, 5)),
        ("5/3/62", "dmy", date(1962, 3, 5)),
        ("2026/10/03 4:05:06 PM GMT+1", "ymd", date(2026, 10, 3)),
        ("03/10/2026 16:05:06", "dmy", date(2026, 10, 3)),
        ("Mar 5, 2024", "ymd", date(2024, 3, 5)),
        ("March 5, 2024", "ymd", date(2024, 3, 5)),
        ("5 March 2024", "ymd", date(2024, 3, 5)),
        ("5th March 2024", "ymd", date(2024, 3, 5)),
        ("Tue, 5 Mar 2024", "ymd", date(2024, 3, 5)),
        ("05-Mar-24", "ymd", date(2024, 3, 5)),
        ("5. März 2024", "ymd", date(2024, 3, 5)),
        ("5 maart 2024", "ymd", date(2024, 3, 5)),
        ("1er mars 2024", "ymd", date(2024, 3, 1)),
        ("20240305", "ymd", date(2024, 3, 5)),
        ("'2024-03-05", "ymd", date(2024, 3, 5)),
        (datetime(2024, 3, 5, 23, 59), "ymd", date(2024, 3, 5)),
        (date(2024, 3, 5), "ymd", date(2024, 3, 5)),
        (45356, "ymd", date(2024, 3, 5)),
        (45356.99, "ymd", date(2024, 3, 5)),
        ("0000-03-05", "ymd", None),  # Square: birthday without a year
        ("0000-00-00", "ymd", None),
        ("", "ymd", None),
        ("n/a", "ymd", None),
        (None, "ymd", None),
    ],
)
def test_parse_date(cell, order, expected):
    assert parse_date(cell, order) == expected


@pytest.mark.parametrize(
    ("cell", "order"),
    [("2024-02-30", "ymd"), ("31/02/2024", "dmy"), ("01/13/2024", "dmy"), ("13/13/2024", "ymd"),
     ("abc", "ymd"), ("2024-03-05 garbage", "ymd"), ("45356", "ymd"), (1980, "ymd"),
     (True, "ymd"), ("5 Foo 2024", "ymd"), ("202-03-05", "ymd")],
)  # fmt: skip
def test_parse_date_rejects(cell, order):
    with pytest.raises(ValueError, match="not a"):
        parse_date(cell, order)


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        (
            "2026/10/03 4:05:06 PM GMT+1",
            "ymd",
            datetime(2026, 10, 3, 16, 5, 6, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "2026/10/03 11:30:00 PM GMT-5:30",
            "ymd",
            datetime(2026, 10, 3, 23, 30, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
        ),
        ("10/03/2026 04:05:06 PM", "mdy", datetime(2026, 10, 3, 16, 5, 6)),
        ("10/03/2026 12:05:06 AM", "mdy", datetime(2026, 10, 3, 0, 5, 6)),
        ("03/10/2026 16:05:06", "dmy", datetime(2026, 10, 3, 16, 5, 6)),
        ("2026-10-03 16:05:06", "ymd", datetime(2026, 10, 3, 16, 5, 6)),
        ("2024-03-05T10:00:00Z", "ymd", datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("2024-03-05T10:00:00+02:00", "ymd", datetime(2024, 3, 5, 8, tzinfo=UTC)),
        ("05.03.2024 10.30", "dmy", datetime(2024, 3, 5, 10, 30)),
        ("Mar 5, 2024 4 PM", "ymd", datetime(2024, 3, 5, 16)),
        ("2024-03-05", "ymd", datetime(2024, 3, 5)),
        (date(2024, 3, 5), "ymd", datetime(2024, 3, 5)),
        (45356.75, "ymd", datetime(2024, 3, 5, 18)),
        ("0000-03-05", "ymd", None),
        ("", "ymd", None),
    ],
)
def test_parse_datetime(cell, order, expected):
    assert parse_datetime(cell, order) == expected


def test_parse_datetime_naive_without_zone():
    assert parse_datetime("2026-10-03 16:05:06").tzinfo is None
    assert parse_datetime("10/03/2026 04:05:06 PM", "mdy").tzinfo is None


@pytest.mark.parametrize(
    "cell", ["2024-03-05 25:00", "2024-03-05 13:00 PM", "2024-03-05 10:00 CET"]
)
def test_parse_datetime_rejects(cell):
    with pytest.raises(ValueError):
        parse_datetime(cell)


def test_parse_excel_serial():
    assert parse_excel_serial(45356) == datetime(2024, 3, 5)
    assert parse_excel_serial("45356") == datetime(2024, 3, 5)
    assert parse_excel_serial("45356.5") == datetime(2024, 3, 5, 12)
    assert parse_excel_serial(61) == datetime(1900, 3, 1)  # after Excel's phantom 29 Feb 1900
    assert parse_excel_serial(1) == datetime(1900, 1, 1)
    assert parse_excel_serial("") is None
    for bad in ("abc", 0, -5, 3e6, True):
        with pytest.raises(ValueError, match="not an Excel date number"):
            parse_excel_serial(bad)


# --- properties ------------------------------------------------------------------------------

PARSERS = [
    clean_text,
    normalise_email,
    parse_amount,
    lambda cell: parse_amount(cell, ","),
    parse_int,
    parse_bool,
    parse_date,
    lambda cell: parse_date(cell, "dmy"),
    parse_datetime,
    lambda cell: parse_datetime(cell, "mdy"),
    parse_excel_serial,
]
# Text built from the characters that matter to the parsers, plus anything at all.
_NUMBERISH = st.text(alphabet="0123456789.,'’ -−+()$€£%:/TZAPMapm\u00a0\u202fEe", max_size=24)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=40), _NUMBERISH))
def test_parsers_raise_only_value_error(text):
    for parser in PARSERS:
        with contextlib.suppress(ValueError):
            parser(text)
    is_valid_email(text)
    for separator in (detect_decimal_separator, infer_date_order):
        with contextlib.suppress(ValueError):
            separator([text, text[::-1]])


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_parsers_on_native_values_raise_only_value_error(value):
    for parser in PARSERS:
        with contextlib.suppress(ValueError):
            parser(value)


def _format_amount(value: float, decimal: str, thousands: str) -> str:
    text = f"{abs(value):,.2f}"  # 1,234.50
    whole, fraction = text.split(".")
    text = whole.replace(",", thousands) + decimal + fraction
    return ("-" if value < 0 else "") + text


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 2)),
    st.sampled_from([(".", ","), (".", ""), (".", "'"), (".", " "), (",", "."), (",", ""),
                     (",", "\u00a0"), (",", " ")]),
    st.sampled_from(["{}", "€ {}", "{} €", "${}", "{} kr", "EUR {}"]),
)  # fmt: skip
def test_amount_round_trip(value, convention, template):
    decimal, thousands = convention
    text = template.format(_format_amount(value, decimal, thousands))
    assert parse_amount(text, decimal) == pytest.approx(value, abs=0.005)
    # and the column's convention is recovered from such values when they prove it
    if abs(value) >= 1000 and thousands in ".,":
        assert detect_decimal_separator([text]) == decimal


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from([",", ".", " ", "'", ""])
)
def test_int_round_trip(value, thousands):
    text = f"{value:,}".replace(",", thousands)
    assert parse_int(text) == value


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from(["dmy", "mdy", "ymd"]),
    st.sampled_from(["/", ".", "-"]),
)
def test_date_round_trip(day, order, separator):
    parts = {"d": f"{day.day:02d}", "m": f"{day.month:02d}", "y": f"{day.year:04d}"}
    text = separator.join(parts[key] for key in order)
    assert parse_date(text, order) == day
