"""Answer value parsing: examples from real exports, and properties that must hold for any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey import questionnaire as q
from survey.answer_counts import option_bands, parse_count, parse_number
from survey.answer_multi import MultiOptions
from survey.answers import Target, choose_scale, parse_column

REACH = option_bands(q.REACH_BANDS)
NETWORKS = q.item("c_networks")
LABELS = [o.label for o in NETWORKS.options]


def values(item_id: str, texts: list[str], **kw: object) -> dict[str, object]:
    parsed = parse_column(Target(item_id), texts, **kw)  # type: ignore[arg-type]
    return {t: (rows[0][2] if rows else "blank") for t, rows in parsed.rows.items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("150", 150), ("about 200", 200), ("~200", 200), ("200+", 200), ("1,200", 1200),
        ("1.200", 1200), ("1 200", 1200), ("1.2k", 1200), ("2K", 2000), ("51-150", 100),
        ("51–150", 100), ("51 to 150", 100), ("more than 500", 750), ("More than 500", 750),
        ("0", 0), ("none", 0), ("between 20 and 30", 25), ("less than 5", 3), ("up to 40", 40),
        ("roughly 80 people", 80), ("2,5", 2.5),
        ("lots", None), ("loads", None), ("-5", None), ("a few", None), ("30-20", None),
    ],
)  # fmt: skip
def test_counts_as_typed(text: str, expected: float | None) -> None:
    assert parse_count(text, REACH) == expected


def test_scales_labels_numbers_and_rescaling() -> None:
    got = values("k_expertise", ["Strongly agree", "strongly_agree", "7 - Strongly agree",
                                  "Neutral", "Somewhat Agree ", "maybe", ""])
    assert got == {"Strongly agree": 7, "strongly_agree": 7, "7 - Strongly agree": 7,
                   "Neutral": 4, "Somewhat Agree ": 5, "maybe": None, "": "blank"}
    # Numbers only 1–5 on a 1–7 item: a five-point scale, rescaled with a note.
    parsed = parse_column(Target("k_expertise"), ["1", "3", "5"])
    assert {t: r[0][2] for t, r in parsed.rows.items()} == {"1": 1, "3": 4, "5": 7}
    assert "rescaled" in parsed.notes[0]
    # A stated scale wins over the guess; NPS answers 1–10 stay on 0–10.
    assert values("k_expertise", ["1", "3", "5"], scale=(1, 7))["5"] == 5
    assert values("nps", ["1", "10", "9 - very likely", "11"]) == {
        "1": 1, "10": 10, "9 - very likely": 9, "11": None}
    assert values("p_reviews", ["1 - Never", "5 (Daily)", "Weekly", "every day", "Rarely"]) == {
        "1 - Never": 0, "5 (Daily)": 4, "Weekly": 3, "every day": 4, "Rarely": 1}


def test_yes_no_choices_and_values_tables() -> None:
    got = values("consent", ["Yes", "N", "Ja", "nee", "1", "0", "TRUE", "false", "sure?"])
    assert got == {"Yes": 1, "N": 0, "Ja": 1, "nee": 0, "1": 1, "0": 0, "TRUE": 1, "false": 0,
                   "sure?": None}
    assert values("age_band", ["18-24", "37", "75+", "Prefer not to say", "12"]) == {
        "18-24": 21, "37": 40, "75+": 80, "Prefer not to say": None, "12": None}
    mapped = values("k_expertise", ["AO01", "AO05"], values={"AO01": 1, "AO05": "Somewhat agree"})
    assert mapped == {"AO01": 1, "AO05": 5}


def test_multi_select_respects_labels_with_commas() -> None:
    parsed = parse_column(
        Target("c_networks"),
        ["Facebook, Clubs, societies or teams, Work", "Instagram;Snapchat;", "None"],
    )
    rows = parsed.rows
    assert [r[0] for r in rows["Facebook, Clubs, societies or teams, Work"]] == [
        "c_networks:facebook", "c_networks:clubs", "c_networks:work"]
    assert rows["Instagram;Snapchat;"] == [
        ("c_networks:instagram", "Instagram", 1.0, False), ("c_networks", "Snapchat", None, True)]
    assert rows["None"] == []
    per_option = Target("c_networks", "email", "Email", per_option=True)
    ticks = parse_column(per_option, ["Email", "1", "Y", "0", "N"]).rows
    assert {t: len(r) for t, r in ticks.items()} == {"Email": 1, "1": 1, "Y": 1, "0": 0, "N": 0}


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=0, max_value=2_000_000))
def test_any_count_written_plainly_or_sloppily_reads_back(n: int) -> None:
    for text in (str(n), f"{n:,}", f"about {n}", f"~{n}", f"{n}+", f"{n} people"):
        assert parse_count(text, REACH) == n, text
    if n % 100 == 0 and n >= 1000:
        assert parse_count(f"{n / 1000:g}k", REACH) == n


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(q.REACH_BANDS), st.sampled_from(["-", "–", " - ", " to "]))
def test_every_band_gives_its_stated_value(band: q.Option, dash: str) -> None:
    text = band.label.replace("–", dash)
    assert parse_count(text, REACH) == band.value
    assert parse_count(text.upper(), REACH) == band.value


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_parsers_never_raise(text: str) -> None:
    parse_count(text, REACH)
    parse_number(text)
    for item_id in ("k_expertise", "p_reviews", "r_facebook", "age_band", "consent", "nps",
                    "c_networks", "k_years"):
        for rows in parse_column(Target(item_id), [text]).rows.values():
            for item, _raw, value, bad in rows:
                assert item.startswith(item_id)
                assert value is None or isinstance(value, float | int)
                assert not (bad and value is not None)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(LABELS), min_size=1, max_size=6, unique=True),
    st.sampled_from([";", ", ", ",", " ; "]),
    st.booleans(),
)
def test_any_choice_of_options_splits_back_exactly(
    chosen: list[str], joiner: str, shout: bool
) -> None:
    text = joiner.join(label.upper() if shout else label for label in chosen)
    found, unknown = MultiOptions(NETWORKS).split(text, ";")
    assert unknown == []
    assert {code for code, _ in found} == {NETWORKS.options[LABELS.index(c)].code for c in chosen}


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=10), min_size=1))
def test_a_chosen_scale_holds_every_answer(numbers: set[int]) -> None:
    scale = choose_scale({float(n) for n in numbers}, (1.0, 7.0))
    assert scale is not None and scale[0] <= min(numbers) and max(numbers) <= scale[1]
