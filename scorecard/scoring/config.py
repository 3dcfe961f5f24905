"""The scoring configuration: every weight, band value, threshold and option of a score run.

Defaults follow ``DESIGN.md`` ("The scoring model", "Grounding"); each is commented with its
reason. The item ids, scale ranges, Technographics rungs and networks mirror the standard
questionnaire in ``survey/questionnaire.py`` — the domain core may not import it, so they are
data here, and ``tests/test_scoring_config.py`` checks that the two agree.

A config is immutable; ``scorecard.scoring.config_toml`` writes and reads it as TOML, and every
run stores the TOML it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

FORMAT = 1  # bumped when a key changes meaning; read_toml refuses a newer format

MEASURES = ("profit", "revenue", "clv")
SCALES = ("linear", "log")

# Forrester's Social Technographics ladder (Li and Bernoff, Groundswell 2008), lowest rung first.
# Weights rise one step a rung, from reading (Spectators, 1) to creating (Creators, 6): the rung
# order is the published evidence, equal steps are the simplest reading of it.
RUNG_WEIGHTS: dict[str, float] = {
    "Inactives": 0.0,
    "Spectators": 1.0,
    "Joiners": 2.0,
    "Collectors": 3.0,
    "Critics": 4.0,
    "Conversationalists": 5.0,
    "Creators": 6.0,
}


@dataclass(frozen=True)
class ItemSpec:
    """One scored item: its answer range (lowest to highest option value) and its weight."""

    id: str
    min: float
    max: float
    weight: float = 1.0
    scale: str = "linear"  # "log": each doubling counts the same (years in the category)
    rung: str = ""  # Technographics rung of a participation item (explains its weight)


@dataclass(frozen=True)
class NetworkSpec:
    """A network of the questionnaire: items c_<key>_close, c_<key>_public, r_<key>."""

    key: str
    online: bool
    reach_weight: float = 1.0  # seed 002's comments: offline counts as much as online
    connection_weight: float = 1.0


@dataclass(frozen=True)
class SocialConfig:
    # DESIGN.md: S is the weighted mean of K, P, R, equal weights by default.
    knowledge: float = 1.0
    participation: float = 1.0
    reach: float = 1.0
    # S needs at least two of the three components (the half rule applied to components).
    min_components: int = 2
    # A component (or part) with fewer than this share of its items answered is missing.
    min_answered_share: float = 0.5


@dataclass(frozen=True)
class KnowledgeConfig:
    items: tuple[ItemSpec, ...] = ()
    # The agreement battery whose internal consistency (Cronbach's alpha) is reported and
    # whose same-answer-everywhere pattern marks a straight-liner.
    battery: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipationConfig:
    activities: tuple[ItemSpec, ...] = ()
    # Seed 002 names two things in this component, what members do and what their connections
    # are worth; equal weights.
    activity_weight: float = 1.0
    connection_weight: float = 1.0
    # Tight-knit circles pass recommendations on more strongly (Granovetter 1973, Brown and
    # Reingen 1987); public ones carry them further. Both count, equally.
    closeness_weight: float = 1.0
    publicness_weight: float = 1.0
    closeness_min: float = 1.0
    closeness_max: float = 5.0
    publicness_min: float = 1.0
    publicness_max: float = 5.0


@dataclass(frozen=True)
class ReachConfig:
    # Dunbar's ~150 meaningful contacts is the reference reach: a member whose contacts across
    # all networks add up to 150 sits at reference_score. Anchoring 150 at 100 would cap most
    # respondents (several networks of 50-200 each sum to several hundred), so 150 is the middle
    # of the log scale: every tenfold more contacts adds ~23 points, 100 is reached at 150².
    reference: float = 150.0
    reference_score: float = 50.0
    cap: float = 100.0
    # Self-report inflates (DESIGN.md "Grounding"): one network's count above Dunbar's outer
    # layer (~1,500 people one can put a name to) is flagged and counted as 1,500.
    implausible_above: float = 1500.0
    # Band labels and the value each stands for (Dunbar's layers as band edges, the stated value
    # roughly the band's geometric middle; the open top band deliberately conservative).
    bands: tuple[tuple[str, float], ...] = (
        ("0", 0.0),
        ("1–5", 3.0),
        ("6–15", 10.0),
        ("16–50", 30.0),
        ("51–150", 100.0),
        ("151–500", 300.0),
        ("More than 500", 750.0),
    )


@dataclass(frozen=True)
class FinancialConfig:
    # DESIGN.md: profit = revenue × margin − cost to serve (seed 003: value customers by the
    # profitability of the relationship, not revenue alone).
    measure: str = "profit"
    gross_margin: float | None = None  # None: the workspace setting "gross_margin"
    expected_years: float = 3.0  # simple CLV horizon, a common planning horizon
    min_tenure_years: float = 1.0  # a new customer's yearly frequency is not extrapolated
    # Potential value (seed 003): the spend a member places elsewhere, from a share-of-wallet
    # answer (0–1 or 0–100 %). Off unless an item is named.
    share_of_wallet_item: str = ""
    potential_weight: float = 0.0


@dataclass(frozen=True)
class NetworkValueConfig:
    # Domingos and Richardson's network value / Kumar et al.'s referral value: the value of the
    # members a member brought in, plus those they brought in in turn, halved at each hop.
    decay: float = 0.5
    max_hops: int = 3
    pagerank_damping: float = 0.85  # the usual PageRank damping
    # Engagement signal (seed 002's comment: top openers, clickers and forwarders are probably
    # ambassadors); forwarding is the nearest to advocacy, so it weighs most.
    forwards_weight: float = 2.0
    clicks_weight: float = 1.0
    opens_weight: float = 0.5
    rating_weight: float = 1.0


@dataclass(frozen=True)
class SegmentConfig:
    social_threshold: float = 60.0  # DESIGN.md default: S ≥ 60 is high social value
    financial_threshold: float = 75.0  # F is a percentile rank: ≥ 75 is the top quartile


@dataclass(frozen=True)
class StabilityConfig:
    draws: int = 200
    seed: int = 20261123
    weight_jitter: float = 0.2  # component weights × U(0.8, 1.2)
    threshold_jitter: float = 5.0  # thresholds ± U(0, 5) points


@dataclass(frozen=True)
class QualityConfig:
    exclude_straightliners: bool = False  # flagged always; excluded only when asked
    straightline_min_items: int = 3  # a grid needs this many answers to show a pattern
    # Seed 002's comment: do not silently penalise older members. Warn when mean S of members
    # aged 65+ is this many points below that of members under 45.
    age_decline_points: float = 15.0


@dataclass(frozen=True)
class ScoringConfig:
    name: str = "Default"
    social: SocialConfig = field(default_factory=SocialConfig)
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    participation: ParticipationConfig = field(default_factory=ParticipationConfig)
    networks: tuple[NetworkSpec, ...] = ()
    reach: ReachConfig = field(default_factory=ReachConfig)
    financial: FinancialConfig = field(default_factory=FinancialConfig)
    network_value: NetworkValueConfig = field(default_factory=NetworkValueConfig)
    segments: SegmentConfig = field(default_factory=SegmentConfig)
    stability: StabilityConfig = field(default_factory=StabilityConfig)
    quality: QualityConfig = field(default_factory=QualityConfig)

    def with_(self, **changes: object) -> ScoringConfig:
        """A copy with some top-level sections replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


