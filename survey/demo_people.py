"""The fictional members behind the demo files: who they are and the hidden traits that drive
what they buy, answer and do.

Members are drawn in fixed-size chunks, each from its own generator seeded with
``(seed, chunk number)``: the same seed gives the same people whatever is written from them,
and a million members never need to be in memory at once.

Hidden traits (standard-normal unless noted), so that scoring can be checked against the truth:

* ``knowledge`` — expertise and involvement in coffee;
* ``sociability`` — how much a member talks to and mixes with others (drives referrals);
* ``online`` — sociability expressed online; falls with age (seed 002's comment: older members
  are less active online);
* ``offline`` — sociability expressed in person; does *not* fall with age;
* ``loyalty`` — attachment to the brand (drives spend, NPS, brand involvement).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta

import numpy as np

from survey import demo_pools as pools

CHUNK = 50_000
PROGRAMME_START = date(2019, 3, 1)
EXPORT_DATE = date(2026, 9, 15)  # the day the member list was exported
SPAN_DAYS = (EXPORT_DATE - PROGRAMME_START).days
MIN_AGE, MAX_AGE = 18, 85


def _ascii(text: str) -> str:
    """Lower-case ASCII letters only, as people type names into e-mail addresses."""
    special = {"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "ı": "i", "đ": "d", "Đ": "d", "æ": "ae"}
    text = "".join(special.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha()).lower()


@dataclass(frozen=True)
class NamePool:
    """All cultures' names flattened, with each culture's slice."""

    native: tuple[str, ...]
    roman: tuple[str, ...]
    ascii: tuple[str, ...]
    start: np.ndarray
    count: np.ndarray


def _pool(which: int) -> NamePool:
    native: list[str] = []
    roman: list[str] = []
    start: list[int] = []
    count: list[int] = []
    for spec in pools.CULTURES.values():
        entries = spec[which].split(";")
        start.append(len(native))
        count.append(len(entries))
        for entry in entries:
            nat, _, rom = entry.partition("=")
            native.append(nat)
            roman.append(rom or nat)
    return NamePool(
        tuple(native),
        tuple(roman),
        tuple(_ascii(r) for r in roman),
        np.array(start),
        np.array(count),
    )


FIRST = _pool(2)
LAST = _pool(3)
CULTURE_NAMES = tuple(pools.CULTURES)
COUNTRY_CODES = tuple(pools.COUNTRIES)
_CULTURE_W = np.array([spec[0] for spec in pools.CULTURES.values()])
_CULTURE_W = _CULTURE_W / _CULTURE_W.sum()
_NATIVE_P = np.array([spec[4] for spec in pools.CULTURES.values()])
# Cumulative country shares per culture, for vectorised inverse-CDF sampling.
_COUNTRY_CDF = np.zeros((len(CULTURE_NAMES), len(COUNTRY_CODES)))
for _c, _spec in enumerate(pools.CULTURES.values()):
    for _code, _share in _spec[1].items():
        _COUNTRY_CDF[_c, COUNTRY_CODES.index(_code)] = _share
_COUNTRY_CDF = np.cumsum(_COUNTRY_CDF / _COUNTRY_CDF.sum(axis=1, keepdims=True), axis=1)
CITY_COUNT = np.array([len(pools.COUNTRIES[c][2]) for c in COUNTRY_CODES])
DOMAIN_COUNT = np.array([len(pools.EMAIL_DOMAINS[c]) for c in COUNTRY_CODES])
_DOMAIN_CDF = np.zeros((len(COUNTRY_CODES), int(DOMAIN_COUNT.max())))
for _k, _code in enumerate(COUNTRY_CODES):
    _w = np.array([w for _, w in pools.EMAIL_DOMAINS[_code]])
    _DOMAIN_CDF[_k, : len(_w)] = np.cumsum(_w / _w.sum())
    _DOMAIN_CDF[_k, len(_w) :] = 1.0


@dataclass
class People:
    """One block of members (rows ``offset … offset+len-1`` of the programme), as arrays."""

    offset: int
    customer_id: np.ndarray  # int64, rising with join date like Shopify's ids
    join_day: np.ndarray  # days after PROGRAMME_START
    culture: np.ndarray
    country: np.ndarray
    city: np.ndarray  # index within the country's cities
    first: np.ndarray  # index into FIRST
    last: np.ndarray  # index into LAST
    native_script: np.ndarray
    age: np.ndarray
    birth_year: np.ndarray
    knowledge: np.ndarray
    sociability: np.ndarray
    online: np.ndarray
    offline: np.ndarray
    loyalty: np.ndarray
    orders: np.ndarray
    spent: np.ndarray  # euros, two decimals
    has_email: np.ndarray  # False: an SMS-only customer
    accepts_email: np.ndarray
    has_phone: np.ndarray
    accepts_sms: np.ndarray
    has_address: np.ndarray
    company: np.ndarray  # -1 none, else index into COMPANIES
    tax_exempt: np.ndarray
    address2: np.ndarray  # -1 none
    street: np.ndarray
    house: np.ndarray
    zip_seed: np.ndarray
    phone_seed: np.ndarray
    note: np.ndarray  # -1 none
    born_tag: np.ndarray  # birth year given at loyalty sign-up (Shopify tag born:YYYY)
    subscription: np.ndarray
    market_stall: np.ndarray
    email_style: np.ndarray
    email_domain: np.ndarray
    email_number: np.ndarray
    name_quirk: np.ndarray  # 0 none, 1 UPPER, 2 lower, 3 stray spaces
    bad_email: np.ndarray  # -1 none, else index into BAD_EMAILS
    duplicate: np.ndarray  # 0 none, 1 exact repeat row, 2 second account, e-mail in other case

    def __len__(self) -> int:
        return len(self.customer_id)

    def take(self, index: np.ndarray) -> People:
        """A sub-block (``offset`` is kept; use ``member_index`` for global positions)."""
        values = {f.name: getattr(self, f.name)[index] for f in fields(self) if f.name != "offset"}
        return People(offset=self.offset, **values)

    @staticmethod
    def concat(blocks: list[People]) -> People:
        values = {
            f.name: np.concatenate([getattr(b, f.name) for b in blocks])
            for f in fields(People)
            if f.name != "offset"
        }
        return People(offset=blocks[0].offset if blocks else 0, **values)


def _chunk(seed: int, n_total: int, lo: int, hi: int) -> People:
    rng = np.random.default_rng([seed, lo // CHUNK])
    m = hi - lo
    idx = np.arange(lo, hi)

    culture = rng.choice(len(CULTURE_NAMES), size=m, p=_CULTURE_W)
    country = (rng.random(m)[:, None] > _COUNTRY_CDF[culture]).sum(axis=1)
    # Bigger cities first in each list: weight 1/(k+1) via a squared uniform.
    city = np.minimum(
        (rng.random(m) ** 2 * CITY_COUNT[country]).astype(np.int64), CITY_COUNT[country] - 1
    )
    first = FIRST.start[culture] + (rng.random(m) * FIRST.count[culture]).astype(np.int64)
    last = LAST.start[culture] + (rng.random(m) * LAST.count[culture]).astype(np.int64)
    native_script = rng.random(m) < _NATIVE_P[culture]

    # More members joined recently (growth): join time ~ sqrt of a uniform over the span.
    t = (idx + rng.random(m)) / max(n_total, 1)
    join_day = SPAN_DAYS * np.sqrt(t)
    customer_id = (
        2_400_000_000_000 + (join_day * 2.0e9).astype(np.int64) + idx * 7 + rng.integers(0, 7, m)
    )
    tenure = (SPAN_DAYS - join_day) / 365.25 + 0.1

    age = np.clip(
        MIN_AGE + np.round(rng.beta(1.9, 2.9, m) * (MAX_AGE - MIN_AGE)), MIN_AGE, MAX_AGE
    ).astype(np.int64)
    birth_year = EXPORT_DATE.year - age - (rng.random(m) < 0.7)

    knowledge = rng.standard_normal(m)
    sociability = 0.3 * knowledge + np.sqrt(1 - 0.3**2) * rng.standard_normal(m)
    online = 0.75 * sociability + 0.45 * rng.standard_normal(m) - 0.035 * (age - 45)
    offline = 0.8 * sociability + 0.5 * rng.standard_normal(m) + 0.004 * (age - 45)
    loyalty = 0.4 * knowledge + 0.2 * sociability + 0.85 * rng.standard_normal(m)

    # Orders: a personal yearly rate, log-normal, over the member's tenure; some never bought.
    rate = np.exp(
        np.log(1.6)
        + 0.3 * knowledge
        + 0.4 * loyalty
        + 0.9 * rng.standard_normal(m)
        + 0.006 * (age - 45)
    )
    orders = 1 + rng.poisson(rate * tenure * 0.8)
    never = rng.random(m) < 0.07
    orders[never] = 0
    aov = np.exp(np.log(26.0) + 0.08 * knowledge + 0.3 * rng.standard_normal(m))
    spent = np.round(orders * aov, 2)

    sms_only = rng.random(m) < 0.03 + 0.03 * (age > 60)
    has_email = ~sms_only
    accepts_email = has_email & (rng.random(m) < 0.45 + 0.12 * np.tanh(loyalty))
    has_phone = sms_only | (rng.random(m) < 0.45)
    accepts_sms = sms_only | (has_phone & (rng.random(m) < 0.25))
    has_address = np.where(orders > 0, rng.random(m) < 0.97, rng.random(m) < 0.3)
    company = np.where(rng.random(m) < 0.04, rng.integers(0, len(pools.COMPANIES), m), -1)
    tax_exempt = (company >= 0) & (rng.random(m) < 0.4)
    address2 = np.where(rng.random(m) < 0.12, rng.integers(0, len(pools.ADDRESS2), m), -1)
    note = np.where(rng.random(m) < 0.03, rng.integers(0, len(pools.NOTES), m), -1)
    email_domain = ((rng.random(m)[:, None] > _DOMAIN_CDF[country]).sum(axis=1)).clip(
        0, DOMAIN_COUNT[country] - 1
    )
    bad_email = np.where(
        has_email & (rng.random(m) < 0.0012), rng.integers(0, len(pools.BAD_EMAILS), m), -1
    )
    dup_draw = rng.random(m)
    duplicate = np.where(dup_draw < 0.0006, 1, np.where(dup_draw < 0.0012, 2, 0))
    return People(
        offset=lo,
        customer_id=customer_id,
        join_day=join_day,
        culture=culture,
        country=country,
        city=city,
        first=first,
        last=last,
        native_script=native_script,
        age=age,
        birth_year=birth_year,
        knowledge=knowledge,
        sociability=sociability,
        online=online,
        offline=offline,
        loyalty=loyalty,
        orders=orders,
        spent=spent,
        has_email=has_email,
        accepts_email=accepts_email,
        has_phone=has_phone,
        accepts_sms=accepts_sms,
        has_address=has_address,
        company=company,
        tax_exempt=tax_exempt,
        address2=address2,
        street=rng.integers(0, 1_000_000, m),
        house=1 + (rng.pareto(1.2, m) * 8).astype(np.int64) % 400,
        zip_seed=rng.integers(0, 1 << 40, m),
        phone_seed=rng.integers(0, 1 << 40, m),
        note=note,
        born_tag=rng.random(m) < 0.58,
        subscription=rng.random(m) < 0.08 + 0.08 * (loyalty > 0),
        market_stall=rng.random(m) < 0.06 + 0.08 * sms_only + 0.04 * (age > 60),
        email_style=rng.integers(0, 8, m),
        email_domain=email_domain,
        email_number=rng.integers(1, 100, m),
        name_quirk=np.where(rng.random(m) < 0.012, rng.integers(1, 4, m), 0),
        bad_email=bad_email,
        duplicate=duplicate,
    )


def people_chunks(n_members: int, seed: int) -> Iterator[People]:
    """The programme's members in join order, ``CHUNK`` at a time."""
    for lo in range(0, n_members, CHUNK):
        yield _chunk(seed, n_members, lo, min(lo + CHUNK, n_members))


