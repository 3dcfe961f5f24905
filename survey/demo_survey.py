"""The demo survey answers, in Google Forms' "Download responses (.csv)" layout.

Built from the standard questionnaire (category "coffee"): every field quoted, ``Timestamp`` like
``2026/10/03 4:05:06 PM GMT+1`` (the form's time zone, Europe/Amsterdam, so the offset changes
when summer time ends), ``Email address``, then one column per question headed by its wording,
grid rows as ``Question [Row]`` and checkbox answers joined with ``;``.

Answers follow each member's hidden traits (see ``demo_people``) with noise and response styles,
so the social score computed from them can be checked against the truth. Who answers leans to the
more knowledgeable and loyal. Realistic mess: skipped questions and whole skipped sections, counts
typed as ``about 200``, ``200+``, ``1,200``, ``1.2k``, ``51-150``, ``lots``; e-mails typed in
another case or with spaces, a few e-mails the member list does not know, a few members who
answered twice (the later answer should win), and a few people who are not members at all.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np

from survey import questionnaire as q
from survey.demo_people import FIRST, LAST, People
from survey.demo_shopify import MemberDirectory

CATEGORY = "coffee"
INVITATION = datetime(2026, 10, 6, 10, 0)
REMINDER = datetime(2026, 10, 20, 10, 0)
CLOSES = datetime(2026, 11, 8, 23, 0)

# Network usage: (base probability, weight on online or offline sociability, change per year of
# age over 45). Older members use fewer online networks but as many offline ones.
_USE = {
    "facebook": (0.55, 0.7, 0.010),
    "instagram": (0.5, 0.9, -0.045),
    "tiktok": (0.2, 0.9, -0.08),
    "x": (0.14, 0.7, -0.01),
    "linkedin": (0.28, 0.5, -0.01),
    "youtube": (0.35, 0.6, -0.02),
    "whatsapp": (0.8, 0.5, -0.01),
    "email": (0.7, 0.3, 0.02),
    "forums": (0.12, 0.8, -0.01),
    "clubs": (0.35, 0.8, 0.01),
    "work": (0.6, 0.4, 0.0),
    "neighbourhood": (0.45, 0.6, 0.03),
    "family": (0.93, 0.5, 0.0),
}
# Typical closeness and publicness (1–5), and median contacts, per network.
_SHAPE = {
    "facebook": (2.8, 3.0, 180),
    "instagram": (2.3, 3.8, 220),
    "tiktok": (1.6, 4.5, 120),
    "x": (1.7, 4.5, 150),
    "linkedin": (2.0, 3.6, 250),
    "youtube": (1.5, 4.6, 40),
    "whatsapp": (4.0, 1.5, 60),
    "email": (3.0, 1.3, 120),
    "forums": (2.2, 4.0, 60),
    "clubs": (3.8, 2.5, 35),
    "work": (3.0, 2.0, 40),
    "neighbourhood": (3.3, 2.2, 20),
    "family": (4.5, 1.2, 25),
}
# Participation: (offset, uses online (True) or offline sociability). Creating is rarer than
# spectating, which is what the Technographics weights reward.
_ACTIVITY = {
    "p_read": (1.1, True),
    "p_reviews": (0.1, True),
    "p_photos": (0.0, True),
    "p_posts": (-0.9, True),
    "p_comment": (0.1, True),
    "p_share": (0.4, True),
    "p_recommend": (0.35, False),
    "p_events": (-0.3, False),
    "p_organise": (-1.2, False),
}
_FREQ_CUTS = np.array([0.3, 1.3, 2.2, 3.2])


def google_timestamp(moment: datetime) -> str:
    """Google Forms' CSV timestamp, with the Amsterdam offset of that moment."""
    offset = 2 if _summer_time(moment) else 1
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return (
        f"{moment.year:04d}/{moment.month:02d}/{moment.day:02d} "
        f"{hour}:{moment.minute:02d}:{moment.second:02d} {half} GMT+{offset}"
    )


@cache
def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _summer_time(local: datetime) -> bool:
    # EU rule, in local time: from 02:00 on March's last Sunday to 03:00 on October's.
    start = datetime.combine(_last_sunday(local.year, 3), datetime.min.time()) + timedelta(hours=2)
    end = datetime.combine(_last_sunday(local.year, 10), datetime.min.time()) + timedelta(hours=3)
    return start <= local < end


