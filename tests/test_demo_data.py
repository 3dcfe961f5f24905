"""The demo programme's files: real layouts, realistic statistics, deterministic bytes."""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from survey import questionnaire as q
from survey.demo import DemoFiles, generate_demo, hidden_traits, write_shopify_customers
from survey.demo_people import CHUNK
from survey.demo_survey import google_timestamp

# Copied from FORMATS.md on purpose: the generator must match the documented layout.
SHOPIFY_HEADER = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
    "Tax Exempt,Tags"
)
MAILCHIMP_TAIL = (
    "MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,"
    "GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS"
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
TIMESTAMP = re.compile(r"^\d{4}/\d{2}/\d{2} ([1-9]|1[0-2]):\d{2}:\d{2} (AM|PM) GMT\+[12]$")


def _read(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def _header(item_id: str) -> str:
    return q.item(item_id).header("coffee")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return generate_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def customers(demo: DemoFiles) -> list[dict[str, str]]:
    return _read(demo.customers)


@pytest.fixture(scope="module")
def survey(demo: DemoFiles) -> list[dict[str, str]]:
    return _read(demo.survey)


@pytest.fixture(scope="module")
def referrals(demo: DemoFiles) -> list[dict[str, str]]:
    return _read(demo.referrals)


@pytest.fixture(scope="module")
def by_email(customers: list[dict[str, str]]) -> dict[str, str]:
    """Normalised e-mail → customer id (first row wins), as an importer would match."""
    out: dict[str, str] = {}
    for row in customers:
        if row["Email"].strip():
            out.setdefault(row["Email"].strip().casefold(), row["Customer ID"].lstrip("'"))
    return out


@pytest.fixture(scope="module")
def answered(survey: list[dict[str, str]], by_email: dict[str, str]) -> dict[str, dict[str, str]]:
    """Member id → that member's latest response (the later answer wins)."""
    out: dict[str, dict[str, str]] = {}
    for row in survey:  # file order is submission order
        member = row[_header("member_id")] or by_email.get(row["Email address"].strip().casefold())
        if member:
            out[member] = row
    return out


def test_files_and_counts(
    demo: DemoFiles,
    customers: list[dict[str, str]],
    survey: list[dict[str, str]],
    referrals: list[dict[str, str]],
) -> None:
    assert demo.members == 5000
    assert len(customers) == demo.customer_rows >= 5000
    assert len(survey) == demo.survey_rows
    assert len(referrals) == demo.referrals_rows
    assert len(_read(demo.mailchimp)) == demo.mailchimp_rows
    assert set(demo.paths()) == {"customers", "survey", "referrals", "mailchimp"}
    assert demo.summary()["members"] == 5000


def test_shopify_layout(demo: DemoFiles, customers: list[dict[str, str]]) -> None:
    raw = demo.customers.read_bytes()
    assert raw.decode("utf-8").split("\n", 1)[0] == SHOPIFY_HEADER
    assert not raw.startswith(b"\xef\xbb\xbf")
    for row in customers:
        assert re.fullmatch(r"'\d{13}", row["Customer ID"])
        for flag in ("Accepts Email Marketing", "Accepts SMS Marketing", "Tax Exempt"):
            assert row[flag] in ("yes", "no")
        for phone in ("Phone", "Default Address Phone"):
            assert row[phone] == "" or re.fullmatch(r"'\+\d{8,14}", row[phone])
        zip_code = row["Default Address Zip"]
        assert not zip_code.startswith("0")  # a leading zero is always protected
        assert re.fullmatch(r"\d+\.\d{2}", row["Total Spent"])
        assert row["Total Orders"].isdigit()
    assert any(r["Default Address Zip"].startswith("'0") for r in customers)


def test_fast_writer_quotes_exactly_like_the_csv_module(demo: DemoFiles) -> None:
    text = demo.customers.read_bytes().decode("utf-8")
    again = io.StringIO(newline="")
    csv.writer(again, lineterminator="\n").writerows(csv.reader(io.StringIO(text, newline="")))
    assert again.getvalue() == text


def test_shopify_awkward_rows(customers: list[dict[str, str]]) -> None:
    ids = Counter(r["Customer ID"] for r in customers)
    assert any(n > 1 for n in ids.values())  # a row repeated verbatim
    emails = Counter(r["Email"].casefold() for r in customers if r["Email"])
    repeated = [e for e, n in emails.items() if n > 1]
    assert any(
        len({r["Email"] for r in customers if r["Email"].casefold() == e}) > 1 for e in repeated
    )  # the same e-mail in another case, on another account
    assert any(r["Email"] and not EMAIL.match(r["Email"]) for r in customers)
    sms_only = [r for r in customers if not r["Email"]]
    assert sms_only and all(r["Phone"] and r["Accepts SMS Marketing"] == "yes" for r in sms_only)
    notes = [r["Note"] for r in customers if r["Note"]]
    assert any("\n" in n for n in notes)
    assert any(n[0] in "=+-@" for n in notes)


def test_names_from_many_cultures(customers: list[dict[str, str]]) -> None:
    names = " ".join(r["First Name"] + " " + r["Last Name"] for r in customers)
    assert re.search(r"[\u4e00-\u9fff]", names)  # Chinese or Japanese
    assert re.search(r"[\u0400-\u04ff]", names)  # Cyrillic
    assert re.search(r"[\u0600-\u06ff]", names)  # Arabic
    for accented in ("é", "ü", "ł", "ş", "ñ", "ã"):
        assert accented in names


def test_spend_is_skewed_like_retail(customers: list[dict[str, str]]) -> None:
    spent = {r["Customer ID"]: float(r["Total Spent"]) for r in customers}
    values = np.sort(np.array(list(spent.values())))[::-1]
    top = values[: len(values) // 5].sum() / values.sum()
    assert 0.58 <= top <= 0.75
    for row in customers:
        orders, total = int(row["Total Orders"]), float(row["Total Spent"])
        assert (orders == 0) == (total == 0)
        if orders:
            assert 5 <= total / orders <= 150  # an order of coffee costs a few tens of euros


def test_birth_year_tags_give_ages_18_to_85(customers: list[dict[str, str]]) -> None:
    years = [int(t[5:]) for r in customers for t in r["Tags"].split(", ") if t.startswith("born:")]
    assert 0.45 <= len(years) / len(customers) <= 0.7
    ages = 2026 - np.array(years)
    assert ages.min() >= 17 and ages.max() <= 86
    assert 35 <= np.median(ages) <= 50


def test_google_forms_layout(demo: DemoFiles, survey: list[dict[str, str]]) -> None:
    text = demo.survey.read_bytes().decode("utf-8")  # keep the CRLF line ends
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == ["Timestamp", "Email address"] + [
        it.header("coffee") for it in q.QUESTIONNAIRE
    ]
    # Every field quoted: re-writing with QUOTE_ALL reproduces the file byte for byte.
    again = io.StringIO(newline="")
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        csv.reader(io.StringIO(text, newline=""))
    )
    assert again.getvalue() == text
    stamps = [r["Timestamp"] for r in survey]
    assert all(TIMESTAMP.match(s) for s in stamps)
    assert {s[-5:] for s in stamps} == {"GMT+2", "GMT+1"}  # summer time ends mid-survey
    assert google_timestamp(datetime(2026, 10, 3, 16, 5, 6)) == "2026/10/03 4:05:06 PM GMT+2"
    assert google_timestamp(datetime(2026, 10, 26, 0, 7, 0)) == "2026/10/26 12:07:00 AM GMT+1"


def test_answers_use_the_questionnaire_options(survey: list[dict[str, str]]) -> None:
    for it in q.QUESTIONNAIRE:
        column = [r[_header(it.id)] for r in survey]
        if it.kind in ("scale", "frequency", "choice", "yesno"):
            labels = {o.label for o in it.options}
            assert set(column) - {""} <= labels, it.id
        if it.kind == "multi":
            labels = {o.label for o in it.options}
            parts = {p for cell in column if cell for p in cell.split(";")}
            assert parts <= labels
            assert any("Clubs, societies or teams" in cell for cell in column)
        assert any(column), it.id  # every question got some answers


def test_survey_mess(survey: list[dict[str, str]], by_email: dict[str, str]) -> None:
    counts = [r[_header(f"r_{n.key}")] for r in survey for n in q.NETWORKS]
    for pattern in (
        r"about \d+",
        r"\d+\+",
        r"\d,\d{3}",
        r"\d\.\dk",
        r"\d+–\d+",
        r"\d+-\d+",
        r"lots",
        r"More than 500",
        r"\d+",
    ):
        assert any(re.fullmatch(pattern, c) for c in counts), pattern
    emails = [r["Email address"] for r in survey]
    assert any(e != e.strip() for e in emails)
    assert any(e.strip() != e.strip().lower() for e in emails)
    unknown = [r for r in survey if r["Email address"].strip().casefold() not in by_email]
    assert unknown and any(not r[_header("member_id")] for r in unknown)
    blanks = sum(1 for r in survey for it in q.QUESTIONNAIRE if not r[_header(it.id)])
    assert blanks > len(survey) * 5
    keys = Counter(r[_header("member_id")] or r["Email address"].strip().casefold() for r in survey)
    assert any(n > 1 for n in keys.values())  # someone answered twice


def test_about_a_quarter_answered(
    answered: dict[str, dict[str, str]], customers: list[dict[str, str]]
) -> None:
    members = {r["Customer ID"].lstrip("'") for r in customers}
    assert set(answered) <= members
    assert 0.22 <= len(answered) / 5000 <= 0.28


def test_older_members_are_less_online_but_as_active_offline(
    answered: dict[str, dict[str, str]],
) -> None:
    freq = {o.label: o.value for o in q.FREQUENCY}
    online = {n.label for n in q.NETWORKS if n.online}

    def profile(bands: set[str]) -> tuple[float, float]:
        rows = [r for r in answered.values() if r[_header("age_band")] in bands]
        nets = np.mean([len(set(r[_header("c_networks")].split(";")) & online) for r in rows])
        offline = np.mean(
            [freq[r[_header("p_recommend")]] for r in rows if r[_header("p_recommend")]]
        )
        return float(nets), float(offline)

    young_online, young_offline = profile({"18–24", "25–34"})
    old_online, old_offline = profile({"65–74", "75 or older"})
    assert old_online < young_online - 1
    assert abs(old_offline - young_offline) < 0.5


def test_referrals_stated_versus_observed(
    demo: DemoFiles,
    referrals: list[dict[str, str]],
    answered: dict[str, dict[str, str]],
    by_email: dict[str, str],
) -> None:
    assert list(referrals[0]) == [
        "Referral Date",
        "Advocate Name",
        "Advocate Email",
        "Referral Code",
        "Friend Name",
        "Friend Email",
        "Order Number",
        "Order Total",
        "Currency",
        "Status",
    ]
    dates = [r["Referral Date"] for r in referrals]
    assert dates == sorted(dates) and all(
        re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", d) for d in dates
    )
    made = Counter(by_email.get(r["Advocate Email"].strip().casefold()) for r in referrals)
    assert None not in made
    assert 0.25 <= len(made) / 5000 <= 0.40  # about a third actually refer (Kumar et al.)
    assert any(r["Friend Email"].casefold() not in by_email for r in referrals)
    freq = {o.label: o.value for o in q.FREQUENCY}
    stated, observed = [], []
    for member, row in answered.items():
        if row[_header("p_recommend")]:
            stated.append(freq[row[_header("p_recommend")]])
            observed.append(made.get(member, 0))
    says = np.mean(np.array(stated) > 0)
    assert 0.6 <= says <= 0.76  # about two thirds say they recommend
    r = np.corrcoef(stated, observed)[0, 1]
    assert 0.15 <= r <= 0.55  # moderate, not perfect: stated S must be checked


def test_mailchimp_layout_and_rating(demo: DemoFiles, referrals: list[dict[str, str]]) -> None:
    text = demo.mailchimp.read_text(encoding="utf-8")
    header = text.split("\n", 1)[0].replace('"', "")
    assert header.startswith("Email Address,First Name,Last Name,")
    assert header.endswith(MAILCHIMP_TAIL)
    rows = _read(demo.mailchimp)
    ratings = np.array([int(r["MEMBER_RATING"]) for r in rows])
    assert set(ratings) <= {1, 2, 3, 4, 5} and len(set(ratings)) == 5
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r["OPTIN_TIME"]) for r in rows)
    advocates = {r["Advocate Email"].casefold() for r in referrals}
    is_advocate = np.array([r["Email Address"].casefold() in advocates for r in rows])
    assert ratings[is_advocate].mean() > ratings[~is_advocate].mean() + 0.3


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = generate_demo(tmp_path / "a", n_members=800, seed=11)
    b = generate_demo(tmp_path / "b", n_members=800, seed=11)
    c = generate_demo(tmp_path / "c", n_members=800, seed=12)
    for kind, path in a.paths().items():
        assert path.read_bytes() == b.paths()[kind].read_bytes(), kind
        assert path.read_bytes() != c.paths()[kind].read_bytes(), kind


