"""Column mapping: which header feeds which field, guessed from real exports' headers.

A mapping is a plain ``{header: field}`` dict. Guesses come from aliases collected from Shopify,
Mailchimp, HubSpot, Square and WooCommerce exports and from hand-made sheets in a few languages.
A mapping the user confirmed is saved as a profile keyed by the file's header row, and reused
when a file with the same headers comes again.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from scorecard import models
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

IGNORE = "ignore"

# Member-list fields, with aliases in priority order: when two headers map to one field
# (Shopify's "Phone" and "Default Address Phone"), the earlier alias wins.
MEMBER_FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": (
        "customer id",
        "square customer id",
        "record id",
        "member id",
        "member number",
        "membership number",
        "loyalty id",
        "loyalty number",
        "customer number",
        "client id",
        "customer no",
        "member no",
        "member nr",
        "customer nr",
        "lidnummer",
        "mitgliedsnummer",
        "kundennummer",
        "klantnummer",
        "id",
        "user id",
        "contact id",
    ),
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "emailaddress",
        "mail",
        "email adres",
        "e-mailadres",
        "courriel",
        "customer email",
        "billing email",
    ),
    "full_name": ("name", "full name", "customer name", "customer", "member name", "naam"),
    "first_name": (
        "first name",
        "firstname",
        "given name",
        "forename",
        "voornaam",
        "vorname",
        "prénom",
        "prenom",
        "nombre",
        "billing first name",
    ),
    "last_name": (
        "last name",
        "lastname",
        "surname",
        "family name",
        "achternaam",
        "nachname",
        "nom",
        "apellido",
        "apellidos",
        "billing last name",
    ),
    "phone": (
        "phone",
        "phone number",
        "mobile",
        "mobile phone",
        "mobile number",
        "telephone",
        "telefoon",
        "telefon",
        "default address phone",
        "billing phone",
    ),
    "birthday": ("birthday", "birth date", "birthdate", "date of birth", "dob", "geboortedatum"),
    "birth_year": ("birth year", "year of birth", "geboortejaar", "geburtsjahr"),
    "age": ("age", "leeftijd", "alter"),
    "age_band": ("age band", "age group", "age range"),
    "join_date": (
        "created at",
        "date created",
        "create date",
        "created",
        "date registered",
        "signup date",
        "sign up date",
        "registration date",
        "member since",
        "join date",
        "joined",
        "first visit",
        "optin time",
        "customer since",
        "kunde seit",
        "klant sinds",
        "lid sinds",
        "mitglied seit",
        "client depuis",
    ),
    "city": ("city", "default address city", "town", "plaats", "stadt", "ville"),
    "country": (
        "country",
        "country code",
        "default address country code",
        "country / region",
        "country/region",
        "cc",
        "land",
        "pays",
    ),
    "postcode": (
        "zip",
        "postal code",
        "postcode",
        "zip code",
        "post code",
        "default address zip",
        "postleitzahl",
        "plz",
    ),
    "consent_email": (
        "accepts email marketing",
        "accepts marketing",
        "email marketing consent",
        "email consent",
        "marketing opt-in",
        "marketing opt in",
        "newsletter",
        "subscribed",
        "opted in",
        "email opt-in",
    ),
    "consent_sms": ("accepts sms marketing", "sms consent", "sms marketing consent"),
    "referral_code": ("referral code", "referral link code", "ref code", "invite code"),
    "tags": ("tags", "labels", "segments"),
    "revenue": (
        "total spent",
        "lifetime spend",
        "total spend",
        "revenue",
        "total revenue",
        "spend",
        "amount spent",
        "total sales",
        "money spent",
        "total purchases",
        "lifetime revenue",
        "omzet",
        "umsatz",
        "sales",
    ),
    "orders": (
        "total orders",
        "orders",
        "order count",
        "orders count",
        "number of orders",
        "transaction count",
        "transactions",
        "purchases",
        "visits",
        "bestellingen",
    ),
    "cost_to_serve": ("cost to serve", "service cost", "cost to serve total", "servicing cost"),
    "first_order": ("first order", "first order date", "first purchase", "first purchase date"),
    "last_order": (
        "last order",
        "last order date",
        "last purchase",
        "last purchase date",
        "last visit",
        "last active",
        "last seen",
    ),
    "currency": ("currency", "currency code"),
}

MEMBER_FIELD_LABELS: dict[str, str] = {
    "external_id": "Customer / member id",
    "email": "Email",
    "full_name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "phone": "Phone",
    "birthday": "Birthday",
    "birth_year": "Birth year",
    "age": "Age",
    "age_band": "Age band",
    "join_date": "Joined on",
    "city": "City",
    "country": "Country",
    "postcode": "Postcode",
    "consent_email": "Email consent",
    "consent_sms": "SMS consent",
    "referral_code": "Referral code",
    "tags": "Tags",
    "revenue": "Revenue (total spent)",
    "orders": "Order count",
    "cost_to_serve": "Cost to serve",
    "first_order": "First order date",
    "last_order": "Last order date",
    "currency": "Currency",
}

_ALIAS_RANK = {
    (alias, field): rank
    for field, aliases in MEMBER_FIELDS.items()
    for rank, alias in enumerate(aliases)
}
_ALIAS_FIELD = {alias: field for (alias, field) in _ALIAS_RANK}


def normalise_header(header: str) -> str:
    """Lower-case, accents kept, punctuation and underscores to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", header).casefold()
    text = text.replace("_", " ")
    text = re.sub(r"[*:()\[\]#\"'.]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class ColumnGuess:
    header: str
    field: str  # a field name, or IGNORE
    confidence: float  # 1.0 exact alias, 0.6 partial, 0.0 none


def guess_member_mapping(headers: list[str]) -> list[ColumnGuess]:
    """Guess each header's field; each field is taken at most once, by its best header."""
    candidates: list[tuple[float, int, int, str]] = []  # (-confidence, alias rank, col, field)
    for col, header in enumerate(headers):
        norm = normalise_header(header)
        field = _ALIAS_FIELD.get(norm)
        if field is not None:
            candidates.append((-1.0, _ALIAS_RANK[(norm, field)], col, field))
            continue
        partial = _partial_match(norm)
        if partial is not None:
            candidates.append((-0.6, 99, col, partial))
    taken_fields: set[str] = set()
    chosen: dict[int, tuple[str, float]] = {}
    for neg_conf, _rank, col, field in sorted(candidates):
        if field in taken_fields or col in chosen:
            continue
        taken_fields.add(field)
        chosen[col] = (field, -neg_conf)
    return [ColumnGuess(h, *chosen.get(i, (IGNORE, 0.0))) for i, h in enumerate(headers)]


_PARTIAL_WORDS: tuple[tuple[str, str], ...] = (
    ("e-mail", "email"),
    ("email", "email"),
    ("spent", "revenue"),
    ("revenue", "revenue"),
    ("orders", "orders"),
    ("postcode", "postcode"),
    ("zip", "postcode"),
    ("first name", "first_name"),
    ("last name", "last_name"),
    ("phone", "phone"),
    ("birthday", "birthday"),
)


def _partial_match(norm: str) -> str | None:
    # Only for headers that carry a field's key word inside a longer label, e.g. "Customer
    # e-mail (work)". Flagged with lower confidence so the wizard can ask.
    for word, field in _PARTIAL_WORDS:
        if word in norm and "marketing" not in norm and "consent" not in norm:
            return field
    return None


def parse_map_options(options: list[str], headers: list[str], fields: set[str]) -> dict[str, str]:
    """Turn ``--map "Column header=field"`` options into a mapping, checking both sides."""
    by_norm = {normalise_header(h): h for h in headers}
    mapping: dict[str, str] = {}
    for option in options:
        if "=" not in option:
            raise ScorecardError(f'--map "{option}": expected "Column header=field"')
        header, field = (part.strip() for part in option.rsplit("=", 1))
        actual = header if header in headers else by_norm.get(normalise_header(header))
        if actual is None:
            raise ScorecardError(
                f'--map "{option}": the file has no column "{header}" '
                f"(columns: {', '.join(headers[:12])}{' …' if len(headers) > 12 else ''})"
            )
        if field != IGNORE and field not in fields:
            raise ScorecardError(
                f'--map "{option}": unknown field "{field}" (fields: {", ".join(sorted(fields))})'
            )
        mapping[actual] = field
    return mapping


def resolve_mapping(
    ws: Workspace,
    kind: str,
    headers: list[str],
    fields: set[str],
    guess: Callable[[list[str]], dict[str, str]],
    map_options: list[str] | None = None,
) -> tuple[dict[str, str], bool]:
    """The mapping for these headers: the saved profile, else ``guess``; then ``--map``.

    Returns ``{header: field or IGNORE}`` and whether the user chose any of it (then the caller
    saves it as the profile for these headers).
    """
    profile = load_profile(ws, kind, headers)
    saved = profile or {}
    mapping = guess(headers) if profile is None else {h: saved.get(h, IGNORE) for h in headers}
    overrides = parse_map_options(map_options or [], headers, fields)
    for header, field in overrides.items():
        if field != IGNORE:  # a field is fed by one column: the user's choice replaces a guess
            for other, f in mapping.items():
                if f == field and other != header:
                    mapping[other] = IGNORE
        mapping[header] = field
    return mapping, profile is not None or bool(overrides)


def header_signature(kind: str, headers: list[str]) -> str:
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha256(f"{kind}\x1e{joined}".encode()).hexdigest()


def load_profile(ws: Workspace, kind: str, headers: list[str]) -> dict[str, str] | None:
    """The mapping saved for files with exactly these headers, if any."""
    table = models.MappingProfile.__table__
    sig = header_signature(kind, headers)
    with ws.engine.connect() as conn:
        row = conn.execute(
            select(table.c.mapping_json)
            .where(table.c.header_signature == sig, table.c.kind == kind)
            .order_by(table.c.id.desc())
        ).first()
    return json.loads(row[0]) if row else None


def save_profile(conn, kind: str, headers: list[str], mapping: dict[str, str], name: str) -> None:  # type: ignore[no-untyped-def]
    """Save (or refresh) the profile for these headers inside the caller's transaction."""
    table = models.MappingProfile.__table__
    sig = header_signature(kind, headers)
    now = datetime.now(UTC)
    existing = conn.execute(
        select(table.c.id).where(table.c.header_signature == sig, table.c.kind == kind)
    ).first()
    payload = json.dumps(mapping, ensure_ascii=False, sort_keys=True)
    if existing:
        conn.execute(
            update(table)
            .where(table.c.id == existing[0])
            .values(mapping_json=payload, last_used_at=now)
        )
    else:
        conn.execute(
            table.insert().values(
                kind=kind,
                name=name,
                header_signature=sig,
                mapping_json=payload,
                created_at=now,
                last_used_at=now,
            )
        )
