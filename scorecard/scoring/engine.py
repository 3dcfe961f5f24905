"""One score run over arrays: social components, F, NV, segments, stability and validity.

``compute_scores(inputs, config)`` is pure: arrays in (see ``ScoreInputs``, built from a
workspace by ``scorecard.scoring.loading`` or by hand in tests and benchmarks), arrays out.
Members are positions 0…n−1; respondents are rows of the answers matrix that point at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scorecard.scoring.components import SocialScores, compute_social
from scorecard.scoring.config import ScoringConfig
from scorecard.scoring.financial import FinancialInputs, FinancialValue, measure_value
from scorecard.scoring.network import NetworkValue, engagement_score, network_value
from scorecard.scoring.segments import SEGMENTS, assign, stability
from scorecard.scoring.validity import age_table, correlations, cronbach_alpha


@dataclass(frozen=True)
class EngagementInputs:
    """Latest e-mail engagement per member (NaN: not known)."""

    forwards: np.ndarray
    clicks: np.ndarray
    opens: np.ndarray
    rating: np.ndarray


@dataclass(frozen=True)
class ScoreInputs:
    member_ids: np.ndarray  # (n,) workspace member ids, ascending
    respondent_rows: np.ndarray  # (m,) member positions of the answers matrix's rows
    response_ids: np.ndarray  # (m,) the response each row comes from
    columns: tuple[str, ...]  # item ids of the answers matrix's columns
    answers: np.ndarray  # (m, len(columns)) values on each item's scale, NaN not answered
    financial: FinancialInputs  # (n,) arrays
    referral_src: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    referral_dst: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    engagement: EngagementInputs | None = None
    age: np.ndarray | None = None  # (n,) years, from the member list (NaN unknown)
    batches: tuple[int, ...] = ()  # import batches whose rows went in

    @property
    def n(self) -> int:
        return len(self.member_ids)


@dataclass(frozen=True)
class ScoreResult:
    member_ids: np.ndarray
    knowledge: np.ndarray  # (n,) 0–100, NaN missing or not surveyed
    participation: np.ndarray
    reach: np.ndarray
    social: np.ndarray
    financial: np.ndarray  # F
    network_value: np.ndarray  # NV
    engagement: np.ndarray  # 0–100, NaN where no engagement data
    segment: np.ndarray  # int8 codes into SEGMENTS
    stability: np.ndarray  # share 0–1, NaN for members without S
    respondent_rows: np.ndarray
    response_ids: np.ndarray
    social_detail: SocialScores  # per respondent row, with receipts
    money: FinancialValue
    network: NetworkValue
    age: np.ndarray
    validity: dict[str, object]

    def segment_counts(self) -> dict[str, int]:
        counts = np.bincount(self.segment, minlength=len(SEGMENTS))
        return {name: int(c) for name, c in zip(SEGMENTS, counts, strict=True)}


def _scatter(n: int, rows: np.ndarray, values: np.ndarray, fill: float = np.nan) -> np.ndarray:
    out = np.full(n, fill, dtype=np.float64)
    out[rows] = values
    return out


def _column(inputs: ScoreInputs, item_id: str) -> np.ndarray | None:
    if item_id and item_id in inputs.columns:
        col = inputs.answers[:, inputs.columns.index(item_id)].astype(np.float64)
        return _scatter(inputs.n, inputs.respondent_rows, col)
    return None


def compute_scores(
    inputs: ScoreInputs, config: ScoringConfig, *, receipts: bool = True
) -> ScoreResult:
    """Every member's components, F, NV, segment and stability, plus the run's validity."""
    n = inputs.n
    rows = inputs.respondent_rows
    soc = compute_social(inputs.answers, inputs.columns, config, receipts=receipts)

    def spread(values: np.ndarray) -> np.ndarray:
        return _scatter(n, rows, values)

    knowledge, participation = spread(soc.knowledge), spread(soc.participation)
    reach, social = spread(soc.reach), spread(soc.social)

    sow = _column(inputs, config.financial.share_of_wallet_item)
    money = measure_value(inputs.financial, config.financial, sow)
    net = network_value(n, inputs.referral_src, inputs.referral_dst, money.measure,
                        config.network_value)
    eng = inputs.engagement
    engagement = (
        engagement_score(eng.forwards, eng.clicks, eng.opens, eng.rating, config.network_value)
        if eng is not None
        else np.full(n, np.nan)
    )
    segment = assign(social, money.financial, config.segments.social_threshold,
                     config.segments.financial_threshold)
    comps = np.stack([knowledge, participation, reach], axis=1)
    stab = stability(comps, money.financial, segment, config)

    # Age: the survey's age band where given (its value is the band's age), else the list's.
    age = inputs.age if inputs.age is not None else np.full(n, np.nan)
    stated = _column(inputs, "age_band")
    if stated is not None:
        age = np.where(np.isnan(stated), age, stated)

    has_referrals = bool(net.referrals.sum() > 0)
    forwards = None
    if eng is not None and not np.isnan(eng.forwards).all():
        forwards = eng.forwards
    observed = {
        "referrals": net.referrals.astype(np.float64) if has_referrals else None,
        "forwards": forwards,
        "engagement": engagement if not np.isnan(engagement).all() else None,
    }
    named = {"social": social, "knowledge": knowledge, "participation": participation,
             "reach": reach}
    battery = [inputs.columns.index(i) for i in config.knowledge.battery if i in inputs.columns]
    table, warning = age_table(age, social, segment, config.quality.age_decline_points)
    validity: dict[str, object] = {
        "correlations": correlations(named, observed),
        "cronbach_alpha_knowledge": cronbach_alpha(
            inputs.answers[:, battery].astype(np.float64)
        ),
        "straightliners": int(soc.straightliner.sum()),
        "straightliners_excluded": int(soc.excluded.sum()),
        "implausible_reach": int(soc.implausible_reach.sum()),
        "age_bands": table,
        "age_warning": warning,
    }
    return ScoreResult(
        member_ids=inputs.member_ids,
        knowledge=knowledge,
        participation=participation,
        reach=reach,
        social=social,
        financial=money.financial,
        network_value=net.network_value,
        engagement=engagement,
        segment=segment,
        stability=stab,
        respondent_rows=rows,
        response_ids=inputs.response_ids,
        social_detail=soc,
        money=money,
        network=net,
        age=age,
        validity=validity,
    )
