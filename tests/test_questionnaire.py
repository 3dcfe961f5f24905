"""The standard questionnaire: stable ids, valid kinds and options, JSON shape, survey kit."""

from __future__ import annotations

import csv
import json
import re

import pytest

from survey import questionnaire as q
from survey.questionnaire_kit import CODEBOOK_HEADER

# Item ids are a contract with saved answers, mappings and scoring configs: a rename breaks them.
EXPECTED_IDS = (
    [
        "member_id",
        "consent",
        "k_expertise",
        "k_interest",
        "k_brand",
        "k_advice",
        "k_influence",
        "k_maven",
        "k_years",
        "p_read",
        "p_reviews",
        "p_photos",
        "p_posts",
        "p_comment",
        "p_share",
        "p_recommend",
        "p_events",
        "p_organise",
        "c_networks",
    ]
    + [
        f"c_{n}_close"
        for n in (
            "facebook",
            "instagram",
            "tiktok",
            "x",
            "linkedin",
            "youtube",
            "whatsapp",
            "email",
            "forums",
            "clubs",
            "work",
            "neighbourhood",
            "family",
        )
    ]
    + [
        f"c_{n}_public"
        for n in (
            "facebook",
            "instagram",
            "tiktok",
            "x",
            "linkedin",
            "youtube",
            "whatsapp",
            "email",
            "forums",
            "clubs",
            "work",
            "neighbourhood",
            "family",
        )
    ]
    + [
        f"r_{n}"
        for n in (
            "facebook",
            "instagram",
            "tiktok",
            "x",
            "linkedin",
            "youtube",
            "whatsapp",
            "email",
            "forums",
            "clubs",
            "work",
            "neighbourhood",
            "family",
        )
    ]
    + ["nps", "age_band"]
)


def test_ids_are_unique_snake_case_and_stable() -> None:
    ids = [it.id for it in q.QUESTIONNAIRE]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) for i in ids)
    assert ids == EXPECTED_IDS


@pytest.mark.parametrize("component", q.COMPONENTS)
def test_every_component_has_items(component: str) -> None:
    assert q.items_for(component)
    assert all(it.component == component for it in q.items_for(component))


def test_kinds_and_components_are_valid() -> None:
    for it in q.QUESTIONNAIRE:
        assert it.kind in q.KINDS, it.id
        assert it.component in q.COMPONENTS, it.id
        if it.kind in ("scale", "frequency", "count", "choice", "multi", "yesno"):
            assert it.options, it.id
        if it.kind in ("text", "number"):
            assert not it.options, it.id


def test_options_are_listed_lowest_to_highest() -> None:
    for it in q.QUESTIONNAIRE:
        values = [o.value for o in it.options if o.value is not None]
        assert values == sorted(values) and len(values) == len(set(values)), it.id
        labels = [o.label for o in it.options]
        assert len(labels) == len(set(labels)), it.id


def test_specific_scales() -> None:
    assert [o.value for o in q.item("nps").options] == list(range(11))
    assert q.item("nps").component == "reference"
    assert [o.label for o in q.item("consent").options] == ["No", "Yes"]
    assert (q.FREQUENCY[0].label, q.FREQUENCY[-1].label) == ("Never", "Daily")
    assert q.item("member_id").hidden and q.item("member_id").kind == "text"
    assert q.item("age_band").option("Prefer not to say").value is None


def test_reach_bands_follow_dunbar_with_values_inside_each_band() -> None:
    bands = q.item("r_instagram").options
    assert [b.label for b in bands] == [
        "0",
        "1–5",
        "6–15",
        "16–50",
        "51–150",
        "151–500",
        "More than 500",
    ]
    for band in bands[1:-1]:
        lo, hi = (int(x) for x in band.label.split("–"))
        assert band.value is not None and lo <= band.value <= hi
    assert bands[-1].value is not None and bands[-1].value > 500


