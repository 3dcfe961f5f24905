"""A deterministic, realistic fictional loyalty programme: a coffee roaster in Amsterdam that
ships across Europe ("Bean & Co. Coffee Club"). Same seed, same bytes.

``generate_demo(folder)`` writes four files, each in the layout of the tool it imitates:

``customers_export.csv``
    Shopify customers export (see ``demo_shopify``). Shopify has no birthday column, so the birth
    year members give at loyalty sign-up is a tag, ``born:1978`` (about 58% of members); survey
    respondents also give an age band.
``survey_responses.csv``
    Google Forms responses to the standard questionnaire, about 25% of members (``demo_survey``).
``referrals.csv``
    Referred purchases, modelled on a referral tool's report (ReferralCandy-style; the exact
    column names of any one tool are unconfirmed): ``Referral Date`` (``YYYY-MM-DD HH:MM:SS``),
    ``Advocate Name``, ``Advocate Email``, ``Referral Code``, ``Friend Name``, ``Friend Email``,
    ``Order Number``, ``Order Total``, ``Currency``, ``Status`` (``Approved``/``Pending``). People
    are identified by e-mail; the code is the advocate's own. Friends referred after the member
    list was exported are not in it yet (they re-match after a later member import).
    Who refers follows hidden sociability, so stated recommending (about two thirds say they
    recommend) and observed referral (about a third do: Kumar, Petersen and Leone 2007) correlate
    moderately.
``mailchimp_members.csv``
    Mailchimp audience export of the subscribed members: merge fields, then ``MEMBER_RATING``
    (1–5, follows sociability and knowledge), ``OPTIN_TIME`` and the rest (FORMATS.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from survey import demo_pools as pools
from survey.demo_people import (
    COUNTRY_CODES,
    EXPORT_DATE,
    FIRST,
    PROGRAMME_START,
    People,
    full_name,
    hidden_traits,
)
from survey.demo_shopify import MemberDirectory, write_customers, write_shopify_customers
from survey.demo_survey import CLOSES, write_survey

__all__ = ["DemoFiles", "generate_demo", "hidden_traits", "write_shopify_customers"]

REFERRAL_HEADER = (
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
)
MAILCHIMP_HEADER = (
    "Email Address",
    "First Name",
    "Last Name",
    "Address",
    "Phone Number",
    "Birthday",
    "MEMBER_RATING",
    "OPTIN_TIME",
    "OPTIN_IP",
    "CONFIRM_TIME",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
    "GMTOFF",
    "DSTOFF",
    "TIMEZONE",
    "CC",
    "REGION",
    "LAST_CHANGED",
    "LEID",
    "EUID",
    "NOTES",
    "TAGS",
)
REFERRAL_SHARE = 0.32  # share of members with at least one referred purchase on record
_ZONES = {
    "GB": ("0", "1", "Europe/London"),
    "PT": ("0", "1", "Europe/Lisbon"),
    "US": ("-5", "-4", "America/New_York"),
}


@dataclass(frozen=True)
class DemoFiles:
    """The demo's files and what is in them."""

    folder: Path
    customers: Path
    survey: Path
    referrals: Path
    mailchimp: Path
    members: int  # people in the programme
    customer_rows: int  # rows in the export (a few duplicates included)
    survey_rows: int
    respondents: int  # distinct members who answered
    referrals_rows: int
    referrers: int  # distinct advocates
    mailchimp_rows: int

    def paths(self) -> dict[str, Path]:
        """The files by kind: customers, survey, referrals, mailchimp."""
        return {
            "customers": self.customers,
            "survey": self.survey,
            "referrals": self.referrals,
            "mailchimp": self.mailchimp,
        }

    def summary(self) -> dict[str, object]:
        """Counts and file names, for a ``--json`` answer."""
        return {
            "folder": str(self.folder),
            "members": self.members,
            "files": {
                p.name: n
                for p, n in (
                    (self.customers, self.customer_rows),
                    (self.survey, self.survey_rows),
                    (self.referrals, self.referrals_rows),
                    (self.mailchimp, self.mailchimp_rows),
                )
            },
            "respondents": self.respondents,
            "referrers": self.referrers,
        }


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _day_time(day: float, rng: np.random.Generator) -> datetime:
    base = datetime.combine(PROGRAMME_START, datetime.min.time())
    return base + timedelta(days=int(day), seconds=int(rng.integers(7 * 3600, 23 * 3600)))


