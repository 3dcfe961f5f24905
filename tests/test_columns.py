"""The column-at-a-time converters agree with the one-cell parsers on any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from survey import columns as C
from survey import values as V

# Cells as they come out of a CSV file: any text without NUL, biased towards the awkward bits.
awkward = st.sampled_from(
    ["", " ", "'", "' 0612", "'+31612345678", "n/a", "N/A", "-", "none", "NA", "null", "#N/A",
     " Zoë ", "\ufeffname", "a\u200b", "yes", "No", " TRUE", "y", "0", "1", "12.50", "1,234.50",
     "$12", "-3", "abc", "A@B.NL ", "mailto:x@y.nl", "x@y", "Jan <jan@x.nl>", "12", "1.5"]
)
cell = st.one_of(awkward, st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=12))
column = st.lists(cell, min_size=1, max_size=30)


def one_by_one(parse, cells):  # type: ignore[no-untyped-def]
    values, errors = [], {}
    for i, c in enumerate(cells):
        try:
            values.append(parse(c))
        except ValueError:
            values.append(None)
            errors[i] = True
    return values, set(errors)


@settings(max_examples=300)
@given(column)
def test_texts_match_clean_text(cells: list[str]) -> None:
    assert C.texts(cells)[0] == [V.clean_text(c) for c in cells]


@settings(max_examples=300)
@given(column)
def test_emails_match_normalise_and_validate(cells: list[str]) -> None:
    def email(c: str) -> str | None:
        e = V.normalise_email(c)
        if e is not None and not V.is_valid_email(e):
            raise ValueError(e)
        return e

    values, errors = C.emails(cells)
    expected, expected_errors = one_by_one(email, cells)
    assert set(errors) == expected_errors
    assert [v for i, v in enumerate(values) if i not in errors] == [
        v for i, v in enumerate(expected) if i not in expected_errors
    ]


@settings(max_examples=300)
@given(column)
def test_booleans_match_parse_bool(cells: list[str]) -> None:
    values, errors = C.booleans(cells)
    expected, expected_errors = one_by_one(V.parse_bool, cells)
    assert set(errors) == expected_errors
    assert values == [None if v is None else int(v) for v in expected]


@settings(max_examples=300)
@given(column, st.sampled_from([".", ","]))
def test_amounts_and_integers_match(cells: list[str], decimal: str) -> None:
    values, errors = C.amounts(decimal)(cells)
    assert (values, set(errors)) == one_by_one(lambda c: V.parse_amount(c, decimal), cells)
    values, errors = C.integers(cells)
    assert (values, set(errors)) == one_by_one(V.parse_int, cells)


def test_non_text_cells_from_xlsx_take_the_careful_path() -> None:
    cells = [612.0, None, "  x ", 12]
    assert C.texts(cells)[0] == ["612", None, "x", "12"]
    assert C.integers(cells)[0][0] == 612


def test_countries_keep_namibia() -> None:
    values, errors = C.countries(["NA", " NA ", "'NA", "na", "n/a", "N/A", "", "NL"])
    assert values == ["NA", "NA", "NA", None, None, None, None, "NL"] and errors == {}