# -- the standard questionnaire, as data -------------------------------------------------------

# Agreement statements (Flynn, Goldsmith and Eastman 1996; Feick and Price 1987; Zaichkowsky
# 1985), 1–7. The published scales sum their items unweighted, so equal weights.
AGREEMENT_ITEMS = (
    "k_expertise", "k_interest", "k_brand", "k_advice", "k_influence", "k_maven",
)
# Years in the category: option values 0.5 … 15, on a log scale (expertise grows with
# diminishing returns), weighted like one agreement statement.
YEARS_ITEM = ItemSpec("k_years", 0.5, 15.0, 1.0, "log")

ACTIVITY_RUNGS = (
    ("p_read", "Spectators"),
    ("p_reviews", "Critics"),
    ("p_photos", "Creators"),
    ("p_posts", "Creators"),
    ("p_comment", "Critics"),
    ("p_share", "Conversationalists"),
    ("p_recommend", "Conversationalists"),  # offline, weighted as its rung says
    ("p_events", "Joiners"),  # offline
    ("p_organise", "Creators"),  # offline
)
FREQUENCY_MIN, FREQUENCY_MAX = 0.0, 4.0  # Never … Daily
AGREEMENT_MIN, AGREEMENT_MAX = 1.0, 7.0

NETWORKS = (
    ("facebook", True), ("instagram", True), ("tiktok", True), ("x", True),
    ("linkedin", True), ("youtube", True), ("whatsapp", True), ("email", True),
    ("forums", True), ("clubs", False), ("work", False), ("neighbourhood", False),
    ("family", False),
)
NETWORKS_ITEM = "c_networks"  # the multi-select "where do you keep in touch"


def default_config() -> ScoringConfig:
    """The DESIGN.md defaults over the standard questionnaire."""
    knowledge = KnowledgeConfig(
        items=(
            *(ItemSpec(i, AGREEMENT_MIN, AGREEMENT_MAX) for i in AGREEMENT_ITEMS),
            YEARS_ITEM,
        ),
        battery=AGREEMENT_ITEMS,
    )
    participation = ParticipationConfig(
        activities=tuple(
            ItemSpec(i, FREQUENCY_MIN, FREQUENCY_MAX, RUNG_WEIGHTS[rung], rung=rung)
            for i, rung in ACTIVITY_RUNGS
        )
    )
    return ScoringConfig(
        name="Default",
        knowledge=knowledge,
        participation=participation,
        networks=tuple(NetworkSpec(key, online) for key, online in NETWORKS),
    )


# -- item ids a config reads -------------------------------------------------------------------


def close_item(net: str) -> str:
    return f"c_{net}_close"


def public_item(net: str) -> str:
    return f"c_{net}_public"


def reach_item(net: str) -> str:
    return f"r_{net}"


def tick_item(net: str) -> str:
    """The answer row of a ticked network option (the importer's contract: ``<item>:<code>``)."""
    return f"{NETWORKS_ITEM}:{net}"


def answer_columns(config: ScoringConfig) -> tuple[str, ...]:
    """Every item id the scoring reads, in the column order of the answers matrix."""
    cols: list[str] = [it.id for it in config.knowledge.items]
    cols += [it.id for it in config.participation.activities]
    cols += [close_item(n.key) for n in config.networks]
    cols += [public_item(n.key) for n in config.networks]
    cols += [reach_item(n.key) for n in config.networks]
    cols += [tick_item(n.key) for n in config.networks]
    for extra in (config.financial.share_of_wallet_item, "age_band"):
        if extra and extra not in cols:
            cols.append(extra)
    return tuple(dict.fromkeys(cols))