def _labels(it: q.Item) -> np.ndarray:
    return np.array([o.label for o in it.options] + [""], dtype=object)  # code -1 → ""


def _likert(latent: np.ndarray, style: np.ndarray) -> np.ndarray:
    return np.clip(np.round(3.0 + 1.15 * latent + style), 0, 6).astype(np.int64)


_BAND_EDGES = np.array([0, 1, 6, 16, 51, 151, 501])
_BAND_DASH = np.array([o.label for o in q.REACH_BANDS], dtype=object)
_BAND_HYPHEN = np.array([o.label.replace("–", "-") for o in q.REACH_BANDS], dtype=object)


def _count_text(value: np.ndarray, style: np.ndarray, pick: np.ndarray) -> np.ndarray:
    """Contact counts as people type them: numbers, bands, and sloppy in-betweens."""
    # People round: to 5 below 50, to 10 below 500, to 100 above.
    nice = np.where(
        value < 50,
        np.round(value / 5) * 5,
        np.where(value < 500, np.round(value / 10) * 10, np.round(value / 100) * 100),
    )
    nice = np.maximum(nice, 1).astype(np.int64)
    band = np.searchsorted(_BAND_EDGES, nice, "right") - 1
    text = nice.astype(str).astype(object)
    out = np.full(len(value), "", dtype=object)

    def put(mask: np.ndarray, values: np.ndarray | list[str]) -> None:
        out[mask] = np.asarray(values, dtype=object) if len(values) else values

    plain = style < 0.50
    put(plain, text[plain])
    thousands = plain & (nice >= 1000) & (pick < 0.5)
    put(thousands, [f"{v:,}" for v in nice[thousands].tolist()])
    dash = (style >= 0.50) & (style < 0.65)
    put(dash, _BAND_DASH[band[dash]])
    hyphen = (style >= 0.65) & (style < 0.73)
    put(hyphen, _BAND_HYPHEN[band[hyphen]])
    sloppy = (style >= 0.73) & (style < 0.85)
    put(sloppy & (pick < 0.75), "about " + text[sloppy & (pick < 0.75)])
    put(sloppy & (pick >= 0.75) & (pick < 0.9), text[sloppy & (pick >= 0.75) & (pick < 0.9)] + "+")
    put(sloppy & (pick >= 0.9), "~" + text[sloppy & (pick >= 0.9)])
    kilo = sloppy & (nice >= 1000) & (pick < 0.4)
    put(kilo, [f"{v / 1000:.1f}k" for v in nice[kilo].tolist()])
    lots = sloppy & (nice >= 400) & (pick < 0.55) & ~kilo
    put(lots, ["lots"] * int(lots.sum()))
    return out  # style ≥ 0.85: left blank


@dataclass(frozen=True)
class SurveyResult:
    rows: int  # data rows, repeats and non-members included
    respondents: int  # distinct members who answered
    respondent_index: np.ndarray  # member positions (into the directory) of those members


def _respondents(rng: np.random.Generator, traits: People, share: float) -> np.ndarray:
    # Weighted sampling without replacement via Gumbel top-k: the engaged answer more often.
    weight = 0.5 * traits.knowledge + 0.4 * traits.loyalty + 0.2 * traits.sociability
    weight = weight + 0.5 * (traits.orders > 0)
    keys = weight + rng.gumbel(size=len(traits))
    k = round(share * len(traits))
    return np.sort(np.argsort(-keys, kind="stable")[:k])


