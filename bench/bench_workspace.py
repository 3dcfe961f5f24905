"""Workspace benchmarks: create a workspace and bulk-insert members.

The measured path is the project's bulk path (DESIGN.md, "Bulk work"): the Core-compiled
``insert(models.Member.__table__)`` run by ``store.bulk_insert`` in 50k chunks, with the secondary
indexes set aside and rebuilt (``store.indexes_set_aside``), in the one transaction that
``Workspace.transaction()`` gives. A probe (``--probes``) times the ordinary Core path with dicts.
The baseline is plain ``sqlite3``: a fresh file, a bare table
with the same columns (no indexes, no constraints), one ``executemany`` in one transaction.

Both get the same inputs: rows of Python values as an importer would hold them after parsing
(``join_date`` a ``datetime.date``, consent flags ``bool``, missing values ``None``), built by
:func:`synthetic_members` — NumPy-vectorised and deterministic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert

from bench.runner import benchmark
from scorecard import models, store
from scorecard.workspace import Workspace

CHUNK = 50_000  # rows per execute on the Core path
SEED = 20261123

# The member columns an import fills, in row order. The rest (id, age_band, tags, batch ids)
# are left to their defaults.
COLUMNS: tuple[str, ...] = (
    "external_id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "birth_year",
    "join_date",
    "city",
    "country",
    "postcode",
    "consent_email",
    "consent_sms",
    "referral_code",
)
Row = tuple[Any, ...]

# -- synthetic members ----------------------------------------------------------------------------

# (as written, ASCII for the e-mail address)
_FIRST = (
    ("Emma", "emma"), ("Noah", "noah"), ("Sophie", "sophie"), ("Lucas", "lucas"),
    ("Julia", "julia"), ("Daan", "daan"), ("Anna", "anna"), ("Liam", "liam"),
    ("Chloé", "chloe"), ("Théo", "theo"), ("Zoë", "zoe"), ("Jürgen", "juergen"),
    ("Björn", "bjorn"), ("Søren", "soren"), ("Inês", "ines"), ("João", "joao"),
    ("José", "jose"), ("María", "maria"), ("Łukasz", "lukasz"), ("Zofia", "zofia"),
    ("Mohammed", "mohammed"), ("Fatima", "fatima"), ("Aisha", "aisha"), ("Yusuf", "yusuf"),
    ("Priya", "priya"), ("Arjun", "arjun"), ("Wei", "wei"), ("Mei", "mei"),
    ("Hiroshi", "hiroshi"), ("Yuki", "yuki"), ("Min-jun", "minjun"), ("Seo-yeon", "seoyeon"),
    ("Oluwaseun", "oluwaseun"), ("Chiamaka", "chiamaka"), ("Kwame", "kwame"), ("Amara", "amara"),
    ("Mateo", "mateo"), ("Valentina", "valentina"), ("Olga", "olga"), ("Dmitri", "dmitri"),
    ("Ελένη", "eleni"), ("Γιώργος", "giorgos"), ("Анна", "anna"), ("Иван", "ivan"),
    ("美咲", "misaki"), ("翔太", "shota"), ("伟", "wei"), ("محمد", "mohamed"),
    ("Siobhán", "siobhan"), ("Ciarán", "ciaran"), ("Åsa", "asa"), ("Ólafur", "olafur"),
)
_LAST = (
    ("de Vries", "devries"), ("Jansen", "jansen"), ("van den Berg", "vandenberg"),
    ("Bakker", "bakker"), ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Smith", "smith"),
    ("Jones", "jones"), ("O'Brien", "obrien"), ("Martin", "martin"), ("Dubois", "dubois"),
    ("Lefèvre", "lefevre"), ("García", "garcia"), ("Fernández", "fernandez"),
    ("Rossi", "rossi"), ("Esposito", "esposito"), ("Kowalski", "kowalski"),
    ("Wiśniewska", "wisniewska"), ("Nowak", "nowak"), ("Andersson", "andersson"),
    ("Nielsen", "nielsen"), ("Øster", "oster"), ("Silva", "silva"), ("Gonçalves", "goncalves"),
    ("Yılmaz", "yilmaz"), ("Öztürk", "ozturk"), ("Khan", "khan"), ("Patel", "patel"),
    ("Nguyễn", "nguyen"), ("Trần", "tran"), ("Wang", "wang"), ("Li", "li"), ("Kim", "kim"),
    ("Park", "park"), ("Tanaka", "tanaka"), ("Suzuki", "suzuki"), ("Okafor", "okafor"),
    ("Mensah", "mensah"), ("Ivanova", "ivanova"), ("Papadopoulos", "papadopoulos"),
    ("Παπαδόπουλος", "papadopoulos"), ("Иванов", "ivanov"), ("佐藤", "sato"), ("王", "wang"),
    ("김", "kim"), ("العلي", "alali"), ("Hernández", "hernandez"), ("Ó Súilleabháin", "osullivan"),
)
_DOMAINS = (
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "ziggo.nl",
    "kpnmail.nl", "web.de", "gmx.de", "orange.fr", "btinternet.com", "proton.me",
)
_DOMAIN_P = (0.36, 0.12, 0.1, 0.07, 0.08, 0.05, 0.03, 0.04, 0.04, 0.04, 0.03, 0.04)
# country: (share, calling code, mobile digits after the code, cities, postcode kind)
_COUNTRIES = {
    "NL": (0.40, "+31", 9, ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Groningen"), "nl"),
    "DE": (0.16, "+49", 10, ("Berlin", "München", "Köln", "Hamburg", "Düsseldorf"), "d5"),
    "BE": (0.10, "+32", 9, ("Antwerpen", "Gent", "Bruxelles", "Liège", "Leuven"), "d4"),
    "GB": (0.10, "+44", 10, ("London", "Manchester", "Bristol", "Leeds", "Glasgow"), "gb"),
    "FR": (0.08, "+33", 9, ("Paris", "Lyon", "Lille", "Marseille", "Nantes"), "d5"),
    "US": (0.06, "+1", 10, ("New York", "Chicago", "Seattle", "Austin", "Boston"), "d5"),
    "ES": (0.04, "+34", 9, ("Madrid", "Barcelona", "Sevilla", "València", "Bilbao"), "d5"),
    "JP": (0.03, "+81", 10, ("東京", "大阪", "Kyoto", "Yokohama", "Sapporo"), "jp"),
    "SE": (0.03, "+46", 9, ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Lund"), "se"),
}
_DIGITS3 = np.array([f"{k:03d}" for k in range(1000)])
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXZ"
_CODE_CHARS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
_LETTER_PAIRS = np.array([a + b for a in _LETTERS for b in _LETTERS])
_CODE_PAIRS = np.array([a + b for a in _CODE_CHARS for b in _CODE_CHARS])


def _pick(rng: np.random.Generator, values: Sequence[str], n: int, p: Any = None) -> np.ndarray:
    return np.array(values)[rng.choice(len(values), size=n, p=p)]


def _digits(rng: np.random.Generator, n: int, width: int, nonzero_first: bool = True) -> np.ndarray:
    """``n`` random strings of ``width`` digits, the first one 1–9 when ``nonzero_first``."""
    parts = [_DIGITS3[rng.integers(0, 1000, n)] for _ in range(-(-width // 3))]
    out = parts[0]
    for part in parts[1:]:
        out = np.strings.add(out, part)
    out = np.strings.slice(out, 0, width)
    if nonzero_first:
        lead = np.array(list("123456789"))[rng.integers(0, 9, n)]
        out = np.strings.add(lead, np.strings.slice(out, 1, width))
    return out


def _join(*parts: np.ndarray | str) -> np.ndarray:
    out = np.asarray(parts[0])
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return out


def _with_none(values: np.ndarray, missing: np.ndarray) -> list[Any]:
    out = values.astype(object)
    out[missing] = None
    return out.tolist()


def synthetic_members(n: int, seed: int = SEED) -> list[Row]:
    """``n`` realistic member rows in ``COLUMNS`` order, the same for the same ``n`` and seed.

    Shopify-style ids ascending with the join date, e-mail addresses normalised (lower case)
    and missing for ~3% (SMS-only customers), phones in E.164 for ~60%, birth year for ~65%,
    per-country postcode formats and cities, consent flags, a referral code for ~30%.
    """
    rng = np.random.default_rng(seed)
    first_i = rng.integers(0, len(_FIRST), n)
    last_i = rng.integers(0, len(_LAST), n)
    first = np.array([f for f, _ in _FIRST])[first_i]
    last = np.array([f for f, _ in _LAST])[last_i]
    first_ascii = np.array([a for _, a in _FIRST])[first_i]
    last_ascii = np.array([a for _, a in _LAST])[last_i]

    # ids grow with the join date, as a shop's do: spaced irregularly, never repeating
    external_id = 7_012_345_678_901 + np.arange(n) * 1_000 + rng.integers(0, 1_000, n)
    days = np.sort(rng.integers(0, 365 * 14, n))
    join_date = (np.datetime64("2012-03-01") + days).astype(object)

    number = np.strings.lstrip(_DIGITS3[rng.integers(1, 100, n)], "0")
    suffix = np.where(rng.random(n) < 0.45, number, "")
    email = _join(
        first_ascii, _pick(rng, (".", "", "_", "."), n), last_ascii, suffix, "@",
        _pick(rng, _DOMAINS, n, _DOMAIN_P),
    )

    codes = list(_COUNTRIES)
    c_idx = rng.choice(len(codes), size=n, p=[_COUNTRIES[c][0] for c in codes])
    country = np.array(codes)[c_idx]
    city = np.empty(n, dtype=object)
    phone = np.empty(n, dtype=object)
    postcode = np.empty(n, dtype=object)
    for i, code in enumerate(codes):
        rows = np.flatnonzero(c_idx == i)
        m = len(rows)
        _share, calling, width, cities, kind = _COUNTRIES[code]
        city[rows] = _pick(rng, cities, m)
        phone[rows] = _join(calling, _digits(rng, m, width))
        letters = _LETTER_PAIRS[rng.integers(0, len(_LETTER_PAIRS), m)]
        if kind == "nl":
            pc = _join(_digits(rng, m, 4), " ", letters)
        elif kind == "gb":
            district = np.strings.lstrip(_DIGITS3[rng.integers(1, 20, m)], "0")
            pc = _join(letters, district, " ", _digits(rng, m, 1), letters[::-1])
        elif kind == "jp":
            pc = _join(_digits(rng, m, 3), "-", _digits(rng, m, 4, nonzero_first=False))
        elif kind == "se":
            pc = _join(_digits(rng, m, 3), " ", _digits(rng, m, 2, nonzero_first=False))
        else:
            pc = _digits(rng, m, int(kind[1]))
        postcode[rows] = pc

    birth_year = 2026 - np.clip(np.round(rng.normal(44, 15, n)), 18, 85).astype(np.int64)
    no_email = rng.random(n) < 0.03
    no_phone = rng.random(n) < 0.40
    consent_email = rng.random(n) < 0.55
    consent_sms = (rng.random(n) < 0.25) & ~no_phone
    pairs = [_CODE_PAIRS[rng.integers(0, len(_CODE_PAIRS), n)] for _ in range(4)]
    referral_code = _join(*pairs)

    columns: list[list[Any]] = [
        list(map(str, external_id.tolist())),
        _with_none(email, no_email),
        first.tolist(),
        last.tolist(),
        _with_none(phone, no_phone),
        _with_none(birth_year, rng.random(n) < 0.35),
        join_date.tolist(),
        city.tolist(),
        country.tolist(),
        _with_none(postcode, rng.random(n) < 0.02),
        consent_email.tolist(),
        _with_none(consent_sms, no_phone),
        _with_none(referral_code, rng.random(n) < 0.70),
    ]
    return list(zip(*columns, strict=True))


def chunks(rows: Sequence[Row], size: int = CHUNK) -> Iterator[Sequence[Row]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


# -- the baseline --------------------------------------------------------------------------------

_PLACEHOLDERS = ", ".join("?" * len(COLUMNS))
_RAW_INSERT = f"INSERT INTO member ({', '.join(COLUMNS)}) VALUES ({_PLACEHOLDERS})"
_J = COLUMNS.index("join_date")


def _iso_dates(rows: Iterable[Row]) -> Iterator[Row]:
    """The rows with ``join_date`` as the ISO text SQLite stores (what SQLAlchemy's Date does)."""
    j = _J
    for r in rows:
        yield (*r[:j], r[j].isoformat() if r[j] is not None else None, *r[j + 1 :])


def raw_sqlite_insert(rows: Sequence[Row], workdir: Path) -> None:
    """Plain ``sqlite3``: fresh file, bare table, one ``executemany`` in one transaction.

    Dates are turned into ISO text on the way, as the workspace stores them; sqlite3's own date
    adapter would do the same but is deprecated from Python 3.12.
    """
    con = sqlite3.connect(workdir / "baseline.db", isolation_level=None)
    try:
        con.execute(
            "CREATE TABLE member (id INTEGER PRIMARY KEY, "
            + ", ".join(COLUMNS)
            + ", age_band, tags, created_batch_id, updated_batch_id)"
        )
        con.execute("BEGIN")
        con.executemany(_RAW_INSERT, _iso_dates(rows))
        con.execute("COMMIT")
    finally:
        con.close()


# -- the project's bulk path, and the ordinary Core path for comparison ----------------------------

MEMBER = models.Member.__table__


def _create_insert_close(workdir: Path, insert_rows: Any) -> None:
    ws = Workspace.create(workdir / "bench.scorecard")
    try:
        with ws.transaction() as conn:
            insert_rows(conn)
    finally:
        ws.close()


@benchmark(
    "workspace.create+insert_members",
    setup=synthetic_members,
    baseline=raw_sqlite_insert,
    max_ratio=2.0,
    description="Workspace.create, store.bulk_insert (50k chunks) with indexes set aside, close",
)
def bulk_insert_members(rows: Sequence[Row], workdir: Path) -> None:
    """The project's bulk path: ``store.bulk_insert`` with the secondary indexes rebuilt after."""

    def go(conn: Connection) -> None:
        with store.indexes_set_aside(conn, "member"):
            for chunk in chunks(rows):
                store.bulk_insert(conn, MEMBER, COLUMNS, list(_iso_dates(chunk)))

    _create_insert_close(workdir, go)


@benchmark(
    "probe.core_executemany",
    setup=synthetic_members,
    baseline=raw_sqlite_insert,
    max_ratio=None,
    probe=True,
    description="the ordinary Core path: conn.execute(insert(member), [dict, …]), indexes kept",
)
def core_insert(rows: Sequence[Row], workdir: Path) -> None:
    """What ``bulk_insert`` saves: dict mapping and bind processors per row (~6 µs a row)."""

    def go(conn: Connection) -> None:
        stmt = insert(MEMBER)
        for chunk in chunks(rows):
            conn.execute(stmt, [dict(zip(COLUMNS, r, strict=True)) for r in chunk])

    _create_insert_close(workdir, go)