def hidden_traits(n_members: int = 5000, seed: int = 7) -> People:
    """All members with their hidden traits: the truth the demo files were drawn from."""
    return People.concat(list(people_chunks(n_members, seed)))


def join_date(day: float) -> date:
    return PROGRAMME_START + timedelta(days=int(day))


def display_names(people: People) -> tuple[list[str], list[str]]:
    """First and last names as the member typed them (script, quirks and all)."""
    firsts: list[str] = []
    lasts: list[str] = []
    for f, la, nat, quirk in zip(
        people.first.tolist(),
        people.last.tolist(),
        people.native_script.tolist(),
        people.name_quirk.tolist(),
        strict=True,
    ):
        first = FIRST.native[f] if nat else FIRST.roman[f]
        last = LAST.native[la] if nat else LAST.roman[la]
        if quirk == 1:
            first, last = first.upper(), last.upper()
        elif quirk == 2:
            first, last = first.lower(), last.lower()
        elif quirk == 3:
            first, last = f" {first}", f"{last}  "
        firsts.append(first)
        lasts.append(last)
    return firsts, lasts


_CHINESE = CULTURE_NAMES.index("chinese")
_JAPANESE = CULTURE_NAMES.index("japanese")


def full_name(first: str, last: str, culture: int, native_script: bool) -> str:
    """The name as one line: family name first, as written, for Chinese and Japanese script."""
    first, last = first.strip(), last.strip()
    if native_script and culture == _CHINESE:
        return last + first
    if native_script and culture == _JAPANESE:
        return f"{last} {first}"
    return f"{first} {last}"