def _answers(rng: np.random.Generator, t: People) -> dict[str, list[str] | np.ndarray]:
    """One column of answer texts per questionnaire item, for the people in ``t``."""
    m = len(t)
    cols: dict[str, list[str] | np.ndarray] = {}
    style = rng.normal(0.25, 0.45, m)  # acquiescence: some people agree with everything
    know = {
        "k_expertise": t.knowledge,
        "k_interest": 0.8 * t.knowledge + 0.3 * t.loyalty,
        "k_brand": 0.3 * t.knowledge + 0.8 * t.loyalty,
        "k_advice": 0.6 * t.knowledge + 0.5 * t.sociability,
        "k_influence": 0.5 * t.knowledge + 0.5 * t.sociability - 0.3,
        "k_maven": 0.6 * t.knowledge + 0.4 * t.sociability,
    }
    for item_id, latent in know.items():
        codes = _likert(latent + 0.6 * rng.standard_normal(m), style)
        cols[item_id] = _labels(q.item(item_id))[codes]
    years = np.minimum(np.exp(1.3 + 0.5 * t.knowledge + 0.6 * rng.standard_normal(m)), t.age - 16)
    cols["k_years"] = _labels(q.item("k_years"))[np.searchsorted([1, 3, 6, 11], years, "right")]
    for item_id, (offset, online) in _ACTIVITY.items():
        social = t.online if online else t.offline
        latent = offset + 0.5 * t.knowledge + 0.8 * social + 0.7 * rng.standard_normal(m)
        cols[item_id] = _labels(q.item(item_id))[np.searchsorted(_FREQ_CUTS, latent)]

    used = {}
    for net in q.NETWORKS:
        base, slope, per_year = _USE[net.key]
        social = t.online if net.online else t.offline
        logit = np.log(base / (1 - base)) + slope * social + per_year * (t.age - 45)
        if net.key == "work":
            logit = logit - 3.0 * (t.age >= 67)  # retired
        used[net.key] = rng.random(m) < 1 / (1 + np.exp(-logit))
    labels = [(net.key, net.label) for net in q.NETWORKS]
    cols["c_networks"] = [";".join(lab for key, lab in labels if used[key][i]) for i in range(m)]
    skip_grid = rng.random(m) < 0.12  # some skip the closeness and publicness grids entirely
    reach_style = rng.random((len(q.NETWORKS), m))
    for j, net in enumerate(q.NETWORKS):
        close, public, median = _SHAPE[net.key]
        show = used[net.key] & ~skip_grid & (rng.random(m) > 0.04)
        c = np.clip(np.round(close + 0.2 * t.sociability + 0.7 * rng.standard_normal(m)), 1, 5)
        p = np.clip(np.round(public + 0.7 * rng.standard_normal(m)), 1, 5)
        cols[f"c_{net.key}_close"] = _labels(q.item(f"c_{net.key}_close"))[
            np.where(show, c.astype(np.int64) - 1, -1)
        ]
        cols[f"c_{net.key}_public"] = _labels(q.item(f"c_{net.key}_public"))[
            np.where(show, p.astype(np.int64) - 1, -1)
        ]
        social = t.online if net.online else t.offline
        count = median * np.exp(0.45 * social + 0.7 * rng.standard_normal(m))
        count = np.where(rng.random(m) < 0.004, 5000, count)  # inflated self-report
        text = _count_text(count, reach_style[j], rng.random(m))
        cols[f"r_{net.key}"] = np.where(used[net.key], text, "")
    nps = np.clip(
        np.round(7.4 + 1.3 * t.loyalty + 0.3 * t.knowledge + 1.2 * rng.standard_normal(m)), 0, 10
    ).astype(np.int64)
    cols["nps"] = _labels(q.item("nps"))[np.where(rng.random(m) < 0.03, -1, nps)]
    band = np.searchsorted([25, 35, 45, 55, 65, 75], t.age, "right")
    draw = rng.random(m)
    band = np.where(draw < 0.03, 7, np.where(draw < 0.05, -1, band))  # prefer not to say, blank
    cols["age_band"] = _labels(q.item("age_band"))[band]
    consent = rng.random(m)
    cols["consent"] = np.where(consent < 0.03, "No", np.where(consent < 0.04, "", "Yes"))
    return cols


def _times(rng: np.random.Generator, m: int) -> list[datetime]:
    after_reminder = rng.random(m) < 0.28
    start = np.where(after_reminder, (REMINDER - INVITATION).total_seconds(), 0.0)
    delay = start + rng.exponential(np.where(after_reminder, 2.5, 1.8)) * 86400
    day = np.floor(delay / 86400)
    # Time of day: mornings, lunch and evenings, seldom at night.
    hour = rng.choice(
        [7, 8, 9, 10, 12, 13, 16, 19, 20, 21, 22, 23, 0],
        size=m,
        p=[0.06, 0.1, 0.1, 0.08, 0.1, 0.08, 0.08, 0.1, 0.12, 0.1, 0.05, 0.02, 0.01],
    )
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, m)
    base = datetime.combine(INVITATION.date(), datetime.min.time())
    limit = (CLOSES - base).total_seconds()
    seconds = np.where(seconds < (INVITATION - base).total_seconds(), seconds + 86400, seconds)
    seconds = np.minimum(seconds, limit - rng.integers(0, 86400 * 3, m))
    return [base + timedelta(seconds=int(s)) for s in seconds]