def _calibrate(score: np.ndarray, target: float) -> float:
    """The intercept that makes the mean logistic probability equal ``target`` (bisection)."""
    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if np.mean(1 / (1 + np.exp(-(mid + score)))) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _name(directory: MemberDirectory, traits: People, i: int) -> str:
    return full_name(
        directory.first[i], directory.last[i], int(traits.culture[i]), bool(traits.native_script[i])
    )


def _referral_code(rng: np.random.Generator, first: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    name = FIRST.ascii[first].upper()[:8] or "FRIEND"
    return name + "".join(letters[i] for i in rng.integers(0, len(letters), 4))


def write_referrals(
    path: Path, directory: MemberDirectory, traits: People, seed: int
) -> tuple[int, int]:
    """Write the referred-purchases report; return (rows, distinct advocates)."""
    rng = np.random.default_rng([seed, 202])
    n = len(traits)
    eligible = np.array(directory.email_ok) & traits.has_email & (traits.orders > 0)
    score = 1.1 * traits.sociability + 0.3 * traits.knowledge + 0.3 * traits.loyalty
    score = np.where(eligible, score, -50.0)
    p = 1 / (1 + np.exp(-(_calibrate(score, REFERRAL_SHARE) + score)))
    advocates = np.flatnonzero(rng.random(n) < p)
    friends_of = 1 + rng.poisson(0.3 * np.exp(0.4 * traits.sociability[advocates]))
    referred = np.zeros(n, bool)
    rows: list[tuple[datetime, list[str]]] = []
    late_end = datetime.combine(CLOSES.date(), datetime.min.time())
    export_end = datetime.combine(EXPORT_DATE, datetime.min.time())
    has_email = np.array(directory.email_ok) & traits.has_email
    order = rng.permutation(len(advocates))
    active: set[int] = set()
    for a, k in zip(advocates[order].tolist(), friends_of[order].tolist(), strict=True):
        code = _referral_code(rng, int(traits.first[a]))
        advocate_email = directory.email[a]
        if rng.random() < 0.03:
            advocate_email = advocate_email.capitalize()  # typed again at the referral widget
        for _ in range(k):
            if rng.random() < 0.05:
                # A friend who bought after the member list was exported: not in it yet.
                when = export_end + timedelta(
                    seconds=float(rng.uniform(86400, (late_end - export_end).total_seconds()))
                )
                f = int(rng.integers(0, len(FIRST.roman)))
                friend = (
                    f"{FIRST.roman[f]} {'ABCDEFGHIJKLMNOPRSTVW'[int(rng.integers(0, 21))]}.",
                    f"{FIRST.ascii[f] or 'friend'}{rng.integers(10, 999)}@gmail.com",
                )
            else:
                # A later member with an e-mail, usually joining within months of the advocate.
                j = -1
                for _try in range(12):
                    cand = a + 1 + int(rng.geometric(1 / max(2.0, 0.08 * n)))
                    if cand < n and not referred[cand] and has_email[cand]:
                        j = cand
                        break
                if j < 0:
                    continue
                referred[j] = True
                when = _day_time(traits.join_day[j], rng)
                friend = (_name(directory, traits, j), directory.email[j])
            active.add(a)
            total = float(np.round(np.exp(np.log(28) + 0.3 * rng.standard_normal()), 2))
            status = "Pending" if when > late_end - timedelta(days=30) else "Approved"
            rows.append(
                (
                    when,
                    [
                        _stamp(when),
                        _name(directory, traits, a),
                        advocate_email,
                        code,
                        friend[0],
                        friend[1],
                        "",
                        f"{total:.2f}",
                        "EUR",
                        status,
                    ],
                )
            )
    rows.sort(key=lambda r: r[0])
    # Order numbers rise with time in a shop; renumber after sorting by date.
    for i, (_, row) in enumerate(rows):
        row[6] = f"#{4100 + 7 * i + int(rng.integers(0, 7))}"
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(REFERRAL_HEADER)
        writer.writerows(row for _, row in rows)
    return len(rows), len(active)


def write_mailchimp(path: Path, directory: MemberDirectory, traits: People, seed: int) -> int:
    """Write the subscribed-members export; return its row count."""
    rng = np.random.default_rng([seed, 303])
    n = len(traits)
    rating = np.clip(
        np.round(
            2.4
            + 0.6 * traits.sociability
            + 0.4 * traits.knowledge
            + 0.2 * traits.loyalty
            + 0.7 * rng.standard_normal(n)
        ),
        1,
        5,
    )
    subscribed = traits.accepts_email & np.array(directory.email_ok)
    export = datetime.combine(EXPORT_DATE, datetime.min.time())
    rows = 0
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(MAILCHIMP_HEADER)
        for i in np.flatnonzero(subscribed).tolist():
            optin = _day_time(traits.join_day[i], rng)
            k = int(traits.country[i])
            code = COUNTRY_CODES[k]
            city = pools.COUNTRIES[code][2][int(traits.city[i])]
            form = rng.random() < 0.4  # signed up on the web form (else synced from Shopify)
            ip = f"203.0.113.{int(rng.integers(1, 255))}" if form else ""
            gmt, dst, zone = _ZONES.get(code, ("1", "2", "Europe/Amsterdam"))
            birthday = ""
            if traits.born_tag[i]:
                birthday = f"{int(rng.integers(1, 13)):02d}/{int(rng.integers(1, 29)):02d}"
            changed = optin + timedelta(days=float(rng.uniform(0, (export - optin).days + 1)))
            writer.writerow(
                [
                    directory.email[i],
                    directory.first[i].strip(),
                    directory.last[i].strip(),
                    "",
                    "",
                    birthday,
                    str(int(rating[i])),
                    _stamp(optin),
                    ip,
                    _stamp(optin + timedelta(minutes=float(rng.uniform(1, 30)))) if form else "",
                    ip,
                    f"{city[3] + rng.normal(0, 0.02):.7f}" if form else "",
                    f"{city[4] + rng.normal(0, 0.02):.7f}" if form else "",
                    gmt if form else "",
                    dst if form else "",
                    zone if form else "",
                    code if form else "",
                    city[1] if form else "",
                    _stamp(changed),
                    str(100_000_000 + 37 * i + int(rng.integers(0, 37))),
                    "".join(f"{b:02x}" for b in rng.integers(0, 256, 5).tolist()),
                    "",
                    '"Shopify Customer"' if not form else '"Website signup"',
                ]
            )
            rows += 1
    return rows


def generate_demo(folder: Path | str, n_members: int = 5000, seed: int = 7) -> DemoFiles:
    """Write the demo programme's four files into ``folder`` (created if missing)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    customers = out / "customers_export.csv"
    survey = out / "survey_responses.csv"
    referrals = out / "referrals.csv"
    mailchimp = out / "mailchimp_members.csv"
    customer_rows, directory = write_customers(customers, n_members, seed, keep=True)
    assert directory is not None
    traits = directory.traits()
    result = write_survey(survey, directory, seed)
    referral_rows, referrers = write_referrals(referrals, directory, traits, seed)
    mailchimp_rows = write_mailchimp(mailchimp, directory, traits, seed)
    return DemoFiles(
        folder=out,
        customers=customers,
        survey=survey,
        referrals=referrals,
        mailchimp=mailchimp,
        members=n_members,
        customer_rows=customer_rows,
        survey_rows=result.rows,
        respondents=result.respondents,
        referrals_rows=referral_rows,
        referrers=referrers,
        mailchimp_rows=mailchimp_rows,
    )
