"""The data of member scorecards: what one card prints, fetched a chunk of members at a time.

``Loader`` hands out ``CardData`` in page order and fetches ``CHUNK`` members at once: their
receipts (``explain_many``: stored scores, answers, finances, referrals), identities
(``member_labels``) and survey age bands — a few queries a chunk, never a query set per member.
``card_context`` reads what every card shares: the run's thresholds and weights and the F × S
density of all members (one GROUP BY). Receipt lines get short printable labels here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from reports.pdf_base import long_date
from reports.run_data import MemberLabel, member_labels
from scorecard.errors import Cancelled, ScorecardError
from scorecard.scoring.config_toml import from_toml
from scorecard.scoring.explain import Explanation, explain_many
from scorecard.workspace import Workspace
from survey.questionnaire import AGE_BANDS, NETWORKS, item

CHUNK = 250  # members whose receipts are fetched together (explain_many's sweet spot)
DENSITY_BINS = 20
MEASURE_WORDS = {"clv": "lifetime value"}  # how a card names the money F ranks

ProgressFn = Callable[[float, str], None]  # (fraction 0..1, message), as the importers use
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class ReceiptRow:
    """One answer on the receipt, labelled for print."""

    label: str  # short item label, e.g. "Asked for advice", "WhatsApp: contacts"
    answer: str  # the answer as the member gave it, e.g. "Agree", "Weekly", "120"
    component: str  # knowledge, participation or reach (connection items count to P)
    points: float  # what it adds to S


@dataclass(frozen=True)
class CardData:
    """Everything one card prints, for one member of one run."""

    member_id: int
    name: str
    number: str | None  # the external member number
    email: str | None
    place: str | None  # "Zwolle, NL"
    joined: str | None  # "3 March 2021"
    age_band: str | None
    tenure_years: float | None
    segment: str
    stability: float | None  # 0–1
    knowledge: float | None
    participation: float | None
    reach: float | None
    social: float | None
    financial: float | None
    network_value: float | None
    revenue: float | None
    orders: float | None
    profit: float | None
    referrals: int
    referral_value: float
    lines: tuple[ReceiptRow, ...]
    responded: bool  # the run read a survey response of this member
    notes: tuple[str, ...] = ()


@dataclass
class CardContext:
    """What every card of one document shares: the run's thresholds and weights, the density."""

    run_id: int
    social_threshold: float
    financial_threshold: float
    weights: tuple[float, float, float]  # K, P, R
    currency: str
    measure: str  # the money measure F ranks: profit, revenue, clv
    density: np.ndarray | None  # (bins, bins) counts: [F bin, S bin]
    forms: set[str] = field(default_factory=set)