def _typed_email(rng: np.random.Generator, email: str, ok: bool, first: int, last: int) -> str:
    """The e-mail a member types into the form."""
    if not email or not ok or rng.random() < 0.02:
        # SMS-only or mistyped in the shop, or a work address: one the member list lacks.
        return f"{FIRST.ascii[first]}.{LAST.ascii[last]}.{rng.integers(10, 99)}@gmail.com"
    draw = rng.random()
    if draw < 0.03:
        local, _, domain = email.partition("@")
        return f"{local[:1].upper()}{local[1:]}@{domain.capitalize()}"
    if draw < 0.05:
        return email.upper()
    if draw < 0.07:
        return f" {email} "
    return email


def write_survey(
    path: Path, directory: MemberDirectory, seed: int, share: float = 0.25
) -> SurveyResult:
    """Write the Google Forms export for the members in ``directory``."""
    rng = np.random.default_rng([seed, 101])
    traits = directory.traits()
    who = _respondents(rng, traits, share)
    repeat = who[rng.random(len(who)) < 0.015]  # answered twice
    n_strangers = max(2, round(0.01 * len(who)))  # not members: a forwarded link
    strangers = rng.integers(0, len(traits), n_strangers)  # borrow traits, not identity
    people = np.concatenate([who, repeat, strangers])
    cols = _answers(rng, traits.take(people))
    m = len(people)

    # Whole sections skipped: some stop caring after the networks, a few skip those too.
    section = {it.id: it.section for it in q.QUESTIONNAIRE}
    skip = rng.random(m)
    for it in q.QUESTIONNAIRE:
        blank = (
            (skip < 0.05)
            if section[it.id] in (q.S_REACH, q.S_ABOUT)
            else (skip < 0.02)
            if section[it.id] == q.S_NET
            else np.zeros(m, bool)
        )
        blank = blank | (rng.random(m) < 0.02)  # the odd skipped question
        if it.id in ("member_id", "consent"):
            continue
        col = np.asarray(cols[it.id], dtype=object)
        col[blank] = ""
        cols[it.id] = col

    times = _times(rng, m)
    n_first = len(who)
    first_time = {int(p): times[i] for i, p in enumerate(who)}
    for i in range(n_first, n_first + len(repeat)):
        # The second answer comes a few days after the first.
        times[i] = first_time[int(people[i])] + timedelta(hours=float(rng.uniform(20, 140)))
    emails: list[str] = []
    member_ids: list[str] = []
    for i, p in enumerate(people.tolist()):
        if i >= n_first + len(repeat):
            emails.append(f"{FIRST.ascii[traits.first[p]]}{rng.integers(100, 999)}@gmail.com")
            member_ids.append("")
            continue
        emails.append(
            _typed_email(
                rng,
                directory.email[p],
                directory.email_ok[p],
                int(traits.first[p]),
                int(traits.last[p]),
            )
        )
        # Personalised links pre-fill the member number; SMS invitations always do.
        prefilled = rng.random() < 0.7 or not directory.email[p]
        member_ids.append(directory.customer_id[p] if prefilled else "")
    cols["member_id"] = member_ids

    order = np.array(sorted(range(m), key=lambda i: times[i]), dtype=np.int64)
    header = ["Timestamp", "Email address"] + [it.header(CATEGORY) for it in q.QUESTIONNAIRE]
    stamps = np.array([google_timestamp(t) for t in times], dtype=object)
    ordered = [stamps[order], np.array(emails, dtype=object)[order]] + [
        np.asarray(cols[it.id], dtype=object)[order] for it in q.QUESTIONNAIRE
    ]
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        step = 20_000
        for lo in range(0, m, step):
            writer.writerows(zip(*(c[lo : lo + step].tolist() for c in ordered), strict=True))
    return SurveyResult(rows=m, respondents=len(who), respondent_index=who)