def test_each_network_has_closeness_publicness_and_reach() -> None:
    networks = {o.code for o in q.item("c_networks").options}
    assert networks == {n.key for n in q.NETWORKS}
    for net in q.NETWORKS:
        for item_id in (f"c_{net.key}_close", f"c_{net.key}_public", f"r_{net.key}"):
            assert q.item(item_id).network == net.key
    assert {n.key for n in q.NETWORKS if not n.online} == {
        "clubs",
        "work",
        "neighbourhood",
        "family",
    }


def test_participation_items_sit_on_the_technographics_ladder() -> None:
    for it in q.items_for("participation"):
        assert it.kind == "frequency"
        assert it.ladder in q.LADDER
    rungs = {it.id: q.LADDER.index(it.ladder or "") for it in q.items_for("participation")}
    assert rungs["p_read"] < rungs["p_reviews"] < rungs["p_posts"]


def test_wording_carries_the_category_word() -> None:
    for it in q.items_for("knowledge") + q.items_for("participation"):
        assert "espresso" in it.text("espresso"), it.id
    for it in q.QUESTIONNAIRE:
        text = it.text("wine")
        assert "{" not in text and "}" not in text, it.id
        assert "{" not in it.header("wine"), it.id


def test_grid_headers_look_like_google_forms() -> None:
    it = q.item("p_reviews")
    assert it.header("coffee") == (
        "How often do you do each of these about coffee? [Write reviews or ratings]"
    )
    assert q.item("c_instagram_close").header("coffee").endswith("[Instagram]")
    assert q.item("nps").header("coffee") == q.item("nps").text("coffee")
    headers = [it.header("coffee") for it in q.QUESTIONNAIRE]
    assert len(headers) == len(set(headers))  # auto-mapping by header must be unambiguous
    for it in q.QUESTIONNAIRE:
        if it.grid is not None:
            same = [o for o in q.QUESTIONNAIRE if o.grid == it.grid]
            assert all(o.options == it.options for o in same)


def test_lookup_errors_name_the_key() -> None:
    with pytest.raises(KeyError, match="k_nonsense"):
        q.item("k_nonsense")
    with pytest.raises(KeyError, match="vibes"):
        q.items_for("vibes")


def test_to_json_shape() -> None:
    data = q.to_json("coffee")
    assert list(data) == ["items"]
    assert json.loads(json.dumps(data)) == data
    assert [d["id"] for d in data["items"]] == EXPECTED_IDS
    for entry in data["items"]:
        assert set(entry) == {"id", "component", "text", "kind", "options"}
        assert entry["kind"] in q.KINDS
        for opt in entry["options"]:
            assert isinstance(opt["label"], str)
            assert opt["value"] is None or isinstance(opt["value"], int | float)
    by_id = {d["id"]: d for d in data["items"]}
    assert by_id["k_expertise"]["text"] == "I know a lot about coffee."
    assert by_id["r_family"]["options"][4] == {"label": "51–150", "value": 100}


def test_write_kit(tmp_path) -> None:
    kit = q.write_kit(tmp_path / "kit", "coffee")
    text = kit.forms_text.read_text(encoding="utf-8")
    for it in q.QUESTIONNAIRE:
        if it.grid is not None:
            assert it.grid.title.format(category="coffee") in text
            assert it.row_label("coffee") in text
        else:
            assert it.text("coffee") in text
        for opt in it.options:
            if it.id != "nps":
                assert opt.label in text
    with kit.codebook.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["item_id"] for r in rows] == EXPECTED_IDS
    assert tuple(rows[0]) == CODEBOOK_HEADER
    band_row = next(r for r in rows if r["item_id"] == "r_work")
    assert band_row["option_labels"].split(" | ")[4] == "51–150"
    assert band_row["option_values"].split(" | ")[4] == "100"
    assert next(r for r in rows if r["item_id"] == "p_posts")["ladder"] == "Creators"
    assert kit.codebook.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with BOM