def card_context(ws: Workspace, run_id: int) -> CardContext:
    """The run's thresholds, weights and money measure, and the F × S density of its members
    (one GROUP BY over the run, whatever its size)."""
    settings = ws.settings()
    with ws.read_cursor() as cur:
        row = cur.execute("SELECT config_toml FROM score_run WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ScorecardError(f"there is no score run {run_id} (see: scorecard runs)")
        config = from_toml(row[0], source=f"run {run_id}")
        width = 100 / DENSITY_BINS
        cells = cur.execute(
            f"SELECT min(CAST(financial / {width} AS INTEGER), {DENSITY_BINS - 1}), "
            f"min(CAST(social / {width} AS INTEGER), {DENSITY_BINS - 1}), count(*) "
            "FROM member_score WHERE run_id = ? AND social IS NOT NULL "
            "AND financial IS NOT NULL GROUP BY 1, 2", (run_id,)).fetchall()
    density = np.zeros((DENSITY_BINS, DENSITY_BINS))
    for f_bin, s_bin, count in cells:  # at most bins² rows
        density[max(int(f_bin), 0), max(int(s_bin), 0)] += count
    s = config.social
    return CardContext(
        run_id=run_id,
        social_threshold=float(config.segments.social_threshold),
        financial_threshold=float(config.segments.financial_threshold),
        weights=(float(s.knowledge), float(s.participation), float(s.reach)),
        currency=settings.get("currency", ""),
        measure=MEASURE_WORDS.get(config.financial.measure, config.financial.measure),
        density=density if cells else None,
    )


# -- card data, a chunk at a time ---------------------------------------------------------------


class Loader:
    """Card data in page order, fetched ``CHUNK`` members at a time; reports progress and
    checks for cancellation once a chunk."""

    def __init__(self, ws: Workspace, run_id: int, order: list[int],
                 progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.ws, self.run_id, self.order = ws, run_id, order
        self.position = {m: i for i, m in enumerate(order)}
        self.progress, self.cancel = progress, cancel
        self.category = ws.settings().get("category") or "products"
        self.cache: dict[int, CardData] = {}

    def card(self, member_id: int) -> CardData:
        if member_id not in self.cache:
            self._load(self.position[member_id])
        return self.cache[member_id]

    def _load(self, start: int) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled("scorecards cancelled; no file was written")
        if self.progress is not None:
            self.progress(start / len(self.order),
                          f"Scorecards: {start:,} of {len(self.order):,} members")
        ids = self.order[start:start + CHUNK]
        explanations = explain_many(self.ws, self.run_id, ids)
        labels = member_labels(self.ws, ids)
        ages = _survey_age_bands(self.ws, ids)
        self.cache = {  # the previous chunk is done: drawn in page order
            e.member_id: _card(e, labels[e.member_id], ages.get(e.member_id), self.category)
            for e in explanations
        }


def _survey_age_bands(ws: Workspace, ids: Sequence[int]) -> dict[int, str]:
    """The age band each member gave in the survey (their latest current response)."""
    labels = {opt.value: opt.label for opt in AGE_BANDS if opt.value is not None}
    out: dict[int, str] = {}
    with ws.read_cursor() as cur:
        rows = cur.execute(
            "SELECT r.member_id, a.value FROM response r JOIN answer a ON a.response_id = r.id "
            f"WHERE a.item_id = 'age_band' AND NOT r.superseded AND r.member_id IN "
            f"({', '.join('?' * len(ids))}) ORDER BY r.id", list(ids)).fetchall()
    for member, value in rows:
        if value is not None and float(value) in labels:
            out[int(member)] = labels[float(value)]
    return out


def _card(e: Explanation, who: MemberLabel, survey_age: str | None, category: str) -> CardData:
    s, fin = e.scores, e.financial
    revenue, cost, margin = fin.get("revenue"), fin.get("cost_to_serve"), fin.get("gross_margin")
    profit = None if revenue is None or margin is None else revenue * margin - (cost or 0.0)
    net = e.network
    place = ", ".join(p for p in (who.city, who.country) if p) or None
    return CardData(
        member_id=e.member_id,
        name=who.name,
        number=who.external_id,
        email=who.email,
        place=place,
        joined=_date(who.join_date),
        age_band=who.age_band or survey_age,
        tenure_years=fin.get("tenure_years"),
        segment=e.segment,
        stability=e.stability,
        knowledge=s.get("knowledge"),
        participation=s.get("participation"),
        reach=s.get("reach"),
        social=s.get("social"),
        financial=s.get("financial"),
        network_value=s.get("network_value"),
        revenue=revenue,
        orders=fin.get("orders"),
        profit=profit,
        referrals=int(net.get("referrals", 0) or 0),  # type: ignore[call-overload]
        referral_value=float(net.get("direct_value", 0.0) or 0.0)  # type: ignore[arg-type]
        + float(net.get("indirect_value", 0.0) or 0.0),  # type: ignore[arg-type]
        lines=tuple(ReceiptRow(item_label(ln.item_id, category), answer_text(ln.item_id,
                                                                             ln.answer),
                               ln.component, ln.points) for ln in e.lines),
        # explain() names a member whose response the run did not read in its first note
        responded=not any(n.startswith("not surveyed") for n in e.notes),
        notes=tuple(n for n in e.notes if not n.startswith("not surveyed")),
    )


def _date(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return long_date(date.fromisoformat(text[:10]))
    except ValueError:
        return text


# -- receipt labels -------------------------------------------------------------------------------

SHORT_LABELS = {
    "k_expertise": "Knows {category}",
    "k_interest": "Interested in {category}",
    "k_brand": "The brand matters",
    "k_advice": "Asked for advice",
    "k_influence": "Others follow advice",
    "k_maven": "Source of information",
    "k_years": "Years into {category}",
    "p_read": "Reads reviews, blogs",
    "p_reviews": "Writes reviews",
    "p_photos": "Posts photos, videos",
    "p_posts": "Writes posts, a blog",
    "p_comment": "Comments, discusses",
    "p_share": "Shares, forwards",
    "p_recommend": "Recommends in person",
    "p_events": "Goes to events",
    "p_organise": "Organises groups",
}
NETWORK_NAMES = {n.key: n.label for n in NETWORKS} | {
    "x": "X", "forums": "Forums", "clubs": "Clubs", "family": "Family",
    "neighbourhood": "Neighbours",
}
SHORT_ANSWERS = {"Neither agree nor disagree": "Neutral"}  # the one label too long for a column
_NETWORK_PARTS = (("c_", "_close", "close-knit"), ("c_", "_public", "public"),
                  ("r_", "", "contacts"))


def item_label(item_id: str, category: str) -> str:
    """A short label for a receipt line: "Asked for advice", "WhatsApp: contacts"."""
    if item_id in SHORT_LABELS:
        return SHORT_LABELS[item_id].format(category=category)
    for prefix, suffix, what in _NETWORK_PARTS:
        if item_id.startswith(prefix) and item_id.endswith(suffix):
            key = item_id[len(prefix):len(item_id) - len(suffix)]
            if key in NETWORK_NAMES:
                return f"{NETWORK_NAMES[key]}: {what}"
    return item_id  # an item of a custom config: its id is the best name there is


def answer_text(item_id: str, value: float) -> str:
    """The answer as the member gave it: the option's label, else the number."""
    try:
        options = item(item_id).options
        kind = item(item_id).kind
    except KeyError:
        options, kind = (), ""
    if kind != "count":  # a count's bands map to stated values; print the number
        for opt in options:
            if opt.value is not None and float(opt.value) == value:
                return SHORT_ANSWERS.get(opt.label, opt.label)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