def test_streaming_writer_matches_demo_and_spans_chunks(tmp_path: Path, demo: DemoFiles) -> None:
    path = tmp_path / "c.csv"
    assert write_shopify_customers(path, 5000, 7) == demo.customer_rows
    assert path.read_bytes() == demo.customers.read_bytes()
    n = CHUNK + 1234
    rows = write_shopify_customers(path, n, 3)
    data = _read(path)
    assert len(data) == rows and n <= rows < n * 1.01
    ids = [int(r["Customer ID"][1:]) for r in data]
    assert ids == sorted(ids)  # Shopify ids rise with sign-up time, across chunks too


def test_hidden_traits_are_the_truth_behind_the_files(customers: list[dict[str, str]]) -> None:
    truth = hidden_traits(5000, 7)
    assert len(truth) == 5000
    assert truth.age.min() >= 18 and truth.age.max() <= 85
    spent = [float(r["Total Spent"]) for r in customers if r["Tags"] != "imported-old-shop"]
    assert sorted(set(truth.spent.round(2).tolist())) == sorted(set(spent))
    assert np.corrcoef(truth.age, truth.online)[0, 1] < -0.3
    assert abs(np.corrcoef(truth.age, truth.offline)[0, 1]) < 0.15


def test_demo_is_quick(tmp_path: Path) -> None:
    start = time.perf_counter()
    generate_demo(tmp_path, n_members=5000)
    assert time.perf_counter() - start < 10  # ~1 s on a laptop; generous for busy CI machines
