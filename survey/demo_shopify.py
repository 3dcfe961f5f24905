"""The demo member list in Shopify's customers-export layout (2022 and later).

Layout facts (FORMATS.md): UTF-8, comma, the 20-column header below; ``Customer ID``, phones and
zips with a leading zero carry a leading apostrophe; flags are ``yes``/``no``; SMS-only customers
have no e-mail; notes may span lines. Shopify has no birthday column: the loyalty sign-up's birth
year lives in the ``Tags`` column as ``born:YYYY`` (tags sorted, joined with ", ").

Realistic awkwardness, a handful per thousand: a row repeated verbatim (two exports pasted
together), a second account whose e-mail differs only in case, mistyped e-mail addresses, names
in capitals, lower case or with stray spaces, notes that look like spreadsheet formulas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from survey import demo_pools as pools
from survey.demo_people import (
    COUNTRY_CODES,
    FIRST,
    LAST,
    People,
    display_names,
    people_chunks,
)

SHOPIFY_HEADER = (
    "Customer ID",
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Total Spent",
    "Total Orders",
    "Note",
    "Tax Exempt",
    "Tags",
)
_YES_NO = ("no", "yes")
_ZIPS_PER_CITY = 64


def _zip_table() -> dict[tuple[int, int], tuple[str, ...]]:
    """A fixed set of plausible zips per city (drawn once, from a fixed seed)."""
    rng = np.random.default_rng(2019)
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    table: dict[tuple[int, int], tuple[str, ...]] = {}
    for k, code in enumerate(COUNTRY_CODES):
        for c, (_, _, template, _, _) in enumerate(pools.COUNTRIES[code][2]):
            zips = []
            for _ in range(_ZIPS_PER_CITY):
                chars = [
                    str(rng.integers(0, 10))
                    if ch == "#"
                    else letters[rng.integers(0, len(letters))]
                    if ch == "A"
                    else ch
                    for ch in template
                ]
                zips.append("".join(chars))
            table[(k, c)] = tuple(zips)
    return table


_ZIPS = _zip_table()
_STREET_FORMAT = [pools.STREETS[c][0] for c in COUNTRY_CODES]
_STREET_NAMES = [pools.STREETS[c][1] for c in COUNTRY_CODES]
_CITY = [[city[0] for city in pools.COUNTRIES[c][2]] for c in COUNTRY_CODES]
_PROVINCE = [[city[1] for city in pools.COUNTRIES[c][2]] for c in COUNTRY_CODES]
_PHONE = [(pools.COUNTRIES[c][0], pools.COUNTRIES[c][1]) for c in COUNTRY_CODES]
_DOMAINS = [[d for d, _ in pools.EMAIL_DOMAINS[c]] for c in COUNTRY_CODES]


@dataclass
class MemberDirectory:
    """What later demo files need to know about each member, in member order."""

    people: list[People] = field(default_factory=list)
    customer_id: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)  # as in the export; "" for SMS-only
    email_ok: list[bool] = field(default_factory=list)  # False when mistyped at the till
    first: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)

    def traits(self) -> People:
        return People.concat(self.people)


def csv_field(value: str) -> str:
    """A field as ``csv.writer`` (QUOTE_MINIMAL) writes it."""
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _table(values: list[str] | tuple[str, ...]) -> np.ndarray:
    """A lookup array of CSV-ready fields with "" appended, so index -1 gives a blank."""
    return np.array([csv_field(v) for v in values] + [""], dtype=object)


_TIER_CUTS = np.array([100.0, 300.0, 750.0])
# Flattened per-city tables, so a member's city is one global index.
_CITY_BASE = np.cumsum([0] + [len(pools.COUNTRIES[c][2]) for c in COUNTRY_CODES])[:-1]
_CITY_NAME = _table([n for row in _CITY for n in row])
_CITY_PROV = _table([n for row in _PROVINCE for n in row])
_CITY_CC = _table([c for c in COUNTRY_CODES for _ in pools.COUNTRIES[c][2]])
_CITY_ZIPS = np.array(
    [
        ["'" + z if z.startswith("0") else z for z in _ZIPS[(k, c)]]
        for k, code in enumerate(COUNTRY_CODES)
        for c in range(len(pools.COUNTRIES[code][2]))
    ]
    + [[""] * _ZIPS_PER_CITY],
    dtype=object,
)
_COMPANY = _table(pools.COMPANIES)
_ADDRESS2 = _table(pools.ADDRESS2)
_NOTE = _table(pools.NOTES)
_YN = np.array(_YES_NO, dtype=object)
_STREET_COUNT = np.array([len(names) for names in _STREET_NAMES])
_MAX_HOUSE = 400
# Every street line there can be: (country, street, house number) → CSV-ready text.
_ADDRESS1 = np.array(
    [
        [
            [
                csv_field(_STREET_FORMAT[k].format(s=_STREET_NAMES[k][st % _STREET_COUNT[k]], n=h))
                for h in range(_MAX_HOUSE + 1)
            ]
            for st in range(int(_STREET_COUNT.max()))
        ]
        for k in range(len(COUNTRY_CODES))
    ],
    dtype=object,
)
_BORN_BASE, _BORN_SPAN = 1930, 90
_TIERS = ("", "loyalty-bronze", "loyalty-silver", "loyalty-gold")


def _tag_table() -> np.ndarray:
    # Every combination of tags a member can have, already sorted as Shopify sorts them.
    table = []
    for born in range(_BORN_SPAN + 1):
        for tier in _TIERS:
            for flags in range(16):
                tags = [
                    f"born:{_BORN_BASE + born - 1}" if born else "",
                    tier,
                    "market-stall" if flags & 1 else "",
                    "newsletter" if flags & 2 else "",
                    "subscription" if flags & 4 else "",
                    "wholesale" if flags & 8 else "",
                ]
                table.append(csv_field(", ".join(t for t in tags if t)))
    return np.array(table, dtype=object)


_TAGS = _tag_table()
_FIRST_ASCII = np.array([a or "member" for a in FIRST.ascii], dtype=object)
_FIRST_INITIAL = np.array([a[0] for a in _FIRST_ASCII], dtype=object)
_LAST_ASCII = np.array([a or "x" for a in LAST.ascii], dtype=object)
_TWO_DIGITS = np.array([f"{i:02d}" for i in range(100)], dtype=object)
_NUMBERS = np.array([str(i) for i in range(100)], dtype=object)
_DOMAIN_BASE = np.cumsum([0] + [len(d) for d in _DOMAINS])[:-1]
_DOMAIN = np.array([d for row in _DOMAINS for d in row], dtype=object)
_BAD = np.array(pools.BAD_EMAILS, dtype=object)
_PHONE_PREFIX = np.array(["'" + p for p, _ in _PHONE], dtype=object)
_PHONE_MOD = np.array([10**d for _, d in _PHONE], dtype=np.int64)
assert all(csv_field(n) == n for n in FIRST.native + FIRST.roman + LAST.native + LAST.roman)
assert all(csv_field(e) == e for e in pools.BAD_EMAILS)


def _emails(people: People, seen: set[str]) -> list[str]:
    """E-mail addresses in the shapes people choose, unique within the store."""
    fa, la = _FIRST_ASCII[people.first], _LAST_ASCII[people.last]
    fi, num = _FIRST_INITIAL[people.first], _NUMBERS[people.email_number]
    style = people.email_style
    local = np.empty(len(people), dtype=object)
    for s, make in enumerate(
        (
            lambda f, i, la, n, y: f + "." + la,
            lambda f, i, la, n, y: f + la,
            lambda f, i, la, n, y: i + "." + la,
            lambda f, i, la, n, y: f + "_" + la,
            lambda f, i, la, n, y: f + "." + la + n,
            lambda f, i, la, n, y: f + y,
            lambda f, i, la, n, y: la + "." + f,
            lambda f, i, la, n, y: i + la + n,
        )
    ):
        w = style == s
        local[w] = make(fa[w], fi[w], la[w], num[w], _TWO_DIGITS[people.birth_year[w] % 100])
    domain = _DOMAIN[_DOMAIN_BASE[people.country] + people.email_domain]
    out = (local + "@" + domain).tolist()
    has, bad = people.has_email.tolist(), people.bad_email.tolist()
    for i, email in enumerate(out):
        if not has[i]:
            out[i] = ""
        elif bad[i] >= 0:
            out[i] = pools.BAD_EMAILS[bad[i]]
        elif email in seen:  # Shopify keeps e-mails unique per store
            n = 2
            while f"{local[i]}{n}@{domain[i]}" in seen:
                n += 1
            out[i] = f"{local[i]}{n}@{domain[i]}"
            seen.add(out[i])
        else:
            seen.add(email)
    return out


def _rows(people: People, seen: set[str], directory: MemberDirectory | None) -> list[str]:
    """One block of members as CSV lines (plus lines for the duplicates).

    Column by column with NumPy lookups into CSV-ready tables, joined per row: the csv module
    would quote exactly the same (a test checks), at a fraction of the cost for a million rows.
    """
    firsts, lasts = display_names(people)
    ids = people.customer_id.astype(str).tolist()
    emails = _emails(people, seen)
    mod = _PHONE_MOD[people.country]
    phone_digits = (people.phone_seed % mod + mod).astype(str).astype(object)
    # str(v + 10**d)[1:] is v zero-padded to d digits.
    phone = np.where(
        people.has_phone,
        _PHONE_PREFIX[people.country] + np.array([d[1:] for d in phone_digits], dtype=object),
        "",
    )
    addr = people.has_address
    city = np.where(addr, _CITY_BASE[people.country] + people.city, len(_CITY_NAME) - 1)
    street = people.street % _STREET_COUNT[people.country]
    address1 = np.where(
        addr, _ADDRESS1[people.country, street, np.minimum(people.house, _MAX_HOUSE)], ""
    )
    # Some give a phone with the address at checkout; it is usually the same number.
    addr_phone = np.where(addr & (people.zip_seed % 5 == 0), phone, "")
    born = np.where(people.born_tag, np.clip(people.birth_year - _BORN_BASE + 1, 1, _BORN_SPAN), 0)
    tier = np.searchsorted(_TIER_CUTS, people.spent, "right")
    flags = (
        people.market_stall * 1
        + people.accepts_email * 2
        + people.subscription * 4
        + (people.company >= 0) * 8
    )
    tags = _TAGS[(born * len(_TIERS) + tier) * 16 + flags]
    cols = [
        ["'" + c for c in ids],
        firsts,
        lasts,
        emails,
        _YN[people.accepts_email.astype(np.int64)].tolist(),
        _COMPANY[np.where(addr, people.company, -1)].tolist(),
        address1.tolist(),
        _ADDRESS2[np.where(addr, people.address2, -1)].tolist(),
        _CITY_NAME[city].tolist(),
        _CITY_PROV[city].tolist(),
        _CITY_CC[city].tolist(),
        _CITY_ZIPS[city, people.zip_seed % _ZIPS_PER_CITY].tolist(),
        addr_phone.tolist(),
        phone.tolist(),
        _YN[people.accepts_sms.astype(np.int64)].tolist(),
        [f"{v:.2f}" for v in people.spent.tolist()],
        people.orders.astype(str).tolist(),
        _NOTE[people.note].tolist(),
        _YN[people.tax_exempt.astype(np.int64)].tolist(),
        tags.tolist(),
    ]
    lines = [",".join(r) for r in zip(*cols, strict=True)]
    bad = people.bad_email
    for i in np.flatnonzero(people.duplicate)[::-1].tolist():
        if people.duplicate[i] == 1:
            lines.insert(i + 1, lines[i])
        elif emails[i] and bad[i] < 0:
            # An old account from a previous shop system: same person, e-mail in capitals.
            lines.insert(
                i + 1,
                ",".join(
                    (
                        f"'{int(people.customer_id[i]) + 1}",
                        firsts[i],
                        lasts[i],
                        emails[i].upper(),
                        "no",
                        *([""] * 9),
                        "no",
                        "24.50",
                        "1",
                        "",
                        "no",
                        "imported-old-shop",
                    )
                ),
            )
    if directory is not None:
        directory.customer_id.extend(ids)
        directory.email.extend(emails)
        directory.email_ok.extend((bad < 0).tolist())
        directory.first.extend(firsts)
        directory.last.extend(lasts)
    return lines


def write_customers(
    path: Path, n_members: int, seed: int, keep: bool = False
) -> tuple[int, MemberDirectory | None]:
    """Write the export; return its data-row count and, when ``keep``, the member directory."""
    directory = MemberDirectory() if keep else None
    seen: set[str] = set()
    written = 0
    # Shopify (Ruby) ends lines with \n; newline="" keeps the \r\n inside a note as typed.
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(SHOPIFY_HEADER) + "\n")
        for block in people_chunks(n_members, seed):
            lines = _rows(block, seen, directory)
            fh.write("\n".join(lines))
            fh.write("\n")
            written += len(lines)
            if directory is not None:
                directory.people.append(block)
    return written, directory


def write_shopify_customers(path: Path | str, n_members: int, seed: int = 7) -> int:
    """Stream a Shopify customers export of ``n_members`` members; return the data-row count."""
    return write_customers(Path(path), n_members, seed)[0]
